#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "constitution/amend.hpp"
#include "constitution/diff.hpp"

namespace constable::constitution {
namespace {

Constitution must_parse(std::string_view markdown) {
  auto result = parse(markdown, "constitution.md");
  EXPECT_TRUE(result.has_value()) << (result ? std::string{} : result.error().to_string());
  return result ? *result : Constitution{};
}

std::string footer(std::string_view version) {
  return fmt::format("\n**Version**: {} | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n", version);
}

constexpr std::string_view kBase =
    "# C\n\n## Core Principles\n\n### I. Tests\n- Code MUST be tested\n- Coverage: minimum 80% of lines\n\n"
    "### II. Kafka\n- Topics MUST have minimum 3 partitions for scalability\n- Retention SHOULD be configured\n\n"
    "## Workflow\n- Reviews MUST happen within 48 hours\n";

struct Compared {
  Constitution before, after;
  ConstitutionDiff change;
};

Compared compare(std::string_view before, std::string_view after) {
  Compared c{must_parse(before), must_parse(after), {}};
  c.change = diff(c.before, c.after);
  return c;
}

std::vector<std::string> kinds(const ConstitutionDiff& change) {
  std::vector<std::string> out;
  for (const auto& c : change.clauses) out.push_back(fmt::format("{}:{}", to_string(c.kind), to_string(c.bump)));
  return out;
}

std::string with(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  out.replace(out.find(from), from.size(), to);
  return out;
}

TEST(ConstitutionDiff, NothingNormativeChangedNeedsNoBump) {
  const auto c = compare(std::string(kBase) + footer("1.0.0"),
                         with(std::string(kBase) + footer("1.0.0"), "## Workflow\n", "## Workflow\n\nSome prose.\n\n"));
  EXPECT_TRUE(c.change.clauses.empty());
  EXPECT_EQ(c.change.required, Bump::none);
  EXPECT_TRUE(c.change.enough());
}

TEST(ConstitutionDiff, ATightenedParameterIsMajorALoosenedOneMinor) {
  auto c = compare(std::string(kBase) + footer("1.0.0"),
                   with(std::string(kBase) + footer("1.1.0"), "minimum 3 partitions", "minimum 5 partitions"));
  ASSERT_EQ(kinds(c.change), (std::vector<std::string>{"parameter changed:MAJOR"}));
  ASSERT_EQ(c.change.clauses[0].parameters.size(), 1U);
  EXPECT_EQ(c.change.clauses[0].parameters[0].before, "3 partitions");
  EXPECT_EQ(c.change.clauses[0].parameters[0].after, "5 partitions");
  EXPECT_EQ(c.change.required, Bump::major);
  EXPECT_EQ(c.change.required_because, "a parameter tightened: 3 partitions → 5 partitions");
  EXPECT_EQ(c.change.made, Bump::minor);
  EXPECT_FALSE(c.change.enough());

  c = compare(std::string(kBase), with(std::string(kBase), "within 48 hours", "within 72 hours"));
  EXPECT_EQ(kinds(c.change), (std::vector<std::string>{"parameter changed:MINOR"}));
  EXPECT_FALSE(c.change.made.has_value());  // no footers
}

TEST(ConstitutionDiff, AddedRemovedRewordedAndMovedClauses) {
  std::string after = with(std::string(kBase), "- Code MUST be tested\n", "- Code MUST be tested\n- Logs MUST be structured\n");
  after = with(after, "- Retention SHOULD be configured\n", "");
  after = with(after, "## Workflow\n- Reviews MUST happen within 48 hours\n",
               "## Workflow\n- Reviews MUST always happen within 48 hours\n\n## Security\n- Code MUST be tested\n");
  after = with(after, "### I. Tests\n- Code MUST be tested\n", "### I. Tests\n");
  const auto c = compare(kBase, after);
  EXPECT_EQ(kinds(c.change), (std::vector<std::string>{"removed:MAJOR", "added:MINOR", "reworded:PATCH", "moved:PATCH"}))
      << render_diff_text(c.change);
  EXPECT_EQ(c.change.required, Bump::major);
  ASSERT_EQ(c.change.sections.size(), 1U);
  EXPECT_TRUE(c.change.sections[0].added);
  EXPECT_EQ(c.change.sections[0].path, (std::vector<std::string>{"C", "Security"}));
}

TEST(ConstitutionDiff, KeywordsThatBindMoreAreMajorLessMinor) {
  auto c = compare(kBase, with(std::string(kBase), "Retention SHOULD be configured", "Retention MUST be configured"));
  EXPECT_EQ(kinds(c.change), (std::vector<std::string>{"keyword changed:MAJOR"}));
  c = compare(kBase, with(std::string(kBase), "Code MUST be tested", "Code SHOULD be tested"));
  EXPECT_EQ(kinds(c.change), (std::vector<std::string>{"keyword changed:MINOR"}));
  c = compare(kBase, with(std::string(kBase), "Code MUST be tested", "Code MUST NOT be tested"));
  EXPECT_EQ(kinds(c.change), (std::vector<std::string>{"keyword changed:MAJOR"}));
}

TEST(ConstitutionDiff, ARemovedPrincipleIsMajor) {
  const auto c = compare(kBase, with(std::string(kBase),
                                     "### II. Kafka\n- Topics MUST have minimum 3 partitions for scalability\n"
                                     "- Retention SHOULD be configured\n\n",
                                     ""));
  EXPECT_EQ(c.change.required, Bump::major);
  EXPECT_EQ(c.change.required_because, "a principle removed: Core Principles > II. Kafka");
}

TEST(ConstitutionDiff, VersionsAndBumps) {
  EXPECT_EQ(bumped("1.4.2", Bump::minor), "1.5.0");
  EXPECT_EQ(bumped("1.4.2", Bump::major), "2.0.0");
  EXPECT_EQ(bumped("1.4.2", Bump::patch), "1.4.3");
  EXPECT_FALSE(bumped("1.4", Bump::patch));
  EXPECT_EQ(bump_between("1.4.2", "1.4.2"), Bump::none);
  EXPECT_EQ(bump_between("1.4.2", "2.0.0"), Bump::major);
  EXPECT_FALSE(bump_between("2.0.0", "1.9.9"));
}

TEST(ConstitutionDiff, TheSyncImpactReportReadsBack) {
  const auto c = compare(std::string(kBase) + footer("1.0.0"),
                         with(with(std::string(kBase) + footer("1.0.0"), "minimum 3 partitions", "minimum 5 partitions"),
                              "## Workflow\n", "## Security\n- Secrets MUST NOT be committed\n\n## Workflow\n"));
  const std::string report = render_sync_impact_report(c.change, "2.0.0");
  const auto reread = must_parse(report + "\n" + std::string(kBase));
  ASSERT_TRUE(reread.sync_impact.has_value()) << report;
  EXPECT_EQ(reread.sync_impact->version_from, "1.0.0");
  EXPECT_EQ(reread.sync_impact->version_to, "2.0.0");
  EXPECT_EQ(reread.sync_impact->added, (std::vector<std::string>{"Security"}));
  ASSERT_EQ(reread.sync_impact->modified.size(), 2U) << report;
  EXPECT_NE(reread.sync_impact->modified[0].find("3 partitions → 5 partitions (tightened)"), std::string::npos);
  EXPECT_TRUE(reread.sync_impact->removed.empty());
}

TEST(ConstitutionAmend, OnlyTheReportAndTheFooterChange) {
  const std::string before = std::string(kBase) + footer("1.0.0");
  const std::string after = with(before, "minimum 3 partitions", "minimum 5 partitions");
  const auto c = compare(before, after);
  const auto amended = amend(after, c.change, "2.0.0", *Date::parse("2026-12-05"));
  ASSERT_TRUE(amended.has_value()) << amended.error().to_string();
  EXPECT_TRUE(amended->starts_with("<!--\nSync Impact Report\nVersion change: 1.0.0 → 2.0.0\n")) << *amended;
  const std::string body = amended->substr(amended->find("-->\n\n") + 5);
  EXPECT_EQ(body, with(after, "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03",
                       "**Version**: 2.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-12-05"));
  // Amended again: the report is replaced, not stacked.
  const auto again = amend(*amended, c.change, "2.0.0", *Date::parse("2026-12-06"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->find("Sync Impact Report"), amended->find("Sync Impact Report"));
  EXPECT_EQ(again->find("Sync Impact Report", 30), std::string::npos);
  EXPECT_NE(again->find("**Last Amended**: 2026-12-06"), std::string::npos);
}

TEST(ConstitutionAmend, KeepsCrlfAndTheBomAndAddsAMissingFooter) {
  const std::string before = "\xEF\xBB\xBF# C\r\n\r\n## A\r\n- Code MUST be tested\r\n";
  const std::string after = before + "- Logs MUST be structured\r\n";
  const auto c = compare(before, after);
  const auto amended = amend(after, c.change, "1.1.0", *Date::parse("2026-12-05"));
  ASSERT_TRUE(amended.has_value());
  EXPECT_TRUE(amended->starts_with("\xEF\xBB\xBF<!--\r\nSync Impact Report\r\n"));
  EXPECT_EQ(amended->find("\n\n"), std::string::npos) << "a bare LF in a CRLF file";
  EXPECT_NE(amended->find("# C\r\n\r\n## A\r\n- Code MUST be tested\r\n- Logs MUST be structured\r\n"), std::string::npos);
  EXPECT_TRUE(amended->ends_with("\r\n**Version**: 1.1.0 | **Last Amended**: 2026-12-05\r\n"));
}

TEST(ConstitutionAmend, AHeaderBlockOfOneFieldPerLineIsRewrittenInPlace) {
  const std::string text =
      "# C\n**Version:** 1.1.0  \n**Ratified:** 2026-06-08  \n**Last Amended:** 2026-06-08\n\n## A\n- X MUST y\n";
  ConstitutionDiff change;
  change.version_after = "1.1.0";
  const auto amended = amend(text, change, "1.2.0", *Date::parse("2026-12-05"));
  ASSERT_TRUE(amended.has_value());
  const std::string body = amended->substr(amended->find("-->\n\n") + 5);
  EXPECT_EQ(body, "# C\n**Version:** 1.2.0  \n**Ratified:** 2026-06-08  \n**Last Amended:** 2026-12-05\n\n## A\n- X MUST y\n");
}

TEST(ConstitutionAmend, RefusesAVersionThatIsNotAbove) {
  const std::string text = std::string(kBase) + footer("2.0.0");
  const auto c = compare(text, text);
  EXPECT_FALSE(amend(text, c.change, "2.0.0", *Date::parse("2026-12-05")).has_value());
  EXPECT_FALSE(amend(text, c.change, "1.9.0", *Date::parse("2026-12-05")).has_value());
  EXPECT_FALSE(amend(text, c.change, "2.1", *Date::parse("2026-12-05")).has_value());
  EXPECT_TRUE(amend(text, c.change, "2.0.1", *Date::parse("2026-12-05")).has_value());
}

}  // namespace
}  // namespace constable::constitution

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "constitution/model.hpp"
#include "support/test_support.hpp"

namespace constable::constitution {
namespace {

Constitution must_parse(std::string_view markdown) {
  auto result = parse(markdown, "constitution.md");
  EXPECT_TRUE(result.has_value()) << (result ? std::string{} : result.error().to_string());
  return result ? *result : Constitution{};
}

const Clause* by_text(const Constitution& c, std::string_view text) {
  for (const Clause& clause : c.clauses)
    if (clause.text == text) return &clause;
  return nullptr;
}

std::vector<std::string> ids(const Constitution& c) {
  std::vector<std::string> out;
  for (const Clause& clause : c.clauses) out.push_back(clause.id);
  return out;
}

TEST(ConstitutionParse, SentencesWithKeywordsBecomeClauses) {
  const auto c = must_parse(
      "# T\n\n## Principles\n\n### I. First\n"
      "All development SHALL begin with specs. Humans should review. No code SHALL be written\n"
      "without a spec artifact.\n");
  ASSERT_EQ(c.clauses.size(), 2U);
  EXPECT_EQ(c.clauses[0].text, "All development SHALL begin with specs.");
  EXPECT_EQ(c.clauses[0].kind, ClauseKind::sentence);
  EXPECT_EQ(c.clauses[0].modality, Modality::shall);
  EXPECT_EQ(c.clauses[0].line, 6);
  EXPECT_EQ(c.clauses[1].text, "No code SHALL be written without a spec artifact.");
  EXPECT_EQ(c.clauses[1].line, 6);
  EXPECT_EQ(c.clauses[1].end_line, 7);
  EXPECT_EQ(c.clauses[0].section_path, (std::vector<std::string>{"T", "Principles", "I. First"}));
  EXPECT_EQ(c.clauses[0].section_joined(), "T > Principles > I. First");
}

TEST(ConstitutionParse, LowerCaseShouldIsNotAKeyword) {
  const auto c = must_parse("## A\nHumans should decide. Machines MUST obey.\n");
  ASSERT_EQ(c.clauses.size(), 1U);
  EXPECT_EQ(c.clauses[0].text, "Machines MUST obey.");
}

TEST(ConstitutionParse, EveryKeywordMapsToItsModality) {
  const auto c = must_parse(
      "## K\n"
      "- a MUST b\n- a MUST NOT b\n- a MUST NEVER b\n- a SHALL b\n- a SHALL NOT b\n- a is REQUIRED\n"
      "- a is PROHIBITED\n- a is STRICTLY PROHIBITED\n- a SHOULD b\n- a SHOULD NOT b\n- a MAY b\n");
  const std::vector<Modality> expected{Modality::must,       Modality::must_not,   Modality::must_not,
                                       Modality::shall,      Modality::shall_not,  Modality::required,
                                       Modality::prohibited, Modality::prohibited, Modality::should,
                                       Modality::should_not, Modality::may};
  ASSERT_EQ(c.clauses.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(c.clauses[i].modality, expected[i]) << c.clauses[i].text;
    EXPECT_EQ(c.clauses[i].kind, ClauseKind::list_item);
    EXPECT_FALSE(c.clauses[i].modality_inherited);
  }
}

TEST(ConstitutionParse, QuotedKeywordsAreNotKeywords) {
  const auto c = must_parse("## K\nThe words \"MUST\" and \"MAY\" follow RFC 2119. Tools MAY help.\n");
  ASSERT_EQ(c.clauses.size(), 1U);
  EXPECT_EQ(c.clauses[0].modality, Modality::may);
}

TEST(ConstitutionParse, LeadInParagraphGivesItsModalityToItems) {
  const auto c = must_parse(
      "## Kubernetes\n### Resource Definitions\nAll workloads MUST specify:\n"
      "- Resource requests and limits (CPU and memory)\n- Liveness and readiness probes\n"
      "- Images MUST NOT run as root\n");
  ASSERT_EQ(c.clauses.size(), 4U);
  EXPECT_EQ(c.clauses[0].text, "All workloads MUST specify:");
  EXPECT_EQ(c.clauses[0].kind, ClauseKind::sentence);
  const Clause& item = c.clauses[1];
  EXPECT_EQ(item.text, "Resource requests and limits (CPU and memory)");
  EXPECT_EQ(item.kind, ClauseKind::list_item);
  EXPECT_EQ(item.modality, Modality::must);
  EXPECT_TRUE(item.modality_inherited);
  EXPECT_EQ(item.lead_in, "All workloads MUST specify:");
  EXPECT_EQ(item.line, 4);
  EXPECT_TRUE(c.clauses[2].modality_inherited);
  EXPECT_EQ(c.clauses[3].modality, Modality::must_not);
  EXPECT_FALSE(c.clauses[3].modality_inherited);
  EXPECT_TRUE(c.clauses[3].lead_in.empty());
}

TEST(ConstitutionParse, LeadInWithoutKeywordLeavesRuleItems) {
  const auto c = must_parse("## SDK\nWhen using the SDK:\n- Calls MUST be typed\n- Streaming responses\n");
  ASSERT_EQ(c.clauses.size(), 2U);
  EXPECT_EQ(c.clauses[0].kind, ClauseKind::list_item);
  EXPECT_EQ(c.clauses[1].kind, ClauseKind::standard_item);
  EXPECT_EQ(c.clauses[1].modality, Modality::rule);
  EXPECT_FALSE(c.clauses[1].modality_inherited);
}

TEST(ConstitutionParse, NestedListUnderKeywordItemInherits) {
  const auto c = must_parse(
      "## Perf\n- Core Web Vitals MUST meet \"Good\" thresholds:\n  - LCP (Largest Contentful Paint): < 2.5s\n"
      "  - FID (First Input Delay): < 100ms\n- Plain item:\n  - child\n");
  ASSERT_EQ(c.clauses.size(), 5U);
  EXPECT_EQ(c.clauses[0].text, "Core Web Vitals MUST meet \"Good\" thresholds:");
  EXPECT_EQ(c.clauses[0].modality, Modality::must);
  EXPECT_EQ(c.clauses[1].text, "LCP (Largest Contentful Paint): < 2.5s");
  EXPECT_EQ(c.clauses[1].modality, Modality::must);
  EXPECT_TRUE(c.clauses[1].modality_inherited);
  EXPECT_EQ(c.clauses[1].lead_in, "Core Web Vitals MUST meet \"Good\" thresholds:");
  EXPECT_EQ(c.clauses[1].line, 3);
  EXPECT_EQ(c.clauses[4].text, "child");
  EXPECT_EQ(c.clauses[4].kind, ClauseKind::standard_item);
}

TEST(ConstitutionParse, StandardItemsAreRules) {
  const auto c = must_parse(
      "## Deployment Patterns\n- Maximum unavailable pods: 25%\n\n## CI\n1. Lint and Format Check\n2. Unit Tests\n");
  ASSERT_EQ(c.clauses.size(), 3U);
  EXPECT_EQ(c.clauses[0].text, "Maximum unavailable pods: 25%");
  EXPECT_EQ(c.clauses[0].kind, ClauseKind::standard_item);
  EXPECT_EQ(c.clauses[0].modality, Modality::rule);
  EXPECT_EQ(c.clauses[1].text, "Lint and Format Check");
  EXPECT_EQ(c.clauses[1].kind, ClauseKind::standard_item);
  EXPECT_EQ(c.clauses[1].line, 5);
}

TEST(ConstitutionParse, GlossaryItemsAreNotClauses) {
  for (const char* heading : {"APPENDIX A: GLOSSARY", "Definitions", "Appendix B: Terms and Definitions", "terminology"}) {
    const auto c = must_parse(std::string("## Rules\n- Tests MUST pass\n\n## ") + heading +
                              "\n- SLO: Service Level Objective\n- ADR: Architectural Decision Record\n");
    ASSERT_EQ(c.clauses.size(), 1U) << heading;
    EXPECT_EQ(c.clauses[0].text, "Tests MUST pass");
  }
}

TEST(ConstitutionParse, InlineMarkupIsRemoved) {
  const auto c = must_parse(
      "## Markup\n- `latest` tag is **PROHIBITED** in *production* (see [docs](https://x.y/z))\n"
      "- Spaces   MUST\n  be   collapsed\n");
  ASSERT_EQ(c.clauses.size(), 2U);
  EXPECT_EQ(c.clauses[0].text, "latest tag is PROHIBITED in production (see docs)");
  EXPECT_EQ(c.clauses[0].modality, Modality::prohibited);
  EXPECT_EQ(c.clauses[1].text, "Spaces MUST be collapsed");
  EXPECT_EQ(c.clauses[1].line, 3);
  EXPECT_EQ(c.clauses[1].end_line, 4);
}

TEST(ConstitutionParse, FileTreeCodeBlockIsOneStructureClause) {
  const std::string tree =
      "chart/\n"
      "├── Chart.yaml          # Chart metadata\n"
      "└── templates/\n"
      "    └── deployment.yaml\n";
  const auto c = must_parse("# Doc\n## Helm\n### Chart Structure\n```\n" + tree + "```\n\n```bash\nmake test\n```\n");
  ASSERT_EQ(c.clauses.size(), 1U);
  const Clause& s = c.clauses[0];
  EXPECT_EQ(s.kind, ClauseKind::structure_block);
  EXPECT_EQ(s.modality, Modality::structure);
  EXPECT_EQ(s.text, tree);
  EXPECT_EQ(s.line, 5);
  EXPECT_EQ(s.end_line, 8);
  EXPECT_EQ(s.id, "helm/chart-structure/structure");
}

TEST(ConstitutionParse, IndentedPathListIsAStructureBlock) {
  const auto c = must_parse("## Layout\n```text\nsrc/\n  main.cpp\n  lib/\ntests/\n```\n");
  ASSERT_EQ(c.clauses.size(), 1U);
  EXPECT_EQ(c.clauses[0].kind, ClauseKind::structure_block);
}

TEST(ConstitutionParse, HtmlCommentsNeverProduceClauses) {
  const auto c = must_parse("<!-- Builds MUST be green -->\n## A\n- Tests MUST pass <!-- x MUST y -->\n");
  ASSERT_EQ(c.clauses.size(), 1U);
  EXPECT_EQ(c.clauses[0].text, "Tests MUST pass");
  EXPECT_FALSE(c.sync_impact.has_value());
}

TEST(ConstitutionIds, SchemeUsesTwoInnermostHeadingsAndDropsSingleTitle) {
  const auto c = must_parse(
      "# Project Constitution\n## Cloud-Native Deployment\n### Docker Standards\n#### Dockerfile Requirements\n"
      "- Multi-stage builds MUST be used for optimization and for small images everywhere\n"
      "## Top\n- Tests MUST pass\n");
  ASSERT_EQ(c.clauses.size(), 2U);
  EXPECT_EQ(c.clauses[0].id, "docker-standards/dockerfile-requirements/multi-stage-builds-must-be-used-for-optimization");
  EXPECT_EQ(c.clauses[1].id, "top/tests-must-pass");
  EXPECT_EQ(c.find("top/tests-must-pass"), &c.clauses[1]);
  EXPECT_EQ(c.find("nope"), nullptr);
}

TEST(ConstitutionIds, TwoTitlesAreKeptAndDuplicatesAreNumbered) {
  const auto c = must_parse("# A\n- X MUST y\n- X MUST y\n# B\n- X MUST y\n");
  ASSERT_EQ(c.clauses.size(), 3U);
  EXPECT_EQ(c.clauses[0].id, "a/x-must-y");
  EXPECT_EQ(c.clauses[1].id, "a/x-must-y-2");
  EXPECT_EQ(c.clauses[2].id, "b/x-must-y");
}

TEST(ConstitutionIds, StableUnderInsertionAndDeletion) {
  const std::string head = "# T\n## Security\n### Secrets\n- Secrets MUST be rotated\n";
  const std::string mid = "- Vault MUST be used\n";
  const std::string tail = "### Logging\n- Logs MUST be JSON\n- Logs MUST be JSON\n";
  const auto base = must_parse(head + mid + tail);
  // Insert in the same section, in another section, and before everything.
  const auto same = must_parse(head + "- Keys MUST be short-lived\n" + mid + tail);
  const auto other = must_parse(head + mid + tail + "- Traces MUST be sampled\n");
  const auto front = must_parse("# T\n## Intro\nEveryone MUST read this.\n" + head.substr(4) + mid + tail);
  const auto deleted = must_parse(head + tail);
  const auto has_all = [](const Constitution& c, const std::vector<std::string>& wanted) {
    const auto got = ids(c);
    for (const auto& id : wanted)
      if (std::find(got.begin(), got.end(), id) == got.end()) return ::testing::AssertionFailure() << id << " missing";
    return ::testing::AssertionSuccess();
  };
  const auto base_ids = ids(base);
  ASSERT_EQ(base_ids.size(), 4U);
  EXPECT_EQ(base_ids[3], "security/logging/logs-must-be-json-2");
  EXPECT_TRUE(has_all(same, base_ids));
  EXPECT_TRUE(has_all(other, base_ids));
  EXPECT_TRUE(has_all(front, base_ids));
  std::vector<std::string> kept = base_ids;
  kept.erase(std::find(kept.begin(), kept.end(), "security/secrets/vault-must-be-used"));
  EXPECT_TRUE(has_all(deleted, kept));
}

TEST(ConstitutionIds, AllUnique) {
  const auto c = must_parse("## A\n- x\n- x\n- x-2\n- x\n");
  const auto all = ids(c);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
}

TEST(ConstitutionParse, SectionsCarryPathLevelAndLine) {
  const auto c = must_parse("# T\n## A\n### B\n- X MUST y\n## C\n");
  ASSERT_EQ(c.sections.size(), 4U);
  EXPECT_EQ(c.sections[2].joined(), "T > A > B");
  EXPECT_EQ(c.sections[2].level, 3);
  EXPECT_EQ(c.sections[2].line, 3);
  EXPECT_EQ(c.sections[2].title(), "B");
  EXPECT_EQ(c.sections[3].joined(), "T > C");
}

TEST(ConstitutionParse, ToStringNames) {
  EXPECT_EQ(to_string(Modality::must_not), "MUST NOT");
  EXPECT_EQ(to_string(Modality::shall_not), "SHALL NOT");
  EXPECT_EQ(to_string(Modality::should_not), "SHOULD NOT");
  EXPECT_EQ(to_string(Modality::prohibited), "PROHIBITED");
  EXPECT_EQ(to_string(Modality::required), "REQUIRED");
  EXPECT_EQ(to_string(Modality::may), "MAY");
  EXPECT_EQ(to_string(Modality::rule), "rule");
  EXPECT_EQ(to_string(Modality::structure), "structure");
  EXPECT_EQ(to_string(ClauseKind::sentence), "sentence");
  EXPECT_EQ(to_string(ClauseKind::list_item), "list-item");
  EXPECT_EQ(to_string(ClauseKind::standard_item), "standard-item");
  EXPECT_EQ(to_string(ClauseKind::structure_block), "structure-block");
}

TEST(ConstitutionFooter, ParsesVersionAndDates) {
  const auto c = must_parse(
      "## A\n- X MUST y\n\n**Version**: 2.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: TODO(LAST_AMENDED)\n");
  ASSERT_TRUE(c.version.has_value());
  EXPECT_EQ(c.version->version, "2.0.0");
  EXPECT_EQ(c.version->ratified, Date::parse("2026-01-03"));
  EXPECT_FALSE(c.version->last_amended.has_value());
  EXPECT_EQ(c.version->line, 4);
  EXPECT_EQ(c.clauses.size(), 1U);  // the footer is not a clause
}

// "**Version**: 5.0" in a hand-written constitution: the clauses are read,
// the version is left out, and a warning says where and what was expected.
TEST(ConstitutionFooter, MalformedVersionIsALocatedWarning) {
  for (const char* version : {"5.0", "v2", "2.x", "[CONSTITUTION_VERSION]"}) {
    const auto c = must_parse(fmt::format(
        "# Project Constitution\n## Docker\n- Containers MUST run as a non-root user\n\n"
        "**Version**: {} | **Ratified**: 2025-09-01 | **Last Amended**: 2025-09-20\n",
        version));
    EXPECT_FALSE(c.version.has_value()) << version;
    EXPECT_EQ(c.clauses.size(), 1U) << version;
    ASSERT_EQ(c.warnings.size(), 1U) << version;
    EXPECT_EQ(c.warnings[0].line, 5);
    EXPECT_NE(c.warnings[0].message.find(fmt::format("malformed version '{}'", version)), std::string::npos)
        << c.warnings[0].message;
    EXPECT_NE(c.warnings[0].message.find("expected MAJOR.MINOR.PATCH"), std::string::npos) << c.warnings[0].message;
  }
}

// spec-kit's template left unfilled: every placeholder is a warning, none is fatal.
TEST(ConstitutionFooter, UnfilledTemplateFooterWarnsForEachField) {
  const auto c = must_parse(
      "## A\n- X MUST y\n\n**Version**: [CONSTITUTION_VERSION] | **Ratified**: [RATIFICATION_DATE] | "
      "**Last Amended**: [LAST_AMENDED_DATE]\n");
  EXPECT_FALSE(c.version.has_value());
  ASSERT_EQ(c.warnings.size(), 3U);
  EXPECT_NE(c.warnings[1].message.find("malformed date '[RATIFICATION_DATE]'"), std::string::npos)
      << c.warnings[1].message;
  for (const auto& w : c.warnings) EXPECT_EQ(w.line, 4);
}

TEST(ConstitutionFooter, MalformedDateIsAWarningAndTheVersionStays) {
  const auto c = must_parse("## A\n- X MUST y\n\n**Version**: 2.0.0 | **Ratified**: 2026-02-30\n");
  ASSERT_TRUE(c.version.has_value());
  EXPECT_EQ(c.version->version, "2.0.0");
  EXPECT_FALSE(c.version->ratified.has_value());
  ASSERT_EQ(c.warnings.size(), 1U);
  EXPECT_EQ(c.warnings[0].line, 4);
  EXPECT_NE(c.warnings[0].message.find("expected YYYY-MM-DD"), std::string::npos);
}

// A hostile constitution of many broken footers gets a bounded list of warnings.
TEST(ConstitutionFooter, WarningsAreBounded) {
  std::string markdown = "## A\n- X MUST y\n";
  for (int i = 0; i < 5000; ++i) markdown += "\n**Version**: 5.0 | **Ratified**: 2026-01-03\n";
  const auto c = must_parse(markdown);
  ASSERT_EQ(c.warnings.size(), 21U);
  EXPECT_EQ(c.warnings.back().message, "4980 more warnings about version footers not shown");
}

TEST(ConstitutionFooter, WellFormedFooterHasNoWarning) {
  EXPECT_TRUE(must_parse("## A\n- X MUST y\n\n**Version**: 1.2.0 | **Ratified**: 2026-01-03\n").warnings.empty());
}

TEST(ConstitutionSyncImpact, ParsesTheReport) {
  const auto c = must_parse(
      "<!--\nSync Impact Report:\n- Version change: 1.0.0 -> 1.1.0\n- Modified principles:\n  - II. Old → II. New\n"
      "- Added sections: Security\n- Removed sections: None\n- Templates requiring updates:\n"
      "  - .specify/templates/plan-template.md ⚠ pending\n- Follow-up TODOs: None\n-->\n# T\n## A\n- X MUST y\n");
  ASSERT_TRUE(c.sync_impact.has_value());
  const auto& s = *c.sync_impact;
  EXPECT_EQ(s.line, 1);
  EXPECT_EQ(s.version_from, "1.0.0");
  EXPECT_EQ(s.version_to, "1.1.0");
  EXPECT_EQ(s.modified, (std::vector<std::string>{"II. Old → II. New"}));
  EXPECT_EQ(s.added, (std::vector<std::string>{"Security"}));
  EXPECT_TRUE(s.removed.empty());
  EXPECT_EQ(s.pending_templates, (std::vector<std::string>{".specify/templates/plan-template.md ⚠ pending"}));
  EXPECT_TRUE(s.follow_up.empty());
  EXPECT_TRUE(s.text.starts_with("Sync Impact Report:"));
  EXPECT_NE(s.text.find("- Added sections: Security\n"), std::string::npos);
}

TEST(ConstitutionSyncImpact, AListEndsAtTheReportsNextHeading) {
  const auto c = must_parse(
      "<!--\nSYNC IMPACT REPORT\nVersion Change: 1.0.0 → 1.0.1\nFollow-up TODOs: None\n\n"
      "Rationale for Version 1.0.1:\n- PATCH version (clarification only)\n\n"
      "Templates updated:\n  - ✅ .specify/templates/plan-template.md\n- Agent guidance synchronized:\n"
      "  - ✅ .github/copilot-instructions.md\n- Follow-ups: 无\n-->\n# T\n## A\n- X MUST y\n");
  ASSERT_TRUE(c.sync_impact.has_value());
  EXPECT_EQ(c.sync_impact->version_to, "1.0.1");
  EXPECT_TRUE(c.sync_impact->follow_up.empty());
  EXPECT_EQ(c.sync_impact->pending_templates, (std::vector<std::string>{"✅ .specify/templates/plan-template.md"}));
}

TEST(ConstitutionParse, ProseSentencesAreKeptWithTheirSection) {
  const auto c = must_parse("# T\n\n## A\nWe value speed. X MUST y.\n\n**Rationale**: Users must trust us.\n");
  ASSERT_EQ(c.prose.size(), 2U);
  EXPECT_EQ(c.prose[0].text, "We value speed.");
  EXPECT_EQ(c.prose[0].line, 4);
  EXPECT_FALSE(c.prose[0].rationale);
  EXPECT_EQ(c.prose[0].section_path, (std::vector<std::string>{"T", "A"}));
  EXPECT_EQ(c.prose[1].text, "Rationale: Users must trust us.");
  EXPECT_TRUE(c.prose[1].rationale);
}

TEST(ConstitutionLoad, FixtureFile) {
  const auto r = load(testing::fixtures_dir() / "constitution" / "minimal.md");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->clauses.size(), 2U);
  ASSERT_TRUE(r->sync_impact);
  EXPECT_EQ(r->sync_impact->version_from, "0.9.0");
  EXPECT_EQ(r->sync_impact->version_to, "1.0.0");
  EXPECT_EQ(r->sync_impact->follow_up.size(), 1U);
  ASSERT_TRUE(r->version);
  EXPECT_FALSE(r->version->ratified);
  EXPECT_EQ(r->version->last_amended, Date::parse("2026-01-03"));
  EXPECT_NE(r->find("security/secrets/secrets-must-not-be-committed"), nullptr);
}

TEST(ConstitutionLoad, CrlfAndBom) {
  const auto c = must_parse("\xEF\xBB\xBF# T\r\n\r\n## A\r\n- X MUST y\r\n- Z MUST w\r\n\r\n```\r\nsrc/\r\n  a.cpp\r\n```\r\n");
  ASSERT_EQ(c.clauses.size(), 3U);
  EXPECT_EQ(c.sections[0].title(), "T");
  EXPECT_EQ(c.clauses[1].text, "Z MUST w");
  EXPECT_EQ(c.clauses[1].line, 5);
  EXPECT_EQ(c.clauses[2].text, "src/\n  a.cpp\n");
  EXPECT_EQ(c.clauses[0].id, "a/x-must-y");
}

TEST(ConstitutionLoad, RejectsBadInput) {
  const testing::TempDir dir;
  const auto expect_error = [&](std::string_view content, int line, std::string_view needle) {
    const auto file = dir.write("c.md", content);
    const auto r = load(file);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().path, file.string());
    EXPECT_EQ(r.error().line, line) << r.error().to_string();
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
  };
  expect_error("", 1, "empty");
  expect_error(std::string_view("## A\n- X MUST y\n\x00\x01", 18), 3, "binary");
  expect_error("## A\n- X MUST y\n- Z \xC3\x28 MUST w\n", 3, "UTF-8");
  expect_error("# Just a README\n\nNothing normative here.\n", 0, "no clauses found");
  EXPECT_FALSE(load(dir.path() / "missing.md").has_value());
  EXPECT_FALSE(load(dir.path()).has_value());
}

TEST(ConstitutionLoad, NeverCrashesOnOddInput) {
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += std::string(static_cast<std::size_t>(i % 40), ' ') + "- > MUST\n";
  for (const std::string& input : {deep, std::string(5000, '>') + " X MUST y", std::string(3000, '*') + "MUST",
                                   std::string("```\n\xE2\x94\x82\n```\n"), std::string("<!-- SYNC IMPACT REPORT")}) {
    (void)parse(input, "odd.md");
  }
  SUCCEED();
}

TEST(ConstitutionReference, ParsesTheReferenceConstitution) {
  const auto file = testing::shared_file("reference-constitution.md");
  if (!file) GTEST_SKIP() << "../shared/reference-constitution.md not present";
  const auto r = load(*file);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const Constitution& c = *r;
  std::cout << "[          ] reference constitution: " << c.clauses.size() << " clauses\n";

  ASSERT_TRUE(c.version);
  EXPECT_EQ(c.version->version, "2.0.0");
  EXPECT_EQ(c.version->ratified, Date::parse("2026-01-03"));
  EXPECT_EQ(c.version->last_amended, Date::parse("2026-01-03"));
  ASSERT_TRUE(c.sync_impact);
  EXPECT_EQ(c.sync_impact->version_from, "1.0.0");
  EXPECT_EQ(c.sync_impact->version_to, "2.0.0");
  EXPECT_EQ(c.sync_impact->pending_templates.size(), 4U);

  const SeverityPolicy& p = c.severity;
  EXPECT_TRUE(p.from_constitution);
  EXPECT_GT(p.line, 0);
  EXPECT_EQ(p.deadlines[0].unit, Deadline::Unit::hours);
  EXPECT_EQ(p.deadlines[0].amount, 24);
  EXPECT_EQ(p.deadlines[1].unit, Deadline::Unit::days);
  EXPECT_EQ(p.deadlines[1].amount, 7);
  EXPECT_EQ(p.deadlines[2].unit, Deadline::Unit::days);
  EXPECT_EQ(p.deadlines[2].amount, 30);
  EXPECT_EQ(p.deadlines[3].unit, Deadline::Unit::sprint);
  EXPECT_EQ(p.severity_for(Nature::security), Severity::critical);
  EXPECT_EQ(p.severity_for(Nature::documentation), Severity::low);

  std::vector<const Clause*> docker;
  for (const Clause& clause : c.clauses)
    if (!clause.section_path.empty() && clause.section_path.back() == "Dockerfile Requirements") docker.push_back(&clause);
  ASSERT_EQ(docker.size(), 6U);
  const std::vector<std::pair<std::string, Modality>> expected{
      {"Multi-stage builds MUST be used for optimization", Modality::must},
      {"Base images MUST be from official repositories or approved internal registry", Modality::must},
      {"Image size MUST be minimized (Alpine Linux preferred for production)", Modality::must},
      {"Non-root user MUST be specified", Modality::must},
      {"Health checks MUST be implemented via HEALTHCHECK instruction", Modality::must},
      {"Build arguments MUST NOT contain secrets", Modality::must_not}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(docker[i]->text, expected[i].first);
    EXPECT_EQ(docker[i]->modality, expected[i].second);
    EXPECT_EQ(docker[i]->kind, ClauseKind::list_item);
  }
  EXPECT_EQ(docker[0]->line, 204);

  const Clause* pods = by_text(c, "Maximum unavailable pods: 25%");
  ASSERT_NE(pods, nullptr);
  EXPECT_EQ(pods->modality, Modality::rule);
  EXPECT_EQ(pods->kind, ClauseKind::standard_item);

  const Clause* probes = by_text(c, "Liveness and readiness probes");
  ASSERT_NE(probes, nullptr);
  EXPECT_EQ(probes->modality, Modality::must);
  EXPECT_TRUE(probes->modality_inherited);
  EXPECT_EQ(probes->lead_in, "All workloads MUST specify:");

  int structures = 0;
  for (const Clause& clause : c.clauses) {
    if (clause.kind != ClauseKind::structure_block) continue;
    ++structures;
    EXPECT_EQ(clause.section_path.back(), "Chart Structure");
    EXPECT_TRUE(clause.text.starts_with("chart/\n"));
  }
  EXPECT_EQ(structures, 1);

  const Clause* circular = by_text(c, "Circular dependencies are STRICTLY PROHIBITED");
  ASSERT_NE(circular, nullptr);
  EXPECT_EQ(circular->modality, Modality::prohibited);

  EXPECT_EQ(by_text(c, "ADR: Architectural Decision Record"), nullptr);
  EXPECT_EQ(by_text(c, "SemVer: Semantic Versioning"), nullptr);

  const auto all = ids(c);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
}

}  // namespace
}  // namespace constable::constitution

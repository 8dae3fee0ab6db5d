#include <gtest/gtest.h>

#include "constitution/model.hpp"

namespace constable::constitution {
namespace {

constexpr std::string_view kPolicy =
    "# T\n"
    "## Governance\n"
    "### Violations and Remediation\n"          // line 3
    "#### Violation Severity\n"
    "- Critical: Security vulnerabilities\n"
    "- High: Production reliability impact, data loss risk\n"
    "- Medium: Technical debt, maintainability issues\n"
    "- Low: Documentation gaps, minor deviations\n"
    "\n"
    "#### Remediation Timelines\n"
    "- Critical: Immediate action required, 48-hour resolution\n"  // line 11
    "- High: 2 weeks\n"
    "- Medium: 3 months\n"
    "- Low: Next sprint or quarterly cleanup\n";

TEST(SeverityPolicy, Defaults) {
  const auto p = SeverityPolicy::defaults();
  EXPECT_FALSE(p.from_constitution);
  EXPECT_EQ(p.deadlines[0].unit, Deadline::Unit::hours);
  EXPECT_EQ(p.deadlines[0].amount, 24);
  EXPECT_EQ(p.deadlines[1].unit, Deadline::Unit::days);
  EXPECT_EQ(p.deadlines[1].amount, 7);
  EXPECT_EQ(p.deadlines[2].amount, 30);
  EXPECT_EQ(p.deadlines[3].unit, Deadline::Unit::sprint);
  EXPECT_EQ(p.deadlines[0].text, "default");
  EXPECT_EQ(p.severity_for(Nature::security), Severity::critical);
  EXPECT_EQ(p.severity_for(Nature::data_loss), Severity::critical);
  EXPECT_EQ(p.severity_for(Nature::reliability), Severity::high);
  EXPECT_EQ(p.severity_for(Nature::maintainability), Severity::medium);
  EXPECT_EQ(p.severity_for(Nature::documentation), Severity::low);
}

TEST(SeverityPolicy, DueDates) {
  const auto p = SeverityPolicy::defaults();
  const Date found = *Date::parse("2026-01-30");
  EXPECT_EQ(p.due(Severity::critical, found, 14), *Date::parse("2026-01-31"));
  EXPECT_EQ(p.due(Severity::high, found, 14), *Date::parse("2026-02-06"));
  EXPECT_EQ(p.due(Severity::medium, found, 14), *Date::parse("2026-03-01"));
  EXPECT_EQ(p.due(Severity::low, found, 14), *Date::parse("2026-02-13"));
  SeverityPolicy q = p;
  q.deadlines[0] = {Deadline::Unit::hours, 25, "25 hours"};
  EXPECT_EQ(q.due(Severity::critical, found, 14), *Date::parse("2026-02-01"));  // ceil(25/24) = 2 days
}

TEST(SeverityPolicy, WithoutASectionTheDefaultsApply) {
  const auto r = parse("## A\n- X MUST y\n", "c.md");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->severity.from_constitution);
  EXPECT_EQ(r->severity.deadlines[1].amount, 7);
}

TEST(SeverityPolicy, ReadFromTheConstitution) {
  const auto r = parse(kPolicy, "c.md");
  ASSERT_TRUE(r) << r.error().to_string();
  const SeverityPolicy& p = r->severity;
  EXPECT_TRUE(p.from_constitution);
  EXPECT_EQ(p.line, 3);
  EXPECT_EQ(p.deadlines[0].unit, Deadline::Unit::hours);
  EXPECT_EQ(p.deadlines[0].amount, 48);
  EXPECT_EQ(p.deadlines[0].text, "Immediate action required, 48-hour resolution");
  EXPECT_EQ(p.deadlines[1].unit, Deadline::Unit::days);
  EXPECT_EQ(p.deadlines[1].amount, 14);
  EXPECT_EQ(p.deadlines[2].amount, 90);
  EXPECT_EQ(p.deadlines[3].unit, Deadline::Unit::sprint);
  EXPECT_EQ(p.descriptions[1], "Production reliability impact, data loss risk");
  EXPECT_EQ(p.severity_for(Nature::security), Severity::critical);
  EXPECT_EQ(p.severity_for(Nature::data_loss), Severity::high);  // moved by the constitution
  EXPECT_EQ(p.severity_for(Nature::reliability), Severity::high);
  EXPECT_EQ(p.severity_for(Nature::documentation), Severity::low);
  // The list items are clauses like any others.
  EXPECT_EQ(r->clauses.size(), 8U);
  EXPECT_EQ(r->clauses[4].modality, Modality::rule);
}

TEST(SeverityPolicy, UnmentionedNaturesKeepTheirDefaults) {
  const auto r = parse("## Violation Severity\n- High: Security vulnerabilities\n", "c.md");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->severity.severity_for(Nature::security), Severity::high);
  EXPECT_EQ(r->severity.severity_for(Nature::data_loss), Severity::critical);
  EXPECT_EQ(r->severity.severity_for(Nature::maintainability), Severity::medium);
  EXPECT_EQ(r->severity.deadlines[0].text, "default");
}

TEST(SeverityPolicy, UnknownSeverityInTimelinesFailsWithLine) {
  std::string text(kPolicy);
  text.replace(text.find("- High: 2 weeks"), 15, "- Urgent: 2 weeks");
  const auto r = parse(text, "c.md");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().path, "c.md");
  EXPECT_EQ(r.error().line, 12);
  EXPECT_NE(r.error().message.find("Urgent"), std::string::npos);
}

TEST(SeverityPolicy, UnreadableDurationFailsWithLine) {
  std::string text(kPolicy);
  text.replace(text.find("- Medium: 3 months"), 18, "- Medium: eventually");
  const auto r = parse(text, "c.md");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 13);
  EXPECT_NE(r.error().message.find("eventually"), std::string::npos);
}

}  // namespace
}  // namespace constable::constitution

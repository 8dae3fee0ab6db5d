#include "constitution/transition.hpp"

#include <deque>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace constable::constitution {
namespace {

Constitution must_parse(std::string_view markdown) {
  auto result = parse(markdown, "constitution.md");
  EXPECT_TRUE(result.has_value()) << (result ? std::string{} : result.error().to_string());
  return result ? *result : Constitution{};
}

Date day(std::string_view iso) { return *Date::parse(iso); }

// A constitution with the given rules, version and Last Amended date, and
// the reference constitution's transition clause.
std::string version_of(std::string_view rules, std::string_view version, std::string_view amended) {
  return fmt::format(
      "# C\n\n## Standards\n\n### Kafka\n{}\n## Governance\n\n### Backward Compatibility\n"
      "- Breaking changes require 6-month transition period\n- Deprecation warnings MUST be issued\n\n"
      "**Version**: {} | **Ratified**: 2026-01-03 | **Last Amended**: {}\n",
      rules, version, amended);
}

// Versions newest first, each with the date of its commit.
struct History {
  std::deque<Constitution> documents;
  std::vector<ConstitutionVersion> versions;
  History& add(std::string_view markdown, std::optional<Date> committed, std::string source) {
    documents.push_back(must_parse(markdown));
    versions.push_back({&documents.back(), committed, std::move(source)});
    return *this;
  }
};

constexpr std::string_view kBase = "- Topics MUST have minimum 3 partitions for scalability\n";
constexpr std::string_view kRetention = "- Retention MUST be configured on every topic\n";

TEST(TransitionPeriod, ReadFromTheClauseOrSentenceThatNamesIt) {
  const auto reference = transition_period(must_parse(version_of(kBase, "1.0.0", "2026-01-03")));
  ASSERT_TRUE(reference);
  EXPECT_EQ(reference->text, "6-month");
  EXPECT_EQ(reference->months, 6);
  EXPECT_EQ(reference->days, 0);
  const auto days = transition_period(
      must_parse("# C\n\n## G\n- Rules MUST be followed\n\nA transition period of 90 days applies to new rules.\n"));
  ASSERT_TRUE(days);
  EXPECT_EQ(days->days, 90);
  const auto years = transition_period(must_parse("# C\n\n## G\n- A 1-year transition window MUST be granted\n"));
  ASSERT_TRUE(years);
  EXPECT_EQ(years->months, 12);
  // A transition without a length, or a length without a transition, grants nothing.
  EXPECT_FALSE(transition_period(must_parse("# C\n\n## G\n- A transition period MUST be agreed\n- Reviews MUST "
                                            "happen within 48 hours\n")));
}

TEST(TransitionPeriod, EndsOnTheSameDayOfTheMonthOrTheMonthsLast) {
  const TransitionPeriod six{"6-month", 6, 0, 1};
  EXPECT_EQ(six.end_from(day("2026-01-03")), day("2026-07-03"));
  EXPECT_EQ(six.end_from(day("2026-03-31")), day("2026-09-30"));
  EXPECT_EQ(six.end_from(day("2026-08-31")), day("2027-02-28"));
  EXPECT_EQ(six.end_from(day("2027-08-31")), day("2028-02-29"));
  const TransitionPeriod ninety{"90 days", 0, 90, 1};
  EXPECT_EQ(ninety.end_from(day("2026-11-01")), day("2027-01-30"));
}

TEST(TransitionSchedule, AnAddedClauseIsInTransitionFromItsLastAmendedDate) {
  History h;
  h.add(version_of(std::string(kBase) + std::string(kRetention), "1.1.0", "2026-10-15"), day("2026-10-16"), "commit b")
      .add(version_of(kBase, "1.0.0", "2026-01-03"), day("2026-01-03"), "commit a");
  const auto schedule = schedule_transitions(h.versions, day("2026-12-05"));
  ASSERT_EQ(schedule.by_clause.size(), 1U);
  const Transition& t = schedule.by_clause.begin()->second;
  EXPECT_EQ(t.clause_id, "standards/kafka/retention-must-be-configured-on-every-topic");
  EXPECT_EQ(t.cause, TransitionCause::added);
  EXPECT_EQ(t.version, "1.1.0");
  EXPECT_EQ(t.starts, day("2026-10-15"));
  EXPECT_EQ(t.ends, day("2027-04-15"));
  EXPECT_EQ(t.previous_version, 1U);
  EXPECT_EQ(t.reason(*schedule.period),
            "clause added in 1.1.0; the 6-month transition period counts from Last Amended 2026-10-15");
  // On the day it ends, nothing is in transition any more.
  EXPECT_TRUE(schedule_transitions(h.versions, day("2027-04-15")).empty());
}

TEST(TransitionSchedule, WithoutANewLastAmendedDateTheCommitCounts) {
  History h;
  h.add(version_of(std::string(kBase) + std::string(kRetention), "1.0.0", "2026-01-03"), day("2026-11-20"),
        "commit 1a2b3c4")
      .add(version_of(kBase, "1.0.0", "2026-01-03"), day("2026-01-03"), "commit a");
  const auto schedule = schedule_transitions(h.versions, day("2026-12-05"));
  ASSERT_EQ(schedule.by_clause.size(), 1U);
  const Transition& t = schedule.by_clause.begin()->second;
  EXPECT_EQ(t.ends, day("2027-05-20"));
  EXPECT_EQ(t.counted_from, "commit 1a2b3c4 (2026-11-20)");
  EXPECT_EQ(t.version, "1.0.0");
}

TEST(TransitionSchedule, TighteningIsATransitionLooseningAndRewordingAreNot) {
  const auto scheduled = [](std::string_view before, std::string_view after) {
    History h;
    h.add(version_of(after, "2.0.0", "2026-11-01"), std::nullopt, "the working tree")
        .add(version_of(before, "1.0.0", "2026-01-03"), day("2026-01-03"), "commit a");
    return schedule_transitions(h.versions, day("2026-12-05"));
  };
  const auto tightened = scheduled(kBase, "- Topics MUST have minimum 6 partitions for scalability\n");
  ASSERT_EQ(tightened.by_clause.size(), 1U);
  EXPECT_EQ(tightened.by_clause.begin()->second.cause, TransitionCause::tightened);
  EXPECT_EQ(tightened.by_clause.begin()->second.previous_clause_id,
            "standards/kafka/topics-must-have-minimum-3-partitions-for-scalability");
  EXPECT_EQ(tightened.by_clause.begin()->second.reason(*tightened.period),
            "clause tightened in 2.0.0 (a parameter tightened: 3 partitions → 6 partitions); the 6-month "
            "transition period counts from Last Amended 2026-11-01");
  EXPECT_TRUE(scheduled(kBase, "- Topics MUST have minimum 2 partitions for scalability\n").empty());
  EXPECT_TRUE(scheduled(kBase, "- Topics MUST have a minimum of 3 partitions for scalability\n").empty());
  const auto strengthened = scheduled("- Retention SHOULD be configured\n", "- Retention MUST be configured\n");
  ASSERT_EQ(strengthened.by_clause.size(), 1U);
  EXPECT_EQ(strengthened.by_clause.begin()->second.cause, TransitionCause::tightened);
  const auto flipped = scheduled("- Retention MUST be configured\n", "- Retention MUST NOT be configured\n");
  ASSERT_EQ(flipped.by_clause.size(), 1U);
  EXPECT_EQ(flipped.by_clause.begin()->second.cause, TransitionCause::redefined);
}

TEST(TransitionSchedule, FollowsAClauseThroughLaterAmendmentsAndStopsAtEndedOnes) {
  // 1.0.0 (2025) -> 1.1.0 adds retention (2026-09-01) -> 1.1.1 rewords it (2026-11-01).
  History h;
  h.add(version_of(std::string(kBase) + "- Retention MUST be configured for every topic\n", "1.1.1", "2026-11-01"),
        day("2026-11-01"), "commit c")
      .add(version_of(std::string(kBase) + std::string(kRetention), "1.1.0", "2026-09-01"), day("2026-09-01"),
           "commit b")
      .add(version_of(kBase, "1.0.0", "2025-01-03"), day("2025-01-03"), "commit a");
  const auto schedule = schedule_transitions(h.versions, day("2026-12-05"));
  ASSERT_EQ(schedule.by_clause.size(), 1U);
  const Transition& t = schedule.by_clause.begin()->second;
  EXPECT_EQ(t.clause_id, "standards/kafka/retention-must-be-configured-for-every-topic");
  EXPECT_EQ(t.version, "1.1.0");
  EXPECT_EQ(t.ends, day("2027-03-01"));
  EXPECT_EQ(t.previous_version, 2U);
  // A constitution that grants no period has no transitions.
  History none;
  none.add("# C\n\n## Kafka\n- Topics MUST have minimum 3 partitions\n- Retention MUST be configured\n", std::nullopt,
           "the working tree")
      .add("# C\n\n## Kafka\n- Topics MUST have minimum 3 partitions\n", day("2026-11-01"), "commit a");
  EXPECT_TRUE(schedule_transitions(none.versions, day("2026-12-05")).empty());
  EXPECT_FALSE(schedule_transitions(none.versions, day("2026-12-05")).period);
}

}  // namespace
}  // namespace constable::constitution

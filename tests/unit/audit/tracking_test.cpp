#include "audit/tracking.hpp"

#include <gtest/gtest.h>

namespace constable::audit {
namespace {

constexpr std::string_view kConstitution =
    "# C\n\n## Docker\n- Non-root user MUST be specified\n- Health checks MUST be declared\n\n"
    "## Governance\n### Violations and Remediation\n#### Remediation Timelines\n"
    "- Critical: 24-hour resolution\n- High: 7-day resolution\n- Medium: 30-day resolution\n- Low: Next sprint\n";

constitution::Constitution parse(std::string_view markdown) {
  auto parsed = constitution::parse(markdown, "CONSTITUTION.md");
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().to_string());
  return parsed ? *parsed : constitution::Constitution{};
}

Date day(std::string_view iso) { return *Date::parse(iso); }

engine::Finding finding(std::string_view fingerprint, std::string_view path, int line,
                        std::string_view clause = "docker/non-root-user-must-be-specified",
                        Severity severity = Severity::high) {
  engine::Finding f;
  f.check_id = "docker/non-root-user";
  f.clause_id = std::string(clause);
  f.fingerprint = std::string(fingerprint);
  f.severity = severity;
  f.path = std::string(path);
  f.range = SourceRange::at_line(line);
  f.message = "final stage runs as root";
  return f;
}

// Records `tracked` as a store would: new ones numbered, changed ones replaced.
void record_into(std::vector<store::Violation>& known, const Tracked& tracked) {
  for (const auto& v : tracked.changed) {
    if (v.id == 0) {
      known.push_back(v);
      known.back().id = static_cast<std::int64_t>(known.size());
      continue;
    }
    for (auto& k : known)
      if (k.id == v.id) k = v;
  }
}

Sighting at(std::int64_t run, std::string_view date) {
  return {
      .repository = "payments", .run = run, .commit = "c" + std::to_string(run), .today = day(date), .sprint_days = 14};
}

TEST(Tracking, FollowsAViolationFromFirstSightingToItsFix) {
  const auto constitution = parse(kConstitution);
  std::vector<store::Violation> known;
  // Run 1: two violations open, due 7 days (high) after first seen.
  auto first = track(known, {finding("aa", "Dockerfile", 3), finding("bb", "api/Dockerfile", 1)}, constitution,
                     at(1, "2026-11-01"));
  EXPECT_EQ(first.opened, 2U);
  record_into(known, first);
  ASSERT_EQ(known.size(), 2U);
  EXPECT_EQ(known[0].due, day("2026-11-08"));
  EXPECT_EQ(known[0].first_seen_commit, "c1");
  EXPECT_EQ(known[0].repository, "payments");
  // Run 2: the first moved two lines down and is still open, due as before;
  // the second is gone: fixed in run 2.
  auto second = track(known, {finding("aa", "Dockerfile", 5)}, constitution, at(2, "2026-11-10"));
  EXPECT_EQ(second.still_open, 1U);
  EXPECT_EQ(second.fixed, 1U);
  record_into(known, second);
  EXPECT_EQ(known[0].line, 5);
  EXPECT_EQ(known[0].last_seen_run, 2);
  EXPECT_EQ(known[0].due, day("2026-11-08"));
  EXPECT_TRUE(known[0].overdue(day("2026-11-10")));
  EXPECT_EQ(known[1].status, store::Status::fixed);
  EXPECT_EQ(known[1].fixed_run, 2);
  EXPECT_EQ(known[1].fixed_commit, "c2");
  EXPECT_EQ(known[1].fixed_on, day("2026-11-10"));
  // Run 3: the fixed one is back: reopened, counted from today.
  auto third = track(known, {finding("aa", "Dockerfile", 5), finding("bb", "api/Dockerfile", 1)}, constitution,
                     at(3, "2026-11-20"));
  EXPECT_EQ(third.reopened, 1U);
  record_into(known, third);
  ASSERT_EQ(known.size(), 2U);  // the same violation, not a new one
  EXPECT_EQ(known[1].status, store::Status::open);
  EXPECT_EQ(known[1].reopened, 1);
  EXPECT_EQ(known[1].first_seen, day("2026-11-20"));
  EXPECT_EQ(known[1].fixed_run, 0);
  EXPECT_FALSE(known[1].fixed_on);
}

TEST(Tracking, AnAmendedTimelineMovesDueDatesFromFirstSighting) {
  std::vector<store::Violation> known;
  record_into(known, track(known, {finding("aa", "Dockerfile", 3)}, parse(kConstitution), at(1, "2026-11-01")));
  std::string amended(kConstitution);
  amended.replace(amended.find("High: 7-day"), std::string_view("High: 7-day").size(), "High: 3-day");
  record_into(known, track(known, {finding("aa", "Dockerfile", 3)}, parse(amended), at(2, "2026-11-02")));
  EXPECT_EQ(known[0].due, day("2026-11-04"));
  EXPECT_EQ(known[0].first_seen, day("2026-11-01"));
}

TEST(Tracking, AClauseThatDisappearsClosesItsViolations) {
  std::vector<store::Violation> known;
  record_into(known, track(known, {finding("aa", "Dockerfile", 3)}, parse(kConstitution), at(1, "2026-11-01")));
  std::string amended(kConstitution);
  amended.erase(amended.find("- Non-root user MUST be specified\n"),
                std::string_view("- Non-root user MUST be specified\n").size());
  const auto tracked = track(known, {}, parse(amended), at(2, "2026-11-02"));
  EXPECT_EQ(tracked.clause_removed, 1U);
  EXPECT_EQ(tracked.fixed, 0U);
  record_into(known, tracked);
  EXPECT_EQ(known[0].status, store::Status::clause_removed);
}

TEST(Tracking, WaivedFindingsAreTrackedAsWaivedAndInlineSuppressionsNotAtAll) {
  const auto constitution = parse(kConstitution);
  std::vector<store::Violation> known;
  engine::Finding waived = finding("aa", "Dockerfile", 3);
  waived.suppression = engine::Suppression{engine::Suppression::Kind::waiver, "migrating", "team-api",
                                           day("2027-01-31"), ".constable.yaml:4"};
  engine::Finding commented = finding("bb", "api/Dockerfile", 1);
  commented.suppression = engine::Suppression{engine::Suppression::Kind::inline_comment, "vendor image", "", {}, ""};
  const auto tracked = track(known, {waived, commented}, constitution, at(1, "2026-11-01"));
  ASSERT_EQ(tracked.changed.size(), 1U);
  EXPECT_EQ(tracked.waived, 1U);
  const store::Violation& v = tracked.changed.front();
  EXPECT_EQ(v.status, store::Status::waived);
  EXPECT_EQ(v.waiver_owner, "team-api");
  EXPECT_EQ(v.waiver_expires, day("2027-01-31"));
  EXPECT_FALSE(v.overdue(day("2026-12-01")));
}

TEST(Tracking, ADeprecationWarningIsDueFromTheEndOfItsTransition) {
  engine::Finding warned = finding("aa", "Dockerfile", 3);
  warned.transition = engine::TransitionNotice{day("2027-05-01"), "clause added in 2.1.0"};
  const auto tracked = track({}, {warned}, parse(kConstitution), at(1, "2026-11-01"));
  ASSERT_EQ(tracked.changed.size(), 1U);
  const store::Violation& v = tracked.changed.front();
  EXPECT_EQ(v.transition_until, day("2027-05-01"));
  EXPECT_EQ(v.due, day("2027-05-08"));
  EXPECT_FALSE(v.overdue(day("2027-05-07")));
  EXPECT_TRUE(v.overdue(day("2027-05-09")));
}

}  // namespace
}  // namespace constable::audit

// Transition periods end to end: two versions of a constitution in git
// history (or named by previous_constitution:), and what `check` makes of
// the clauses the newer one added or tightened.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace constable::testing {
namespace {

using nlohmann::json;

std::string constitution(std::string_view extra_docker_rule, int revisions, std::string_view version,
                         std::string_view amended) {
  return fmt::format(
      "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n- Multi-stage builds MUST be used for "
      "optimization\n{}\n## Kubernetes Standards\n\n### Deployments\n- Deployment history limit: {} revisions\n\n"
      "## Governance\n\n### Backward Compatibility\n- Breaking changes require 6-month transition period\n"
      "- Deprecation warnings MUST be issued\n\n**Version**: {} | **Ratified**: 2026-01-03 | **Last Amended**: {}\n",
      extra_docker_rule, revisions, version, amended);
}

const std::string kVersion1 = constitution("", 10, "1.0.0", "2026-01-03");
// 2.0.0 adds the non-root rule and tightens the history limit from 10 to 5.
const std::string kVersion2 = constitution("- Non-root user MUST be specified\n", 5, "2.0.0", "2026-11-01");

// A repository whose Dockerfile runs as root and whose Deployments keep 2
// revisions (wrong under both versions) and 10 (wrong only under 2.0.0).
void write_project(const TempDir& repo) {
  repo.write("Dockerfile", "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\n");
  const auto deployment = [](std::string_view name, int revisions) {
    return fmt::format(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {0}\nspec:\n  revisionHistoryLimit: {1}\n"
        "  selector:\n    matchLabels: {{app: {0}}}\n  template:\n    metadata:\n      labels: {{app: {0}}}\n"
        "    spec:\n      containers:\n        - name: {0}\n          image: registry.example.com/{0}:1.0.0\n",
        name, revisions);
  };
  repo.write("deploy/always-wrong.yaml", deployment("always-wrong", 2));
  repo.write("deploy/newly-wrong.yaml", deployment("newly-wrong", 10));
}

const json* finding_of(const json& report, std::string_view check, std::string_view path) {
  for (const auto& f : report["findings"])
    if (f["check"] == check && f["location"]["path"] == path) return &f;
  return nullptr;
}

TEST(TransitionPeriods, NewAndTightenedClausesWarnUntilThePeriodEnds) {
  TempDir repo;
  write_project(repo);
  repo.write("CONSTITUTION.md", kVersion1);
  git(repo, {"init", "-q"});
  git(repo, {"add", "."});
  git(repo, {"commit", "-q", "-m", "docs: constitution 1.0.0"}, "2026-01-03T09:00:00Z");
  repo.write("CONSTITUTION.md", kVersion2);
  git(repo, {"commit", "-q", "-am", "docs: constitution 2.0.0"}, "2026-11-02T09:00:00Z");

  const auto r = constable({"check", ".", "--format", "json"}, repo.path());
  ASSERT_LE(r.exit_code, 1) << r.err;
  const json report = json::parse(r.out);
  // Deprecation warnings: the added rule, and the tightened limit where only the new number fails.
  const json* root_user = finding_of(report, "docker/non-root-user", "Dockerfile");
  ASSERT_NE(root_user, nullptr) << r.out;
  EXPECT_EQ((*root_user)["transition"]["until"], "2027-05-01") << *root_user;
  EXPECT_EQ((*root_user)["transition"]["reason"],
            "clause added in 2.0.0; the 6-month transition period counts from Last Amended 2026-11-01");
  EXPECT_EQ((*root_user)["due"], "2027-05-02");  // critical: 24 hours after the period ends
  const json* newly = finding_of(report, "kubernetes/revision-history-limit", "deploy/newly-wrong.yaml");
  ASSERT_NE(newly, nullptr) << r.out;
  EXPECT_EQ((*newly)["transition"]["until"], "2027-05-01");
  EXPECT_NE((*newly)["transition"]["reason"].get<std::string>().find("clause tightened in 2.0.0"), std::string::npos);
  // What the old wording also found is an old violation: due now, and it fails the run.
  const json* always = finding_of(report, "kubernetes/revision-history-limit", "deploy/always-wrong.yaml");
  ASSERT_NE(always, nullptr) << r.out;
  EXPECT_FALSE(always->contains("transition")) << *always;
  EXPECT_EQ((*always)["due"], "2026-12-22");  // medium: 30 days
  EXPECT_EQ(report["summary"]["in_transition"], 2);
  EXPECT_EQ(report["summary"]["total"], 1);
  EXPECT_EQ(r.exit_code, 1);

  // Text says "warning until" in place of the due date, and counts them apart.
  const auto text = constable({"check", "."}, repo.path());
  EXPECT_NE(text.out.find("      warning until 2027-05-01 (clause added in 2.0.0; the 6-month transition period counts "
                          "from Last Amended 2026-11-01), then due 2027-05-02\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("2 deprecation warnings (clauses in their transition period)"), std::string::npos)
      << text.out;
  // SARIF: a warning whatever it will become, with the date in its properties.
  const json sarif = json::parse(constable({"check", ".", "--format", "sarif"}, repo.path()).out);
  bool seen = false;
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (result["ruleId"] != "docker/non-root-user") continue;
    seen = true;
    EXPECT_EQ(result["level"], "warning");
    EXPECT_EQ(result["properties"]["transition"]["until"], "2027-05-01");
  }
  EXPECT_TRUE(seen) << sarif.dump(2);

  // explain says it of the clause.
  const auto explained =
      constable({"explain", "docker-standards/dockerfile-requirements/non-root-user-must-be-specified", "."},
                repo.path());
  EXPECT_NE(explained.out.find("  transition: findings are deprecation warnings until 2027-05-01 (clause added in "
                               "2.0.0; the 6-month transition period counts from Last Amended 2026-11-01)\n"),
            std::string::npos)
      << explained.out << explained.err;

  // Only the old violation fails the gate: fixing it passes the run.
  repo.write("deploy/always-wrong.yaml", "# gone\n");
  EXPECT_EQ(constable({"check", "."}, repo.path()).exit_code, 0);

  // When the period ends they are violations with their normal due dates.
  const auto later = constable({"check", ".", "--format", "json", "--today", "2027-05-01"}, repo.path());
  EXPECT_EQ(later.exit_code, 1);
  const json after = json::parse(later.out);
  EXPECT_EQ(after["summary"]["in_transition"], 0);
  const json* now_due = finding_of(after, "docker/non-root-user", "Dockerfile");
  ASSERT_NE(now_due, nullptr);
  EXPECT_FALSE(now_due->contains("transition"));
  EXPECT_EQ((*now_due)["due"], "2027-05-02");
}

TEST(TransitionPeriods, WithoutANewLastAmendedDateTheCommitCounts) {
  TempDir repo;
  write_project(repo);
  repo.write("CONSTITUTION.md", kVersion1);
  git(repo, {"init", "-q"});
  git(repo, {"add", "."});
  git(repo, {"commit", "-q", "-m", "docs: constitution"}, "2026-01-03T09:00:00Z");
  // The rule is added but the footer is left as it was.
  repo.write("CONSTITUTION.md", constitution("- Non-root user MUST be specified\n", 10, "1.0.0", "2026-01-03"));
  git(repo, {"commit", "-q", "-am", "docs: non-root rule"}, "2026-10-20T09:00:00Z");
  const json report = json::parse(constable({"check", ".", "--format", "json"}, repo.path()).out);
  const json* root_user = finding_of(report, "docker/non-root-user", "Dockerfile");
  ASSERT_NE(root_user, nullptr);
  EXPECT_EQ((*root_user)["transition"]["until"], "2027-04-20");
  EXPECT_NE((*root_user)["transition"]["reason"].get<std::string>().find("counts from commit "), std::string::npos)
      << *root_user;
}

TEST(TransitionPeriods, PreviousConstitutionStandsInForGitHistory) {
  TempDir dir;  // not a git repository
  write_project(dir);
  dir.write("CONSTITUTION.md", kVersion2);
  dir.write("constitution-1.0.0.md", kVersion1);
  dir.write(".constable.yaml", "previous_constitution: constitution-1.0.0.md\n");
  const json report = json::parse(constable({"check", ".", "--format", "json"}, dir.path()).out);
  const json* root_user = finding_of(report, "docker/non-root-user", "Dockerfile");
  ASSERT_NE(root_user, nullptr);
  EXPECT_EQ((*root_user)["transition"]["until"], "2027-05-01");
  EXPECT_EQ(report["summary"]["in_transition"], 2);

  // A constitution without a transition clause grants none.
  std::string strict = kVersion2;
  strict.replace(strict.find("- Breaking changes require 6-month transition period\n"),
                 std::string_view("- Breaking changes require 6-month transition period\n").size(), "");
  dir.write("CONSTITUTION.md", strict);
  const json none = json::parse(constable({"check", ".", "--format", "json"}, dir.path()).out);
  EXPECT_EQ(none["summary"]["in_transition"], 0);
  EXPECT_EQ(none["summary"]["total"], 3);

  // A previous version that cannot be read is a note; the run goes on.
  dir.write("CONSTITUTION.md", kVersion2);
  dir.write(".constable.yaml", "previous_constitution: missing.md\n");
  const auto missing = constable({"check", ".", "--format", "json"}, dir.path());
  ASSERT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_NE(missing.out.find("transition periods: previous_constitution:"), std::string::npos) << missing.out;
}

TEST(TransitionPeriods, DiffSaysWhichClausesWillWarnAndUntilWhen) {
  TempDir dir;
  const auto old_file = dir.write("old.md", kVersion1);
  const auto new_file = dir.write("new.md", kVersion2);
  const auto text = constable({"constitution", "diff", old_file.string(), new_file.string()});
  EXPECT_NE(text.out.find("Transition: the constitution's 6-month transition period (line 17) makes the new findings "
                          "of 2 clauses deprecation warnings until 2027-05-01, then violations:\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  added      docker-standards/dockerfile-requirements/non-root-user-must-be-specified\n"),
            std::string::npos)
      << text.out;
  const json doc = json::parse(constable({"constitution", "diff", old_file.string(), new_file.string(), "--format",
                                          "json"}).out);
  EXPECT_EQ(doc["transition"]["period"], "6-month");
  ASSERT_EQ(doc["transition"]["clauses"].size(), 2U);
  EXPECT_EQ(doc["transition"]["clauses"][1]["cause"], "tightened");
  EXPECT_EQ(doc["transition"]["clauses"][1]["until"], "2027-05-01");
}

}  // namespace
}  // namespace constable::testing

// The compliant example end to end (it reports nothing; breaking it is
// reported with a location) and attestations: findings when they do not hold,
// --require-attestations, and how coverage shows them.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kConstitution = ".specify/memory/constitution.md";

std::filesystem::path compliant_repo() { return source_dir() / "examples" / "compliant-repo"; }

// A copy of the compliant example in its own git repository on `main`, with a
// Conventional Commit and a SemVer tag, so that git checks see a clean history
// rather than the repository the example is stored in.
void copy_compliant_repo(const TempDir& repo) {
  std::filesystem::copy(compliant_repo(), repo.path(), std::filesystem::copy_options::recursive);
  git(repo, {"init", "-q"});
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "feat(orders): first release of the orders service"});
  git(repo, {"tag", "v1.2.0"});
}

std::string replace_once(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

nlohmann::json findings_of(const CommandResult& r) {
  const auto doc = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.out << r.err;
  return doc.is_discarded() ? nlohmann::json::array() : doc["findings"];
}

std::vector<nlohmann::json> of_check(const nlohmann::json& findings, std::string_view check) {
  std::vector<nlohmann::json> out;
  for (const auto& f : findings)
    if (f["check"] == check) out.push_back(f);
  return out;
}

// The line of the first line of `path` that contains `needle`.
int line_of(const std::filesystem::path& path, std::string_view needle) {
  std::ifstream in(path);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (line.find(needle) != std::string::npos) return n;
  return 0;
}

TEST(CompliantExample, ReportsNothing) {
  TempDir repo;
  copy_compliant_repo(repo);
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(findings_of(r).empty()) << r.out;
  // Every check of the catalogue runs on it: nothing passes for want of a stack.
  auto checks = constable({"checks", repo.path().string()});
  EXPECT_EQ(checks.out.find("not-applicable"), std::string::npos) << checks.out;
  EXPECT_EQ(checks.out.find("no-clause"), std::string::npos) << checks.out;
}

TEST(CompliantExample, RemovingAC4LevelIsReported) {
  TempDir repo;
  copy_compliant_repo(repo);
  const auto file = repo.path() / "ARCHITECTURE.md";
  repo.write("ARCHITECTURE.md", replace_once(read_file(file), "C4Component", "flowchart LR"));
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto found = of_check(findings_of(r), "spec/architecture-diagrams");
  ASSERT_EQ(found.size(), 1u) << r.out;
  EXPECT_NE(found[0]["message"].get<std::string>().find("Component"), std::string::npos) << found[0];
  EXPECT_FALSE(found[0]["location"]["path"].get<std::string>().empty()) << found[0];
}

TEST(CompliantExample, BreakingTheChangelogOrderIsReportedAtItsLine) {
  TempDir repo;
  copy_compliant_repo(repo);
  const auto file = repo.path() / "CHANGELOG.md";
  std::string text = read_file(file);
  // Move the oldest release above the newest.
  const auto oldest = text.find("## [1.0.0]");
  const auto links = text.find("[Unreleased]: ");
  const std::string section = text.substr(oldest, links - oldest);
  text.erase(oldest, links - oldest);
  text.insert(text.find("## [1.2.0]"), section);
  repo.write("CHANGELOG.md", text);
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto found = of_check(findings_of(r), "docs/changelog-format");
  ASSERT_FALSE(found.empty()) << r.out;
  EXPECT_EQ(found[0]["location"]["path"], "CHANGELOG.md");
  const int moved = line_of(file, "## [1.2.0]");
  bool at_a_release = false;
  for (const auto& f : found)
    at_a_release = at_a_release || f["location"]["line"] == moved || f["location"]["line"] == line_of(file, "## [1.0.0]");
  EXPECT_TRUE(at_a_release) << r.out;
}

TEST(CompliantExample, DroppingACiStageIsReportedInTheWorkflow) {
  TempDir repo;
  copy_compliant_repo(repo);
  const auto file = repo.path() / ".github/workflows/ci.yml";
  std::string text = read_file(file);
  const auto begin = text.find("  dependency-scan:");
  const auto end = text.find("  unit-tests:");
  text.erase(begin, end - begin);
  text = replace_once(text, "needs: [lint, dependency-scan, unit-tests]", "needs: [lint, unit-tests]");
  repo.write(".github/workflows/ci.yml", text);
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto found = of_check(findings_of(r), "ci/pipeline-stages");
  ASSERT_EQ(found.size(), 1u) << r.out;
  EXPECT_EQ(found[0]["location"]["path"], ".github/workflows/ci.yml");
  EXPECT_GT(found[0]["location"]["line"].get<int>(), 0);
  EXPECT_NE(found[0]["message"].get<std::string>().find("ependency"), std::string::npos) << found[0];
}

TEST(Attestations, ProblemsAreFindingsAtTheirConfigLine) {
  TempDir repo;
  copy_compliant_repo(repo);
  std::string config = read_file(repo.path() / ".constable.yaml");
  config += "  - clause: compliance-verification/human-review/architecture-review-board-meets-weekly\n"
            "    evidence: docs/governance/architecture-review-board.md\n"
            "    owner: cto-office\n"
            "    date: 2026-09-15\n"
            "    expires: 2027-09-15\n"
            "  - clause: testing-pyramid/test-automation/flaky-tests-must-be-fixed-within-48-hours\n"
            "    evidence: docs/quality/flaky-tests.md\n"
            "    owner: orders-team\n"
            "    date: 2026-09-15\n"
            "    expires: 2027-09-15\n"
            "  - clause: testing-pyramid/mandatory-test-coverage/end-to-end-tests-critical-user-journeys\n"
            "    evidence: features/place_order.feature\n"
            "    owner: orders-team\n"
            "    date: 2025-09-15\n"
            "    expires: 2026-09-15\n";
  const auto file = repo.write(".constable.yaml", config);
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto findings = findings_of(r);
  EXPECT_EQ(findings.size(), 3u) << r.out;

  const auto invalid = of_check(findings, "constable/invalid-attestation");
  ASSERT_EQ(invalid.size(), 2u) << r.out;
  for (const auto& f : invalid) EXPECT_EQ(f["location"]["path"], ".constable.yaml");
  const auto message_at = [&](int line) {
    for (const auto& f : invalid)
      if (f["location"]["line"] == line) return f["message"].get<std::string>();
    return std::string("(none at this line)");
  };
  EXPECT_NE(message_at(line_of(file, "meets-weekly")).find("does not have"), std::string::npos) << r.out;
  EXPECT_NE(message_at(line_of(file, "flaky-tests.md")).find("does not exist"), std::string::npos) << r.out;

  const auto expired = of_check(findings, "constable/expired-attestation");
  ASSERT_EQ(expired.size(), 1u) << r.out;
  EXPECT_EQ(expired[0]["location"]["line"], line_of(file, "end-to-end-tests-critical-user-journeys"));
  EXPECT_NE(expired[0]["message"].get<std::string>().find("expired on 2026-09-15"), std::string::npos);
  EXPECT_EQ(expired[0]["severity"], "medium") << "maintainability under the reference constitution's policy";

  // Every attestation of the example lapses together.
  auto later = constable({"check", repo.path().string(), "--format", "json", "--today", "2027-10-01"});
  EXPECT_EQ(of_check(findings_of(later), "constable/expired-attestation").size(), 26u) << later.out;
}

TEST(Attestations, ConfigErrorsFailWithFileAndLine) {
  TempDir repo;
  copy_compliant_repo(repo);
  repo.write(".constable.yaml", "attestations:\n  - clause: a/b/c\n    evidence: x.md\n    date: 2026-01-01\n"
                                "    expires: 2027-01-01\n");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(".constable.yaml:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing 'owner'"), std::string::npos) << r.err;
}

TEST(Attestations, RequireAttestationsReportsEveryUnenforcedClauseAsLow) {
  TempDir repo;
  copy_compliant_repo(repo);
  auto r = constable({"check", repo.path().string(), "--format", "json", "--require-attestations"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto found = of_check(findings_of(r), "constable/unattested-clause");
  EXPECT_EQ(found.size(), findings_of(r).size()) << "nothing else is reported";
  ASSERT_FALSE(found.empty());
  const auto constitution = repo.path() / kConstitution;
  std::set<int> lines;
  for (const auto& f : found) {
    EXPECT_EQ(f["severity"], "low");
    EXPECT_EQ(f["location"]["path"], std::string(kConstitution));
    EXPECT_EQ(f["clause"]["line"], f["location"]["line"]);
    EXPECT_NE(f["message"].get<std::string>().find(f["clause"]["id"].get<std::string>()), std::string::npos);
    lines.insert(f["location"]["line"].get<int>());
  }
  EXPECT_TRUE(lines.contains(line_of(constitution, "Implement context pruning strategies for long conversations")))
      << "not enforced, not attested";
  EXPECT_FALSE(lines.contains(line_of(constitution, "Architecture review board meets bi-weekly"))) << "attested";
  EXPECT_FALSE(lines.contains(line_of(constitution, "Non-root user MUST be specified"))) << "enforced by a check";
  EXPECT_FALSE(lines.contains(line_of(constitution, "- High: 7-day resolution"))) << "applied by constable";
  EXPECT_FALSE(lines.contains(line_of(constitution, "Every project MUST include:"))) << "its items are enforced";

  // The findings are exactly coverage's "not enforced" clauses, less those that only permit (MAY).
  auto coverage = constable({"coverage", repo.path().string(), "--format", "json"});
  std::set<int> expected;
  std::size_t permissions = 0;
  const auto coverage_doc = nlohmann::json::parse(coverage.out);
  for (const auto& c : coverage_doc["clauses"]) {
    if (c["status"] != "not enforced") continue;
    if (c["modality"] == "MAY") ++permissions;
    else expected.insert(c["line"].get<int>());
  }
  EXPECT_GT(permissions, 0u) << "the reference constitution has a MAY clause nothing enforces";
  EXPECT_EQ(lines, expected);

  // Without the flag, nothing.
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0);
}

TEST(Attestations, CoverageShowsAttestedClauses) {
  TempDir repo;
  copy_compliant_repo(repo);
  auto text = constable({"coverage", repo.path().string()});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  const int board = line_of(repo.path() / kConstitution, "Architecture review board meets bi-weekly");
  EXPECT_NE(text.out.find(fmt::format("attested        L{:<4} compliance-verification/human-review/architecture-review-"
                                      "board-meets-bi-weekly",
                                      board)),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("attestation: owner cto-office, attested 2026-09-15, expires 2027-09-15"), std::string::npos);
  EXPECT_NE(text.out.find("by constable (severity policy"), std::string::npos);
  EXPECT_NE(text.out.find(", 13 attested,"), std::string::npos) << text.out;

  auto json = constable({"coverage", repo.path().string(), "--format", "json"});
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["totals"]["attested"], 13);
  EXPECT_EQ(doc["totals"]["enforced_by_constable"], 8);
  const auto& clauses = doc["clauses"];
  const auto row = std::find_if(clauses.begin(), clauses.end(), [&](const auto& c) { return c["line"] == board; });
  ASSERT_NE(row, clauses.end());
  EXPECT_EQ((*row)["status"], "attested");
  EXPECT_EQ((*row)["attestation"]["owner"], "cto-office");
  EXPECT_EQ((*row)["attestation"]["state"], "valid");

  auto markdown = constable({"coverage", repo.path().string(), "--format", "markdown"});
  EXPECT_NE(markdown.out.find("| attested | 13 |"), std::string::npos) << markdown.out;

  // An expired attestation no longer counts.
  auto later = constable({"coverage", repo.path().string(), "--format", "json", "--today", "2027-10-01"});
  EXPECT_EQ(nlohmann::json::parse(later.out)["totals"]["attested"], 0);
}

}  // namespace
}  // namespace constable::testing

// The security domain's repository checks on whole repositories, for what
// fixtures cannot express: a finding about a missing file (line 0 at a path
// that does not exist) and about a whole file.

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

using Found = std::tuple<std::string, int, std::string>;  // path, line, check

std::multiset<Found> security_findings(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id == "security/disclosure-policy") out.insert({f.path, f.range.line, f.check_id});
  return out;
}

TEST(SecurityRepository, DeployedRepositoryWithoutSecurityPolicyIsToldWhereToWriteIt) {
  TempDir repo;
  repo.write("compose.yaml", "services:\n  app:\n    image: example/app:1.0.0\n");
  EXPECT_EQ(security_findings(repo), (std::multiset<Found>{{"SECURITY.md", 0, "security/disclosure-policy"}}));
}

TEST(SecurityRepository, SecurityPolicyWithoutAReportingChannelIsReported) {
  TempDir repo;
  repo.write("compose.yaml", "services:\n  app:\n    image: example/app:1.0.0\n");
  repo.write("docs/SECURITY.md", "# Security\n\nWe take security seriously.\n");
  EXPECT_EQ(security_findings(repo), (std::multiset<Found>{{"docs/SECURITY.md", 0, "security/disclosure-policy"}}));
}

TEST(SecurityRepository, RepositoryThatShipsNothingIsNotAskedForAPolicy) {
  TempDir repo;
  repo.write("src/lib.py", "def f():\n    return 1\n");
  EXPECT_TRUE(security_findings(repo).empty());
}

TEST(SecurityRepository, AnyReportingChannelCounts) {
  for (const char* policy : {"Mail security@example.org.\n", "Use https://example.org/security/report\n",
                             "Open a draft security advisory on GitHub.\n", "We run a HackerOne programme.\n"}) {
    TempDir repo;
    repo.write("compose.yaml", "services:\n  app:\n    image: example/app:1.0.0\n");
    repo.write(".github/SECURITY.md", policy);
    EXPECT_TRUE(security_findings(repo).empty()) << policy;
  }
}

// OpenSSF Security Insights documents the process as data (open-telemetry/opentelemetry-demo).
TEST(SecurityRepository, SecurityInsightsWithAReportingContactCounts) {
  TempDir repo;
  repo.write("compose.yaml", "services:\n  app:\n    image: example/app:1.0.0\n");
  repo.write(".github/security-insights.yml",
             "header:\n  schema-version: 2.0.0\nproject:\n  vulnerability-reporting:\n    reports-accepted: true\n"
             "    contact:\n      email: security@example.org\n");
  EXPECT_TRUE(security_findings(repo).empty());
  repo.write(".github/security-insights.yml", "header:\n  schema-version: 2.0.0\nproject:\n  name: app\n");
  EXPECT_EQ(security_findings(repo), (std::multiset<Found>{{"SECURITY.md", 0, "security/disclosure-policy"}}));
}

}  // namespace
}  // namespace constable::testing

// security/audit-log-integrity with a retention period in its clause, which
// the reference constitution does not state ("per compliance requirements"),
// so fixtures cannot show it.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

using Found = std::tuple<std::string, int>;  // path, line

const std::string kClause = "- Logs MUST be immutable and retained per compliance requirements";

std::string excerpt_with(std::string_view clause) {
  std::string text = read_file(fixtures_dir() / "constitution" / "reference-excerpt.md");
  const auto at = text.find(kClause);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) text.replace(at, kClause.size(), clause);
  return text;
}

std::multiset<Found> integrity_findings(const TempDir& repo, std::string_view clause) {
  repo.write("CONSTITUTION.md", excerpt_with(clause));
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  EXPECT_TRUE(session) << session.error().to_string();
  if (!session) return {};
  const auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, {});
  std::multiset<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id == "security/audit-log-integrity") out.insert({f.path, f.range.line});
  return out;
}

constexpr std::string_view kTrail =
    "resource \"aws_cloudtrail\" \"main\" {\n"                         // 1
    "  name                       = \"main\"\n"                         // 2
    "  s3_bucket_name             = aws_s3_bucket.trail.id\n"           // 3
    "  enable_log_file_validation = true\n"                             // 4
    "}\n"                                                               // 5
    "resource \"aws_s3_bucket\" \"trail\" {\n"                          // 6
    "  bucket = \"shop-cloudtrail\"\n"                                  // 7
    "}\n"                                                               // 8
    "resource \"aws_s3_bucket_lifecycle_configuration\" \"trail\" {\n"  // 9
    "  bucket = aws_s3_bucket.trail.id\n"                               // 10
    "  rule {\n"                                                        // 11
    "    id     = \"archive\"\n"                                        // 12
    "    status = \"Enabled\"\n"                                        // 13
    "    filter {}\n"                                                   // 14
    "    expiration {\n"                                                // 15
    "      days = 90\n"                                                 // 16
    "    }\n"                                                           // 17
    "  }\n"                                                             // 18
    "  rule {\n"                                                        // 19
    "    id     = \"tmp\"\n"                                            // 20
    "    status = \"Enabled\"\n"                                        // 21
    "    filter {\n"                                                    // 22
    "      prefix = \"tmp/\"\n"                                         // 23
    "    }\n"                                                           // 24
    "    expiration {\n"                                                // 25
    "      days = 1\n"                                                  // 26
    "    }\n"                                                           // 27
    "  }\n"                                                             // 28
    "}\n";

TEST(SecurityAuditLogIntegrity, ALifecycleRuleExpiringTheTrailsBucketSoonerThanTheClauseIsReported) {
  TempDir repo;
  repo.write("SECURITY.md", "Report vulnerabilities to security@example.com.\n");
  repo.write("infra/trail.tf", std::string(kTrail));
  EXPECT_EQ(integrity_findings(repo, "- Logs MUST be immutable and retained for at least 1 year"),
            (std::multiset<Found>{{"infra/trail.tf", 16}}));
  // A rule for a prefix only is not judged; a period the bucket keeps is met.
  EXPECT_TRUE(integrity_findings(repo, "- Logs MUST be immutable and retained for 90 days").empty());
  EXPECT_TRUE(integrity_findings(repo, "- Logs MUST be immutable and retained per compliance requirements").empty());
}

TEST(SecurityAuditLogIntegrity, ARetentionShorterThanADayIsNotUnderstood) {
  TempDir repo;
  repo.write("CONSTITUTION.md", excerpt_with("- Logs MUST be immutable and retained for 12 hours"));
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  const auto session = app::open_session(options);
  ASSERT_FALSE(session);
  EXPECT_NE(session.error().to_string().find("security/audit-log-integrity"), std::string::npos);
}

}  // namespace
}  // namespace constable::testing

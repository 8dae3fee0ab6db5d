// Secret scanning through the CLI: allowlists with reasons, and secrets never
// printed whole in any output format.

#include <gtest/gtest.h>

#include <regex>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kConstitution =
    "# C\n## Security\n### Secrets Management\n- Secrets MUST NEVER be committed to version control\n";

// Assembled at run time so this source holds no token-shaped literal.
const std::string kToken = "gh" + std::string("p_") + "R7tU9vW1xY3z5aB3dE5fG7hJ9kL1mN3pQ5rS";
const std::string kPassword = "Zq8mW2rT5vL9xKp4";

void write_repo(const TempDir& repo) {
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write("deploy/config.yaml", "github:\n  token: " + kToken + "\n");
  repo.write("services/.env", "DATABASE_URL=postgresql://orders:" + kPassword + "@db.internal:5432/orders\n");
}

TEST(CliSecrets, NeverPrintedWholeInAnyFormat) {
  TempDir repo;
  write_repo(repo);
  for (const char* format : {"text", "json", "sarif", "junit", "markdown"}) {
    auto r = constable({"check", repo.path().string(), "--format", format});
    EXPECT_EQ(r.exit_code, 1) << format << r.err;
    EXPECT_NE(r.out.find("secrets/hardcoded-secret"), std::string::npos) << format;
    EXPECT_EQ(r.out.find(kToken), std::string::npos) << format << " shows the token:\n" << r.out;
    EXPECT_EQ(r.out.find(kToken.substr(0, 10)), std::string::npos) << format << " shows more than a short prefix";
    EXPECT_EQ(r.out.find(kPassword), std::string::npos) << format << " shows the password:\n" << r.out;
    EXPECT_EQ(r.err.find(kToken), std::string::npos);
  }
}

std::string fingerprint_of_token(const std::string& report) {
  // "... (ghp_…(40 chars)); fingerprint 0123456789abcdef"
  std::smatch m;
  const std::regex pattern("GitHub[^\\n]*fingerprint ([0-9a-f]{16})");
  if (std::regex_search(report, m, pattern)) return m[1];
  return {};
}

TEST(CliSecrets, AllowlistByRulePathAndFingerprintWithAReason) {
  TempDir repo;
  write_repo(repo);
  auto before = constable({"check", repo.path().string()});
  ASSERT_EQ(before.exit_code, 1);
  const std::string fingerprint = fingerprint_of_token(before.out);
  ASSERT_EQ(fingerprint.size(), 16u) << before.out;

  repo.write(".constable.yaml", "secrets:\n  allowlist:\n    - fingerprint: \"" + fingerprint +
                                    "\"\n      reason: \"revoked token kept for the incident write-up\"\n");
  auto by_fingerprint = constable({"check", repo.path().string()});
  EXPECT_EQ(by_fingerprint.out.find("deploy/config.yaml"), std::string::npos) << by_fingerprint.out;
  EXPECT_NE(by_fingerprint.out.find("services/.env"), std::string::npos) << "only that value is allowed";

  repo.write(".constable.yaml", "secrets:\n  allowlist:\n    - path: \"services/**\"\n      reason: \"local dev\"\n"
                                "    - rule: github-token\n      reason: \"test tokens\"\n");
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0);

  repo.write(".constable.yaml", "secrets:\n  allowlist:\n    - path: \"services/**\"\n");
  auto no_reason = constable({"check", repo.path().string()});
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_NE(no_reason.err.find(".constable.yaml:3"), std::string::npos) << no_reason.err;
  EXPECT_NE(no_reason.err.find("reason"), std::string::npos) << no_reason.err;
}

}  // namespace
}  // namespace constable::testing

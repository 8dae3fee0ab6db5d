// --history: every blob in git history is scanned once; each secret is
// reported at the commit that introduced it, with whether it is still there.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kConstitution =
    "# C\n## Security\n### Secrets Management\n- Secrets MUST NEVER be committed to version control\n";

// Built at run time so this source holds no token-shaped literal.
std::string fake_github_token(char variant) {
  return "gh" + std::string("p_") + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5" + std::string(1, variant);
}

void commit(const TempDir& repo, const std::string& message, const std::string& date) {
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", message}, date);
}

TEST(CliHistory, FindsASecretAddedAndLaterRemoved) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write("config.yaml", "service: orders\n");
  git(repo, {"init", "-q"});
  commit(repo, "feat: start", "2026-10-01T00:00:00Z");
  repo.write("config.yaml", "service: orders\ngithub_token: " + fake_github_token('a') + "\n");
  commit(repo, "feat: add the token", "2026-10-02T00:00:00Z");
  repo.write("notes.md", "# notes\n");
  commit(repo, "docs: notes", "2026-10-03T00:00:00Z");
  repo.write("config.yaml", "service: orders\ngithub_token: ${GITHUB_TOKEN}\n");
  commit(repo, "fix: read the token from the environment", "2026-10-04T00:00:00Z");
  repo.write("deploy.yaml", "token: " + fake_github_token('b') + "\n");
  commit(repo, "feat: deploy", "2026-10-05T00:00:00Z");

  // The working tree alone: only the token still there.
  auto now = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(now.exit_code, 1);
  EXPECT_EQ(now.out.find("config.yaml"), std::string::npos) << now.out;

  auto history = constable({"check", repo.path().string(), "--history", "--format", "json"});
  EXPECT_EQ(history.exit_code, 1) << history.err;
  EXPECT_NE(history.out.find("introduced in commit"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("by Alice Example on 2026-10-02, since removed from the working tree but still in "
                             "history: rotate it"),
            std::string::npos)
      << history.out;
  EXPECT_NE(history.out.find("on 2026-10-05, still in the working tree"), std::string::npos) << history.out;
  EXPECT_EQ(history.out.find(fake_github_token('a')), std::string::npos) << "never printed whole";
  EXPECT_EQ(history.out.find(fake_github_token('b')), std::string::npos) << "never printed whole";
  // Reported once each, whatever the number of blobs holding them.
  std::size_t count = 0;
  const auto report = nlohmann::json::parse(history.out);
  for (const auto& finding : report["findings"])
    if (finding["message"].get<std::string>().find("introduced in commit") != std::string::npos) ++count;
  EXPECT_EQ(count, 2u) << history.out;
}

TEST(CliHistory, AnExpiredWaiverIsReportedOnceNotPerHistoryBatch) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write("config.yaml", "github_token: " + fake_github_token('c') + "\n");
  git(repo, {"init", "-q"});
  commit(repo, "feat: config", "2026-10-01T00:00:00Z");
  // Not committed: the history has no blob at the waiver's location.
  repo.write(".constable.yaml",
             "waivers:\n  - {check: secrets/hardcoded-secret, path: \"old/**\", reason: migration, owner: ops, "
             "expires: 2026-01-01}\n");
  auto r = constable({"check", repo.path().string(), "--history", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  std::size_t expired = 0;
  for (std::size_t at = r.out.find("constable/expired-waiver\""); at != std::string::npos;
       at = r.out.find("constable/expired-waiver\"", at + 1))
    ++expired;
  EXPECT_GE(expired, 1u) << r.out;
}

TEST(CliHistory, NeedsARepository) {
  TempDir plain;
  plain.write("CONSTITUTION.md", kConstitution);
  auto r = constable({"check", plain.path().string(), "--history"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--history"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace constable::testing

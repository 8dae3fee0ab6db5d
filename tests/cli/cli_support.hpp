#pragma once
// Running the real `constable` binary from tests.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace constable::testing {

inline CommandResult constable(std::vector<std::string> args, const std::filesystem::path& cwd = {},
                               std::vector<std::string> env = {}) {
  args.insert(args.begin(), CONSTABLE_BINARY);
  env.push_back("CONSTABLE_TODAY=2026-11-22");
  env.push_back("NO_COLOR=1");
  return run_command(args, cwd, env);
}

// `constable(...)`, measured: wall time and peak RSS of the run.
inline MeasuredRun constable_measured(std::vector<std::string> args, const std::filesystem::path& cwd = {},
                                      std::vector<std::string> env = {}, int seconds = 120) {
  args.insert(args.begin(), CONSTABLE_BINARY);
  env.push_back("CONSTABLE_TODAY=2026-11-22");
  env.push_back("NO_COLOR=1");
  return run_measured_command(args, cwd, env, seconds);
}

inline std::filesystem::path demo_repo() { return source_dir() / "examples" / "demo-repo"; }

// Runs git in `repo` as "Alice Example" at a fixed date, with signing off and
// "main" as the initial branch; fails the test when git fails.
inline void git(const TempDir& repo, std::vector<std::string> args, const std::string& date = "2026-11-01T00:00:00Z") {
  args.insert(args.begin(), {"git", "-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "-c",
                             "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"});
  auto r = run_command(args, repo.path(), {"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date});
  ASSERT_EQ(r.exit_code, 0) << "git failed: " << r.err;
}

// Compares `actual` with tests/golden/<name>, or rewrites the golden file
// when CONSTABLE_UPDATE_GOLDEN=1.
void expect_golden(const std::string& name, const std::string& actual);

}  // namespace constable::testing

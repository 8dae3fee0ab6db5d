// The git convention checks on real repositories: branch names, release
// tags and commit messages, following the constitution's clauses.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kConstitution =
    "# C\n## Development Workflow\n### Version Control\n#### Git Workflow\n"
    "- Branch naming: feature/, bugfix/, hotfix/\n"
    "- Commit messages MUST follow Conventional Commits specification\n"
    "### Release Management\n#### Versioning\n- Semantic Versioning MUST be used: MAJOR.MINOR.PATCH\n";

void commit(const TempDir& repo, const std::string& file, const std::string& message) {
  repo.write(file, message + "\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", message});
}

void make_repository(const TempDir& repo, std::string_view constitution = kConstitution) {
  repo.write("CONSTITUTION.md", constitution);
  git(repo, {"init", "-q"});
  commit(repo, "a.txt", "feat: first");
}

TEST(CliGitChecks, BranchNamingFollowsTheClause) {
  TempDir repo;
  make_repository(repo);
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0) << "main is the trunk";
  git(repo, {"checkout", "-q", "-b", "feature/login"});
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0);
  git(repo, {"checkout", "-q", "-b", "my-experiment"});
  auto bad = constable({"check", repo.path().string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find(".git/refs/heads/my-experiment"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("branch 'my-experiment' does not start with feature/, bugfix/, hotfix/"), std::string::npos)
      << bad.out;

  // --all-branches checks every local branch, not just the current one.
  git(repo, {"checkout", "-q", "feature/login"});
  auto all = constable({"check", repo.path().string(), "--all-branches"});
  EXPECT_NE(all.out.find("my-experiment"), std::string::npos) << all.out;
  EXPECT_EQ(all.out.find("'feature/login'"), std::string::npos) << all.out;

  // Amend the constitution: the prefixes follow; the config adds exceptions.
  repo.write("CONSTITUTION.md",
             "# C\n## Development Workflow\n### Git Workflow\n- Branch naming: feat/, fix/\n");
  auto amended = constable({"check", repo.path().string()});
  EXPECT_NE(amended.out.find("branch 'feature/login' does not start with feat/, fix/"), std::string::npos)
      << amended.out;
  repo.write(".constable.yaml", "git:\n  extra_branch_prefixes: [feature/]\n");
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0);
}

TEST(CliGitChecks, ReleaseTagsAreSemver) {
  TempDir repo;
  make_repository(repo);
  git(repo, {"tag", "v1.2.3"});
  git(repo, {"tag", "-a", "v2.0.0-rc.1", "-m", "rc"});
  // SemVer as projects write it: without 'v', and after a component's name
  // in a repository that releases several (Go modules, chart-releaser).
  git(repo, {"tag", "1.2.4"});
  git(repo, {"tag", "airflow/0.0.1"});
  git(repo, {"tag", "api/v1.4.0"});
  git(repo, {"tag", "redis-18.2.0"});
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0);
  git(repo, {"tag", "release-2026-11"});
  auto one = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_NE(one.out.find("tag 'release-2026-11' is not a SemVer release tag"), std::string::npos) << one.out;
  // Many tags off the convention are one problem, not one finding each.
  for (int i = 0; i < 7; ++i) git(repo, {"tag", fmt::format("build-{}", i)});
  git(repo, {"tag", "v1.2"});
  auto bad = constable({"check", repo.path().string(), "--format", "json", "--select", "git/semver-tags"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("9 tags are not SemVer release tags (MAJOR.MINOR.PATCH): 'build-0', 'build-1', 'build-2', "
                         "'build-3', 'build-4' and 4 more"),
            std::string::npos)
      << bad.out;
  EXPECT_EQ(bad.out.find("'v1.2.3'"), std::string::npos);
  EXPECT_NE(bad.out.find("\"total\": 1"), std::string::npos) << bad.out;
}

TEST(CliGitChecks, CommitMessagesInTheRange) {
  TempDir repo;
  make_repository(repo);
  commit(repo, "b.txt", "fix(api): reject empty names");
  commit(repo, "c.txt", "Fixed stuff");
  commit(repo, "d.txt", "feature: new thing");
  commit(repo, "e.txt", "feat!: drop the v1 API");
  // Without --commits, messages are not checked.
  EXPECT_EQ(constable({"check", repo.path().string()}).exit_code, 0);
  auto r = constable({"check", repo.path().string(), "--commits", "HEAD~4..HEAD", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("\\\"Fixed stuff\\\" is not a Conventional Commit"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\\"feature: new thing\\\" is not a Conventional Commit"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("reject empty names\\\" is not"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("drop the v1 API\\\" is not"), std::string::npos) << r.out;

  // Types are configurable.
  repo.write(".constable.yaml", "git:\n  commit_types: [feat, fix, feature]\n");
  auto configured = constable({"check", repo.path().string(), "--commits", "HEAD~4..HEAD", "--format", "json"});
  EXPECT_EQ(configured.out.find("feature: new thing"), std::string::npos) << configured.out;

  auto bad_range = constable({"check", repo.path().string(), "--commits", "nope..HEAD"});
  EXPECT_EQ(bad_range.exit_code, 1);
  EXPECT_NE(bad_range.out.find("cannot read commits nope..HEAD"), std::string::npos) << bad_range.out;
}

TEST(CliGitChecks, SilentWithoutTheirClauses) {
  TempDir repo;
  make_repository(repo, "# C\n## Docker Standards\n- Non-root user MUST be specified\n");
  git(repo, {"checkout", "-q", "-b", "whatever"});
  git(repo, {"tag", "not-semver"});
  auto r = constable({"check", repo.path().string(), "--commits", "HEAD~0..HEAD"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

}  // namespace
}  // namespace constable::testing

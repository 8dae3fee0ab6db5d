// The workflow checks that read git history, on real repositories: release
// tags against the Conventional Commits they release.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kConstitution =
    "# C\n## Development Workflow\n### Release Management\n#### Versioning\n"
    "- Semantic Versioning MUST be used: MAJOR.MINOR.PATCH\n"
    "- Breaking changes require MAJOR version bump\n"
    "- New features require MINOR version bump\n"
    "- Bug fixes require PATCH version bump\n";

void commit(const TempDir& repo, const std::string& file, const std::string& message) {
  repo.write(file, message + "\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", message});
}

TEST(CliWorkflowChecks, ReleaseTagsBumpWhatTheirCommitsCallFor) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  git(repo, {"init", "-q"});
  commit(repo, "a.txt", "feat: first");
  git(repo, {"tag", "v1.0.0"});
  commit(repo, "b.txt", "fix: reject empty names");
  git(repo, {"tag", "v1.0.1"});
  commit(repo, "c.txt", "feat(api): export to CSV");
  git(repo, {"tag", "v1.1.0"});
  commit(repo, "d.txt", "Tidy up");  // not a Conventional Commit: tells nothing
  git(repo, {"tag", "v1.1.1"});
  EXPECT_EQ(constable({"check", repo.path().string(), "--select", "workflow"}).exit_code, 0);

  commit(repo, "e.txt", "feat: import from CSV");
  git(repo, {"tag", "v1.1.2"});
  commit(repo, "f.txt", "feat!: drop the v1 API");
  git(repo, {"tag", "v1.2.0"});
  git(repo, {"tag", "v1.3.0-rc.1"});  // pre-releases are passed over
  auto r = constable({"check", repo.path().string(), "--select", "workflow", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("release v1.1.2 follows v1.1.1 with a new feature"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("feat: import from CSV') but bumps only the PATCH version"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("release v1.2.0 follows v1.1.2 with a breaking change"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("but does not bump the MAJOR version"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".git/refs/tags/v1.2.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("release-management/versioning/new-features-require-minor-version-bump"), std::string::npos)
      << "the feature finding cites its own clause: " << r.out;
  EXPECT_EQ(r.out.find("v1.3.0-rc.1"), std::string::npos) << r.out;
}

TEST(CliWorkflowChecks, BeforeOneZeroABreakingChangeNeedsAMinorBump) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  git(repo, {"init", "-q"});
  commit(repo, "a.txt", "feat: first");
  git(repo, {"tag", "0.1.0"});
  commit(repo, "b.txt", "feat!: rename the settings file");
  git(repo, {"tag", "0.2.0"});
  EXPECT_EQ(constable({"check", repo.path().string(), "--select", "workflow"}).exit_code, 0);
  commit(repo, "c.txt", "refactor!: new storage layout");
  git(repo, {"tag", "0.2.1"});
  auto r = constable({"check", repo.path().string(), "--select", "workflow"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("release 0.2.1 follows 0.2.0 with a breaking change"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("does not bump the MINOR version"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace constable::testing

#include "git/repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"
#include "unit/git/repo_builder.hpp"

namespace constable::git {
namespace {

namespace fs = std::filesystem;
using constable::testing::TempDir;
using testing::Files;
using testing::RepoBuilder;

constexpr std::int64_t kT0 = 1700000000;

Repository open(const fs::path& path) {
  auto repo = Repository::discover(path);
  if (!repo) throw std::runtime_error(repo.error().message);
  return std::move(*repo);
}

std::vector<std::string> ids(const std::vector<Commit>& commits) {
  std::vector<std::string> out;
  for (const auto& c : commits) out.push_back(c.id);
  return out;
}

TEST(GitRepository, DiscoverFromASubdirectory) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  builder.commit("main", "feat: one", {{"a.txt", "a\n"}}, kT0);
  fs::create_directories(dir.path() / "deep" / "er");
  auto repo = Repository::discover(dir.path() / "deep" / "er");
  ASSERT_TRUE(repo) << repo.error().message;
  EXPECT_EQ(fs::canonical(repo->workdir()), fs::canonical(dir.path()));

  // Movable, and still usable after the move.
  Repository moved = std::move(*repo);
  EXPECT_TRUE(moved.resolve("HEAD"));
}

TEST(GitRepository, DiscoverFailsOutsideARepository) {
  TempDir dir;
  auto repo = Repository::discover(dir.path());
  ASSERT_FALSE(repo);
  EXPECT_NE(repo.error().message.find("no git repository"), std::string::npos) << repo.error().message;
  EXPECT_FALSE(Repository::discover(dir.path() / "does" / "not" / "exist"));
}

// The look before libgit2 is set up never says "none" where libgit2 finds
// a repository: below one, through a symlink into one (libgit2 walks the
// real path), in a bare one, in a worktree whose .git is a file.
TEST(GitRepository, MayBeInRepositoryWhereverLibgit2FindsOne) {
  TempDir dir;
  fs::create_directories(dir.path() / "plain" / "sub");
  EXPECT_FALSE(may_be_in_repository(dir.path() / "plain" / "sub"));
  EXPECT_FALSE(Repository::discover(dir.path() / "plain" / "sub"));

  RepoBuilder builder(dir.path() / "work");
  builder.commit("main", "feat: one", {{"a.txt", "a\n"}}, kT0);
  fs::create_directories(dir.path() / "work" / "deep");
  fs::create_directory_symlink(dir.path() / "work" / "deep", dir.path() / "plain" / "link");
  for (const fs::path& inside : {dir.path() / "work" / "deep", dir.path() / "plain" / "link"}) {
    EXPECT_TRUE(may_be_in_repository(inside)) << inside;
    EXPECT_TRUE(Repository::discover(inside)) << inside;
  }
  EXPECT_TRUE(may_be_in_repository(dir.path() / "work" / "a.txt"));  // a file: its directory

  RepoBuilder bare(dir.path() / "bare.git", /*bare=*/true);
  bare.commit("main", "feat: one", {{"a.txt", "a\n"}}, kT0);
  EXPECT_TRUE(may_be_in_repository(dir.path() / "bare.git"));
  EXPECT_TRUE(Repository::discover(dir.path() / "bare.git"));

  fs::create_directories(dir.path() / "linked");
  std::ofstream(dir.path() / "linked" / ".git") << "gitdir: " << (dir.path() / "work" / ".git").string() << "\n";
  EXPECT_TRUE(may_be_in_repository(dir.path() / "linked"));
}

TEST(GitRepository, BareRepositoryHasNoWorkdir) {
  TempDir dir;
  RepoBuilder builder(dir.path() / "bare.git", /*bare=*/true);
  builder.commit("main", "feat: one", {{"a.txt", "a\n"}}, kT0);
  Repository repo = open(dir.path() / "bare.git");
  EXPECT_TRUE(repo.workdir().empty());
  EXPECT_FALSE(repo.diff_to_workdir("HEAD"));
}

TEST(GitRepository, ResolveRevisions) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto c1 = builder.commit("main", "feat: one", {{"a.txt", "1\n"}}, kT0);
  const auto c2 = builder.commit("main", "feat: two", {{"a.txt", "2\n"}}, kT0 + 10);
  const auto c3 = builder.commit("main", "feat: three", {{"a.txt", "3\n"}}, kT0 + 20);
  builder.annotated_tag("v1.0", c2, kT0 + 30);
  builder.lightweight_tag("light", c1);
  Repository repo = open(dir.path());

  EXPECT_EQ(repo.resolve("HEAD").value(), c3);
  EXPECT_EQ(repo.resolve("main").value(), c3);
  EXPECT_EQ(repo.resolve("HEAD~2").value(), c1);
  EXPECT_EQ(repo.resolve("v1.0").value(), c2) << "annotated tags peel to their commit";
  EXPECT_EQ(repo.resolve("light").value(), c1);
  EXPECT_EQ(repo.resolve(c2.substr(0, 10)).value(), c2);
  auto missing = repo.resolve("no-such-branch");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no-such-branch"), std::string::npos);
  EXPECT_FALSE(repo.resolve(""));
  // A tree is not a commit.
  EXPECT_FALSE(repo.resolve("HEAD^{tree}"));
}

TEST(GitRepository, CommitsBetweenOldestFirst) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto c1 = builder.commit("main", "feat: one", {{"a.txt", "1\n"}}, kT0);
  const auto c2 = builder.commit("main", "feat: two\n\nWith a body.\n", {{"a.txt", "2\n"}}, kT0 + 10);
  const auto c3 = builder.commit("main", "fix(a): three", {{"a.txt", "3\n"}}, kT0 + 20);
  Repository repo = open(dir.path());

  auto commits = repo.commits_between(c1, "main");
  ASSERT_TRUE(commits) << commits.error().message;
  EXPECT_EQ(ids(*commits), (std::vector<std::string>{c2, c3}));
  const Commit& two = (*commits)[0];
  EXPECT_EQ(two.short_id, c2.substr(0, 7));
  EXPECT_EQ(two.summary, "feat: two");
  EXPECT_EQ(two.message, "feat: two\n\nWith a body.\n");
  EXPECT_EQ(two.author.name, "Test Author");
  EXPECT_EQ(two.author.email, "author@example.com");
  EXPECT_EQ(two.author.time, kT0 + 10);
  EXPECT_EQ(two.parents, (std::vector<std::string>{c1}));

  EXPECT_TRUE(repo.commits_between("main", "main")->empty());
  EXPECT_EQ(ids(repo.commits_between("", "main").value()), (std::vector<std::string>{c1, c2, c3}));
  EXPECT_FALSE(repo.commits_between("nope", "main"));
  EXPECT_FALSE(repo.commits_between(c1, "nope"));
}

TEST(GitRepository, CommitsBetweenAcrossAMergeAreTopological) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto base = builder.commit("main", "feat: base", {{"a.txt", "1\n"}}, kT0);
  builder.set_ref("refs/heads/topic", base);
  // The topic commit is *older* than the main one, yet must come after base.
  const auto t1 = builder.commit("topic", "feat: topic", {{"a.txt", "1\n"}, {"t.txt", "t\n"}}, kT0 + 5);
  const auto m1 = builder.commit("main", "feat: main", {{"a.txt", "2\n"}}, kT0 + 10);
  const auto merge = builder.commit("main", "Merge branch 'topic'", {{"a.txt", "2\n"}, {"t.txt", "t\n"}}, kT0 + 20, {t1});
  Repository repo = open(dir.path());
  auto commits = repo.commits_between(base, "main");
  ASSERT_TRUE(commits);
  ASSERT_EQ(commits->size(), 3u);
  EXPECT_EQ(commits->back().id, merge);
  EXPECT_EQ(commits->back().parents, (std::vector<std::string>{m1, t1}));
  const auto order = ids(*commits);
  EXPECT_NE(std::find(order.begin(), order.end(), t1), order.end());
  EXPECT_NE(std::find(order.begin(), order.end(), m1), order.end());
}

TEST(GitRepository, BranchesTagsAndDetachedHead) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto c1 = builder.commit("main", "feat: one", {{"a.txt", "1\n"}}, kT0);
  const auto c2 = builder.commit("main", "feat: two", {{"a.txt", "2\n"}}, kT0 + 10);
  builder.set_ref("refs/heads/zeta", c1);
  builder.set_ref("refs/heads/feature/x", c1);
  builder.lightweight_tag("v1.0", c1);
  builder.annotated_tag("v2.0", c2, kT0 + 20);
  builder.lightweight_tag("release/2024", c2);
  // Tags packed by `git pack-refs`, one of them also loose: listed once.
  {
    std::ofstream packed(dir.path() / ".git" / "packed-refs");
    packed << "# pack-refs with: peeled fully-peeled sorted \n"
           << c1 << " refs/tags/packed/v0.9\n"
           << c1 << " refs/tags/v1.0\n";
  }
  Repository repo = open(dir.path());

  EXPECT_EQ(repo.current_branch().value(), "main");
  EXPECT_EQ(repo.local_branches().value(), (std::vector<std::string>{"feature/x", "main", "zeta"}));
  EXPECT_EQ(repo.tags().value(), (std::vector<std::string>{"packed/v0.9", "release/2024", "v1.0", "v2.0"}));

  builder.checkout_branch("zeta");
  EXPECT_EQ(repo.current_branch().value(), "zeta");
  builder.detach(c1);
  EXPECT_EQ(repo.current_branch().value(), "") << "detached HEAD";
  EXPECT_EQ(repo.resolve("HEAD").value(), c1);
}

TEST(GitRepository, UnbornBranch) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  Repository repo = open(dir.path());
  EXPECT_EQ(repo.current_branch().value(), "main") << "the unborn branch HEAD points to";
  EXPECT_TRUE(repo.local_branches()->empty());
  EXPECT_TRUE(repo.tags()->empty());
  EXPECT_FALSE(repo.resolve("HEAD"));
  EXPECT_FALSE(repo.head_contains_blob(std::string(40, 'a')).value());
  int visits = 0;
  auto walked = repo.walk_history_blobs([&](const HistoryBlob&) { return ++visits, true; });
  ASSERT_TRUE(walked) << walked.error().message;
  EXPECT_EQ(visits, 0);
}

TEST(GitRepository, ReadAtAndReadBlob) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto c1 = builder.commit("main", "feat: one", {{"a.txt", "one\n"}, {"src/lib/b.txt", "nested\n"}}, kT0);
  builder.commit("main", "feat: two", {{"a.txt", "two\n"}}, kT0 + 10);
  Repository repo = open(dir.path());

  EXPECT_EQ(repo.read_at("HEAD", "a.txt").value(), std::optional<std::string>("two\n"));
  EXPECT_EQ(repo.read_at(c1, "a.txt").value(), std::optional<std::string>("one\n"));
  EXPECT_EQ(repo.read_at(c1, "src/lib/b.txt").value(), std::optional<std::string>("nested\n"));
  EXPECT_EQ(repo.read_at("HEAD", "src/lib/b.txt").value(), std::nullopt) << "deleted in the second commit";
  EXPECT_EQ(repo.read_at(c1, "missing.txt").value(), std::nullopt);
  EXPECT_EQ(repo.read_at(c1, "src/lib").value(), std::nullopt) << "a directory is not a file";
  EXPECT_FALSE(repo.read_at("no-such-rev", "a.txt"));

  const std::string blob = builder.blob("one\n");
  EXPECT_EQ(repo.read_blob(blob).value(), "one\n");
  EXPECT_EQ(repo.read_blob(blob.substr(0, 8)).value(), "one\n") << "unique prefixes are accepted";
  EXPECT_FALSE(repo.read_blob(std::string(40, '0')));
  EXPECT_FALSE(repo.read_blob("not-hex"));
}

// ---------------------------------------------------------------------------
// History walk

struct Seen {
  std::string blob;
  std::string path;
  std::string commit;
};

std::vector<Seen> walk(const Repository& repo) {
  std::vector<Seen> out;
  auto result = repo.walk_history_blobs([&](const HistoryBlob& b) {
    out.push_back({b.blob_id, b.path, b.introduced_by.id});
    return true;
  });
  if (!result) throw std::runtime_error(result.error().message);
  return out;
}

TEST(GitHistory, SecretAddedThenRemovedIsReportedOnce) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const std::string clean = "name=app\n";
  const std::string leaked = "name=app\ntoken=ghp_SECRETSECRETSECRETSECRET\n";
  const auto c1 = builder.commit("main", "feat: one", {{"README.md", "hello\n"}, {"app.cfg", clean}}, kT0);
  const auto c2 = builder.commit("main", "feat: two", {{"README.md", "hello\n"}, {"app.cfg", leaked}}, kT0 + 10);
  const auto c3 = builder.commit("main", "docs: three", {{"README.md", "hello!\n"}, {"app.cfg", leaked}}, kT0 + 20);
  const auto c4 = builder.commit("main", "fix: four", {{"README.md", "hello!\n"}, {"app.cfg", clean}}, kT0 + 30);
  // A later branch re-adds the leaked content under another name.
  builder.set_ref("refs/heads/experiment", c4);
  const auto c5 = builder.commit("experiment", "feat: five",
                                 {{"README.md", "hello!\n"}, {"app.cfg", clean}, {"copy.cfg", leaked}, {"docs/new.md", "n\n"}},
                                 kT0 + 40);
  Repository repo = open(dir.path());

  const auto seen = walk(repo);
  const std::string secret_blob = builder.blob(leaked);
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].commit, c1);
  EXPECT_EQ(seen[1].commit, c1);
  EXPECT_EQ(seen[2].blob, secret_blob);
  EXPECT_EQ(seen[2].path, "app.cfg");
  EXPECT_EQ(seen[2].commit, c2);
  EXPECT_EQ(seen[3].path, "README.md");
  EXPECT_EQ(seen[3].commit, c3);
  EXPECT_EQ(seen[4].path, "docs/new.md");
  EXPECT_EQ(seen[4].commit, c5);
  EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [&](const Seen& s) { return s.blob == secret_blob; }), 1);

  EXPECT_FALSE(repo.head_contains_blob(secret_blob).value());
  EXPECT_TRUE(repo.head_contains_blob(builder.blob(clean)).value());
  EXPECT_TRUE(repo.head_contains_blob(builder.blob("hello!\n")).value());
  EXPECT_FALSE(repo.head_contains_blob("xyz"));

  // The visitor sees the commit's details, and can stop the walk.
  int visits = 0;
  auto stopped = repo.walk_history_blobs([&](const HistoryBlob& b) {
    ++visits;
    EXPECT_EQ(b.introduced_by.summary, "feat: one");
    EXPECT_EQ(b.introduced_by.author.time, kT0);
    return false;
  });
  EXPECT_TRUE(stopped);
  EXPECT_EQ(visits, 1);
}

TEST(GitHistory, MergesTagsAndNestedPaths) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto root = builder.commit("main", "feat: root", {{"src/a/b.txt", "b\n"}}, kT0);
  builder.set_ref("refs/heads/topic", root);
  const auto t1 = builder.commit("topic", "feat: topic", {{"src/a/b.txt", "b\n"}, {"feat.txt", "feature\n"}}, kT0 + 10);
  const auto m1 = builder.commit("main", "feat: main", {{"src/a/b.txt", "b2\n"}}, kT0 + 20);
  // The merge takes both sides and adds a file of its own ("evil merge").
  const auto merge = builder.commit(
      "main", "Merge branch 'topic'", {{"src/a/b.txt", "b2\n"}, {"feat.txt", "feature\n"}, {"fixup.txt", "glue\n"}},
      kT0 + 30, {t1});
  builder.set_ref("refs/heads/topic", root);  // topic now only reachable through the merge
  // A commit reachable only from a tag.
  builder.set_ref("refs/heads/tmp", merge);
  const auto tagged = builder.commit("tmp", "feat: tagged", {{"tagged.txt", "only via tag\n"}}, kT0 + 40);
  builder.annotated_tag("v9", tagged, kT0 + 50);
  builder.set_ref("refs/heads/tmp", merge);
  Repository repo = open(dir.path());

  const auto seen = walk(repo);
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].path, "src/a/b.txt");
  EXPECT_EQ(seen[0].commit, root);
  EXPECT_EQ(seen[1].path, "feat.txt");
  EXPECT_EQ(seen[1].commit, t1) << "the topic commit, not the merge";
  EXPECT_EQ(seen[2].commit, m1);
  EXPECT_EQ(seen[3].path, "fixup.txt");
  EXPECT_EQ(seen[3].commit, merge);
  EXPECT_EQ(seen[4].path, "tagged.txt");
  EXPECT_EQ(seen[4].commit, tagged);
}

TEST(GitHistory, SubmodulesAreSkipped) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  const auto c1 = builder.commit("main", "feat: one", {{"a.txt", "a\n"}}, kT0);
  builder.add_submodule("vendor", c1);
  builder.commit("main", "feat: vendor", {{"a.txt", "a\n"}, {".gitmodules", "[submodule]\n"}}, kT0 + 10);
  Repository repo = open(dir.path());
  const auto seen = walk(repo);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].path, ".gitmodules");
  EXPECT_FALSE(repo.head_contains_blob(c1).value());
}

TEST(GitHistory, AVisitorThatThrowsBecomesAnError) {
  TempDir dir;
  RepoBuilder builder(dir.path());
  builder.commit("main", "feat: one", {{"a.txt", "a\n"}}, kT0);
  Repository repo = open(dir.path());
  auto result = repo.walk_history_blobs([](const HistoryBlob&) -> bool { throw std::runtime_error("boom"); });
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("boom"), std::string::npos);
}

}  // namespace
}  // namespace constable::git

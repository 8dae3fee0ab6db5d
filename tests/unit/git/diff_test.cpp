// diff_to_workdir against repositories made with the `git` command line, so
// that the index and the working tree are the real thing.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "git/repository.hpp"
#include "support/test_support.hpp"

namespace constable::git {

void PrintTo(const Hunk& hunk, std::ostream* out) { *out << "{" << hunk.new_start << ", " << hunk.new_lines << "}"; }

namespace {

namespace fs = std::filesystem;
using constable::testing::run_command;
using constable::testing::TempDir;

std::string git(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-c", "user.name=Test Author", "-c", "user.email=author@example.com",
                                   "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = run_command(argv, dir,
                                  {"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
                                   "GIT_CONFIG_NOSYSTEM=1", "HOME=" + dir.string()});
  if (result.exit_code != 0) throw std::runtime_error("git failed: " + result.err);
  std::string out = result.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string numbered(int from, int to, std::string_view prefix = "line ") {
  std::string out;
  for (int i = from; i <= to; ++i) out += std::string(prefix) + std::to_string(i) + "\n";
  return out;
}

const FileDelta* find(const std::vector<FileDelta>& deltas, std::string_view path) {
  for (const auto& d : deltas) {
    if (d.new_path == path || (d.new_path.empty() && d.old_path == path)) return &d;
  }
  return nullptr;
}

class GitDiff : public ::testing::Test {
 protected:
  void SetUp() override {
    git(dir.path(), {"init", "-q"});
    dir.write("keep.txt", "unchanged\n");
    dir.write("modify.txt", numbered(1, 10));
    dir.write("delete.txt", "bye\n");
    dir.write("rename_src.txt", numbered(1, 20, "a fairly long line of text number "));
    git(dir.path(), {"add", "-A"});
    git(dir.path(), {"commit", "-q", "-m", "feat: initial"});
    base = git(dir.path(), {"rev-parse", "HEAD"});
  }
  TempDir dir;
  std::string base;
};

TEST_F(GitDiff, CleanTreeHasNoDeltas) {
  auto repo = Repository::discover(dir.path());
  ASSERT_TRUE(repo) << repo.error().message;
  auto deltas = repo->diff_to_workdir("HEAD");
  ASSERT_TRUE(deltas) << deltas.error().message;
  EXPECT_TRUE(deltas->empty());
  EXPECT_FALSE(repo->diff_to_workdir("no-such-rev"));
}

TEST_F(GitDiff, AddedModifiedDeletedRenamedUntracked) {
  // Modified: line 3 changed, two lines inserted after line 7, line 10 deleted.
  dir.write("modify.txt", "line 1\nline 2\nCHANGED 3\nline 4\nline 5\nline 6\nline 7\nnew a\nnew b\nline 8\nline 9\n");
  // Added and staged.
  dir.write("added.txt", "x\ny\n");
  git(dir.path(), {"add", "added.txt"});
  // Deleted from the working tree only.
  fs::remove(dir.path() / "delete.txt");
  // Renamed (staged) and modified on line 5.
  git(dir.path(), {"mv", "rename_src.txt", "renamed.txt"});
  std::string renamed = numbered(1, 20, "a fairly long line of text number ");
  renamed.replace(renamed.find("number 5\n"), 9, "NUMBER FIVE\n");
  dir.write("renamed.txt", renamed);
  // Untracked, inside untracked directories.
  dir.write("untracked/dir/new.txt", "1\n2\n3\n");
  // Binary, untracked.
  dir.write("blob.bin", std::string("\0\1\2binary\0", 10));

  auto repo = Repository::discover(dir.path());
  ASSERT_TRUE(repo);
  auto result = repo->diff_to_workdir(base);
  ASSERT_TRUE(result) << result.error().message;
  const auto& deltas = *result;
  EXPECT_EQ(deltas.size(), 6u);
  EXPECT_EQ(find(deltas, "keep.txt"), nullptr);

  const FileDelta* modified = find(deltas, "modify.txt");
  ASSERT_NE(modified, nullptr);
  EXPECT_EQ(modified->status, DeltaStatus::modified);
  EXPECT_EQ(modified->old_path, "modify.txt");
  EXPECT_EQ(modified->added_lines, (std::vector<Hunk>{{3, 1}, {8, 2}}));
  EXPECT_EQ(modified->old_blob, git(dir.path(), {"rev-parse", base + ":modify.txt"}));
  EXPECT_EQ(modified->new_blob, git(dir.path(), {"hash-object", "modify.txt"}));

  const FileDelta* added = find(deltas, "added.txt");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->status, DeltaStatus::added);
  EXPECT_EQ(added->old_path, "");
  EXPECT_EQ(added->old_blob, "");
  EXPECT_EQ(added->new_blob, git(dir.path(), {"hash-object", "added.txt"}));
  EXPECT_EQ(added->added_lines, (std::vector<Hunk>{{1, 2}}));

  const FileDelta* deleted = find(deltas, "delete.txt");
  ASSERT_NE(deleted, nullptr);
  EXPECT_EQ(deleted->status, DeltaStatus::deleted);
  EXPECT_EQ(deleted->new_path, "");
  EXPECT_EQ(deleted->new_blob, "");
  EXPECT_FALSE(deleted->old_blob.empty());
  EXPECT_TRUE(deleted->added_lines.empty());

  const FileDelta* moved = find(deltas, "renamed.txt");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->status, DeltaStatus::renamed);
  EXPECT_EQ(moved->old_path, "rename_src.txt");
  EXPECT_EQ(moved->added_lines, (std::vector<Hunk>{{5, 1}}));
  EXPECT_EQ(find(deltas, "rename_src.txt"), nullptr) << "no separate deletion for a rename";

  const FileDelta* untracked = find(deltas, "untracked/dir/new.txt");
  ASSERT_NE(untracked, nullptr);
  EXPECT_EQ(untracked->status, DeltaStatus::added);
  EXPECT_EQ(untracked->added_lines, (std::vector<Hunk>{{1, 3}}));
  EXPECT_EQ(untracked->new_blob, git(dir.path(), {"hash-object", "untracked/dir/new.txt"}));

  const FileDelta* binary = find(deltas, "blob.bin");
  ASSERT_NE(binary, nullptr);
  EXPECT_EQ(binary->status, DeltaStatus::added);
  EXPECT_TRUE(binary->added_lines.empty());
}

TEST_F(GitDiff, UnstagedRenameIsDetected) {
  fs::rename(dir.path() / "rename_src.txt", dir.path() / "moved.txt");
  auto repo = Repository::discover(dir.path());
  ASSERT_TRUE(repo);
  auto deltas = repo->diff_to_workdir("HEAD");
  ASSERT_TRUE(deltas) << deltas.error().message;
  ASSERT_EQ(deltas->size(), 1u);
  EXPECT_EQ(deltas->front().status, DeltaStatus::renamed);
  EXPECT_EQ(deltas->front().old_path, "rename_src.txt");
  EXPECT_EQ(deltas->front().new_path, "moved.txt");
  EXPECT_TRUE(deltas->front().added_lines.empty()) << "a pure rename adds no line";
}

TEST_F(GitDiff, DiscoverFromSubdirectoryAndIgnoredFilesStayOut) {
  dir.write(".gitignore", "*.log\n");
  dir.write("sub/dir/debug.log", "noise\n");
  auto repo = Repository::discover(dir.path() / "sub" / "dir");
  ASSERT_TRUE(repo) << repo.error().message;
  EXPECT_EQ(fs::canonical(repo->workdir()), fs::canonical(dir.path()));
  auto deltas = repo->diff_to_workdir("HEAD");
  ASSERT_TRUE(deltas);
  ASSERT_EQ(deltas->size(), 1u);
  EXPECT_EQ(deltas->front().new_path, ".gitignore");
}

}  // namespace
}  // namespace constable::git

// Damaged and missing objects become errors naming the object (or reports,
// for callers that go on), never a hang: libgit2 1.5 loops forever on a
// truncated loose object, so constable reads loose objects itself.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "git/repository.hpp"
#include "support/test_support.hpp"

namespace constable::git {
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

enum class Damage { garbage, truncated, missing, huge_header, fifo };

// Damages the loose object `id` of the repository at `dir`.
void damage(const fs::path& dir, const std::string& id, Damage how) {
  const fs::path file = dir / ".git" / "objects" / id.substr(0, 2) / id.substr(2);
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  const std::string original = constable::testing::read_file(file);
  switch (how) {
    case Damage::garbage: std::ofstream(file, std::ios::binary | std::ios::trunc) << "garbage, not zlib"; break;
    case Damage::truncated:
      std::ofstream(file, std::ios::binary | std::ios::trunc) << original.substr(0, original.size() / 2);
      break;
    case Damage::missing: fs::remove(file); break;
    case Damage::huge_header: {
      // A valid zlib stream ("blob 99999999999\0"): the size is not to be believed.
      const std::string stream("\x78\x9c\x4b\xca\xc9\x4f\x52\xb0\x44\x00\x06\x00\x2b\xf5\x04\x33", 16);
      std::ofstream(file, std::ios::binary | std::ios::trunc) << stream;
      break;
    }
    case Damage::fifo:
      fs::remove(file);
      ASSERT_EQ(mkfifo(file.c_str(), 0600), 0);
      break;
  }
}

// A repository with two commits: a.txt changes, sub/b.txt and Dockerfile do not.
struct History {
  TempDir dir;
  std::string first, second, old_a_blob, first_tree;
  History() {
    git(dir.path(), {"init", "-q"});
    dir.write("a.txt", "one\n");
    dir.write("sub/b.txt", "bee\n");
    dir.write("Dockerfile", "FROM ubuntu:latest\n");
    git(dir.path(), {"add", "-A"});
    git(dir.path(), {"commit", "-q", "-m", "feat: one"});
    first = git(dir.path(), {"rev-parse", "HEAD"});
    old_a_blob = git(dir.path(), {"rev-parse", "HEAD:a.txt"});
    first_tree = git(dir.path(), {"rev-parse", "HEAD^{tree}"});
    dir.write("a.txt", "two\n");
    git(dir.path(), {"commit", "-q", "-am", "feat: two"});
    second = git(dir.path(), {"rev-parse", "HEAD"});
  }
};

TEST(GitCorruptObjects, EveryDamageIsAnErrorNamingTheObject) {
  for (const auto& [how, expected] : std::vector<std::pair<Damage, std::string>>{
           {Damage::garbage, "corrupt loose object"},
           {Damage::truncated, "truncated"},
           {Damage::missing, "not found"},
           {Damage::huge_header, "more than its 16-byte file can hold"},
           {Damage::fifo, "not a regular file"}}) {
    History h;
    damage(h.dir.path(), h.old_a_blob, how);
    auto repo = Repository::discover(h.dir.path());
    ASSERT_TRUE(repo.has_value());
    auto blob = repo->read_blob(h.old_a_blob);
    ASSERT_FALSE(blob.has_value()) << expected;
    EXPECT_NE(blob.error().message.find(expected), std::string::npos) << blob.error().message;
    EXPECT_NE(blob.error().message.find(h.old_a_blob), std::string::npos) << blob.error().message;
    // Sound objects still read.
    auto head = repo->read_at("HEAD", "a.txt");
    ASSERT_TRUE(head.has_value()) << head.error().message;
    EXPECT_EQ(head->value_or(""), "two\n");
  }
}

TEST(GitCorruptObjects, PackedObjectsAndShortIdsStillRead) {
  History h;
  git(h.dir.path(), {"gc", "-q"});
  h.dir.write("late.txt", "loose again\n");
  git(h.dir.path(), {"add", "late.txt"});
  git(h.dir.path(), {"commit", "-q", "-m", "feat: three"});
  auto repo = Repository::discover(h.dir.path());
  ASSERT_TRUE(repo.has_value());
  auto packed = repo->read_blob(h.old_a_blob);
  ASSERT_TRUE(packed.has_value()) << packed.error().message;
  EXPECT_EQ(*packed, "one\n");
  auto loose = repo->read_at("HEAD", "late.txt");
  ASSERT_TRUE(loose.has_value()) << loose.error().message;
  EXPECT_EQ(loose->value_or(""), "loose again\n");
  auto packed_size = repo->blob_size(h.old_a_blob);
  ASSERT_TRUE(packed_size.has_value()) << packed_size.error().message;
  EXPECT_EQ(*packed_size, 4u);
  auto loose_size = repo->blob_size(git(h.dir.path(), {"rev-parse", "HEAD:late.txt"}));
  ASSERT_TRUE(loose_size.has_value()) << loose_size.error().message;
  EXPECT_EQ(*loose_size, 12u);
  auto short_id = repo->resolve(h.second.substr(0, 8));
  ASSERT_TRUE(short_id.has_value()) << short_id.error().message;
  EXPECT_EQ(*short_id, h.second);
}

TEST(GitCorruptObjects, HistoryWalkReportsAnUnreadableTreeAndGoesOn) {
  for (Damage how : {Damage::truncated, Damage::missing}) {
    History h;
    damage(h.dir.path(), h.first_tree, how);
    auto repo = Repository::discover(h.dir.path());
    ASSERT_TRUE(repo.has_value());
    std::vector<std::string> paths;
    std::vector<UnreadableObject> unreadable;
    auto walked = repo->walk_history_blobs(
        [&](const HistoryBlob& blob) {
          paths.push_back(blob.path);
          return true;
        },
        [&](const UnreadableObject& o) { unreadable.push_back(o); });
    ASSERT_TRUE(walked.has_value()) << walked.error().message;
    ASSERT_FALSE(unreadable.empty());
    EXPECT_EQ(unreadable.front().object_id, h.first_tree);
    ASSERT_TRUE(unreadable.front().commit.has_value());
    EXPECT_EQ(unreadable.front().commit->id, h.first);
    EXPECT_NE(unreadable.front().reason.find(h.first_tree), std::string::npos) << unreadable.front().reason;
    // The second commit, compared with nothing, still yields every blob of its tree.
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (std::vector<std::string>{"Dockerfile", "a.txt", "sub/b.txt"}));
    // Without a report callback the walk fails as before.
    EXPECT_FALSE(repo->walk_history_blobs([](const HistoryBlob&) { return true; }).has_value());
  }
}

TEST(GitCorruptObjects, DiffReportsAnUnreadableOldVersionAndTreatsItAsNew) {
  for (Damage how : {Damage::garbage, Damage::truncated, Damage::missing}) {
    History h;
    damage(h.dir.path(), h.old_a_blob, how);
    auto repo = Repository::discover(h.dir.path());
    ASSERT_TRUE(repo.has_value());
    std::vector<UnreadableObject> unreadable;
    auto deltas = repo->diff_to_workdir(h.first, [&](const UnreadableObject& o) { unreadable.push_back(o); });
    ASSERT_TRUE(deltas.has_value()) << deltas.error().message;
    ASSERT_EQ(unreadable.size(), 1u);
    EXPECT_EQ(unreadable.front().object_id, h.old_a_blob);
    EXPECT_EQ(unreadable.front().path, "a.txt");
    ASSERT_EQ(deltas->size(), 1u);
    EXPECT_EQ((*deltas)[0].new_path, "a.txt");
    EXPECT_TRUE((*deltas)[0].old_blob.empty());
    ASSERT_EQ((*deltas)[0].added_lines.size(), 1u);
    EXPECT_EQ((*deltas)[0].added_lines[0].new_start, 1);
    EXPECT_FALSE(repo->diff_to_workdir(h.first).has_value());
  }
}

}  // namespace
}  // namespace constable::git

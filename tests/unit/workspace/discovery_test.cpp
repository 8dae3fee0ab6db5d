#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {
namespace {

namespace fs = std::filesystem;
using constable::testing::TempDir;

std::vector<std::string> paths_of(const Workspace& ws) {
  std::vector<std::string> out;
  for (const auto& file : ws.files) out.push_back(file.path);
  return out;
}

Workspace discover_ok(const fs::path& root, const DiscoveryOptions& options = {}) {
  auto result = discover(root, options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().to_string());
  return result ? std::move(*result) : Workspace{};
}

bool has_note(const Workspace& ws, std::string_view path, std::string_view message) {
  return std::any_of(ws.notes.begin(), ws.notes.end(),
                     [&](const Note& n) { return n.path == path && n.message == message; });
}

std::string dump_notes(const Workspace& ws) {
  std::string out;
  for (const auto& n : ws.notes) out += n.path + ": " + n.message + "\n";
  return out;
}

void symlink_or_fail(const fs::path& target, const fs::path& link) {
  std::error_code ec;
  fs::create_symlink(target, link, ec);
  ASSERT_FALSE(ec) << ec.message();
}

TEST(WorkspaceDiscoveryTest, KeepsEachFilesStatDataAsTheCacheWouldTakeIt) {
  // The content cache tells an unchanged file by this data without asking
  // again (engine/result_cache.hpp): it must be what stat(2) says now.
  const TempDir dir;
  dir.write("deploy/app.yaml", "kind: Deployment\n");
  dir.write("README.md", "# r\n");
  const Workspace ws = discover_ok(dir.path());
  ASSERT_EQ(ws.files.size(), 2u);
  for (const File& file : ws.files) {
    struct stat now {};
    ASSERT_EQ(::stat(file.absolute.c_str(), &now), 0);
    ASSERT_TRUE(file.stat.has_value()) << file.path;
    EXPECT_EQ(*file.stat, files::signature_of(now)) << file.path;
    EXPECT_EQ(file.stat->size, file.size) << file.path;
  }
  const auto single = discover(dir.path() / "README.md", {});
  ASSERT_TRUE(single.has_value());
  ASSERT_EQ(single->files.size(), 1u);
  struct stat now {};
  ASSERT_EQ(::stat((dir.path() / "README.md").c_str(), &now), 0);
  EXPECT_EQ(single->files[0].stat, files::signature_of(now)) << "a file named alone";
}

TEST(WorkspaceDiscoveryTest, NestedGitignoreWithNegation) {
  TempDir tmp;
  tmp.write(".gitignore", "# root rules\n*.log\nbuild/\nvendor/\n");
  tmp.write("a.log", "x");
  tmp.write("src/main.py", "print()");
  tmp.write("build/out.txt", "x");
  tmp.write("src/build/deep.txt", "x");  // `build/` matches at any depth
  tmp.write("sub/.gitignore", "!keep.log\n/only-here.txt\n");
  tmp.write("sub/keep.log", "x");
  tmp.write("sub/deeper/keep.log", "x");
  tmp.write("sub/other.log", "x");
  tmp.write("sub/only-here.txt", "x");
  tmp.write("sub/deeper/only-here.txt", "x");
  // A file inside an ignored directory cannot be re-included.
  tmp.write("vendor/.gitignore", "!*\n");
  tmp.write("vendor/lib.py", "x");
  const auto ws = discover_ok(tmp.path());
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{".gitignore", "src/main.py", "sub/.gitignore",
                                                    "sub/deeper/keep.log", "sub/deeper/only-here.txt",
                                                    "sub/keep.log"}));
  EXPECT_TRUE(ws.notes.empty()) << dump_notes(ws);
}

TEST(WorkspaceDiscoveryTest, DeeperGitignoreOverridesParent) {
  TempDir tmp;
  tmp.write(".gitignore", "!*.tmp\n");
  tmp.write("a/.gitignore", "*.tmp\n");
  tmp.write("a/x.tmp", "x");
  tmp.write("y.tmp", "x");
  const auto ws = discover_ok(tmp.path());
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{".gitignore", "a/.gitignore", "y.tmp"}));
}

TEST(WorkspaceDiscoveryTest, InfoExcludeAndGitDirectory) {
  TempDir tmp;
  tmp.write(".git/HEAD", "ref: refs/heads/main\n");
  tmp.write(".git/info/exclude", "secret.txt\n");
  tmp.write(".gitignore", "*.log\n");
  tmp.write("secret.txt", "x");
  tmp.write("a.txt", "x");
  tmp.write("b.log", "x");
  tmp.write("nested/.git/config", "x");  // a nested repository's .git is skipped too
  tmp.write("nested/n.txt", "x");
  EXPECT_EQ(paths_of(discover_ok(tmp.path())), (std::vector<std::string>{".gitignore", "a.txt", "nested/n.txt"}));

  DiscoveryOptions raw;
  raw.respect_gitignore = false;
  raw.exclude = {"b.log"};
  EXPECT_EQ(paths_of(discover_ok(tmp.path(), raw)),
            (std::vector<std::string>{".gitignore", "a.txt", "nested/n.txt", "secret.txt"}));
}

TEST(WorkspaceDiscoveryTest, InfoExcludeOfAWorktree) {
  TempDir tmp;
  tmp.write("repo.git/info/exclude", "private/\n");
  tmp.write("repo.git/worktrees/wt/commondir", "../..\n");
  tmp.write("wt/.git", "gitdir: " + (tmp.path() / "repo.git/worktrees/wt").string() + "\n");
  tmp.write("wt/private/p.txt", "x");
  tmp.write("wt/public.txt", "x");
  EXPECT_EQ(paths_of(discover_ok(tmp.path() / "wt")), (std::vector<std::string>{"public.txt"}));
}

TEST(WorkspaceDiscoveryTest, ExcludeGlobs) {
  TempDir tmp;
  tmp.write("vendor/a/b.go", "x");
  tmp.write("services/legacy/Dockerfile", "FROM x");
  tmp.write("services/api/Dockerfile", "FROM x");
  tmp.write("README.md", "x");
  tmp.write("docs/guide.md", "x");
  tmp.write("docs/keep.md", "x");
  tmp.write("main.go", "x");
  DiscoveryOptions options;
  options.exclude = {"vendor/**", "services/legacy/**", "*.md", "!docs/keep.md"};
  const auto ws = discover_ok(tmp.path(), options);
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{"docs/keep.md", "main.go", "services/api/Dockerfile"}));
}

TEST(WorkspaceDiscoveryTest, ExcludeGlobsCannotBeOverriddenByGitignore) {
  TempDir tmp;
  tmp.write(".gitignore", "!generated.txt\n");
  tmp.write("generated.txt", "x");
  DiscoveryOptions options;
  options.exclude = {"generated.txt"};
  EXPECT_EQ(paths_of(discover_ok(tmp.path(), options)), (std::vector<std::string>{".gitignore"}));
}

TEST(WorkspaceDiscoveryTest, SymlinksAreNeverFollowed) {
  TempDir outside;
  outside.write("secret.txt", "x");
  outside.write("dir/inner.txt", "x");
  TempDir tmp;
  tmp.write("real/file.txt", "x");
  symlink_or_fail(outside.path() / "secret.txt", tmp.path() / "out-file");
  symlink_or_fail(outside.path() / "dir", tmp.path() / "out-dir");
  symlink_or_fail("real/file.txt", tmp.path() / "alias.txt");   // inside: silent
  symlink_or_fail("real", tmp.path() / "alias-dir");              // inside: silent
  symlink_or_fail("does-not-exist", tmp.path() / "dangling");
  symlink_or_fail("b", tmp.path() / "a");  // a -> b -> a
  symlink_or_fail("a", tmp.path() / "b");
  symlink_or_fail("..", tmp.path() / "real" / "up");  // points to its parent
  symlink_or_fail(".", tmp.path() / "real" / "self");

  const auto ws = discover_ok(tmp.path());
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{"real/file.txt"}));
  EXPECT_TRUE(has_note(ws, "out-file", "symlink not followed: points outside the repository")) << dump_notes(ws);
  EXPECT_TRUE(has_note(ws, "out-dir", "symlink not followed: points outside the repository")) << dump_notes(ws);
  EXPECT_TRUE(has_note(ws, "dangling", "broken symlink")) << dump_notes(ws);
  EXPECT_TRUE(has_note(ws, "a", "symlink loop")) << dump_notes(ws);
  EXPECT_TRUE(has_note(ws, "b", "symlink loop")) << dump_notes(ws);
  EXPECT_EQ(ws.notes.size(), 5U) << dump_notes(ws);
  EXPECT_TRUE(std::is_sorted(ws.notes.begin(), ws.notes.end()));
}

TEST(WorkspaceDiscoveryTest, FifoNamedDockerfileIsNotOpened) {
  TempDir tmp;
  tmp.write("app/main.py", "x");
  ASSERT_EQ(::mkfifo((tmp.path() / "Dockerfile").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo((tmp.path() / "app" / ".gitignore").c_str(), 0644), 0);  // never read either
  const auto ws = discover_ok(tmp.path());
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{"app/main.py"}));
  EXPECT_TRUE(has_note(ws, "Dockerfile", "skipped: not a regular file (a FIFO)")) << dump_notes(ws);
  EXPECT_TRUE(has_note(ws, "app/.gitignore", "skipped: not a regular file (a FIFO)")) << dump_notes(ws);

  const auto single = discover(tmp.path() / "Dockerfile", {});
  ASSERT_TRUE(single.has_value());
  EXPECT_TRUE(single->files.empty());
  EXPECT_EQ(single->notes.size(), 1U);
}

TEST(WorkspaceDiscoveryTest, OversizedFilesAreSkippedWithANote) {
  TempDir tmp;
  tmp.write("small.txt", std::string(100, 'x'));
  tmp.write("big.txt", std::string(200, 'x'));
  tmp.write("bigger.bin", std::string(3 * 1024 + 512, 'x'));
  DiscoveryOptions options;
  options.max_file_size = 100;
  auto ws = discover_ok(tmp.path(), options);
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{"small.txt"}));
  EXPECT_TRUE(has_note(ws, "big.txt", "skipped: 200 bytes exceeds the 100 bytes file size limit")) << dump_notes(ws);

  options.max_file_size = 1024;
  ws = discover_ok(tmp.path(), options);
  EXPECT_TRUE(has_note(ws, "bigger.bin", "skipped: 3.5 KiB exceeds the 1.0 KiB file size limit")) << dump_notes(ws);
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{"big.txt", "small.txt"}));
}

TEST(WorkspaceDiscoveryTest, SingleFileRoot) {
  TempDir tmp;
  tmp.write("svc/Dockerfile.prod", "FROM alpine\n");
  tmp.write("svc/other.txt", "x");
  const auto ws = discover_ok(tmp.path() / "svc" / "Dockerfile.prod");
  EXPECT_EQ(ws.root, fs::canonical(tmp.path() / "svc"));
  ASSERT_EQ(ws.files.size(), 1U);
  EXPECT_EQ(ws.files[0].path, "Dockerfile.prod");
  EXPECT_EQ(ws.files[0].kind, FileKind::dockerfile);
  EXPECT_EQ(ws.files[0].size, 12U);
  EXPECT_TRUE(ws.stack.has("docker"));
}

TEST(WorkspaceDiscoveryTest, MissingRootIsAnError) {
  TempDir tmp;
  const auto result = discover(tmp.path() / "nope", {});
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().path.find("nope"), std::string::npos);
}

TEST(WorkspaceDiscoveryTest, OutputIsSortedWithRecordedDetails) {
  TempDir tmp;
  for (const char* name : {"b.txt", "a/z.yaml", "a.txt", "A.md", "a-b/c.json", "a/b/Dockerfile"}) {
    tmp.write(name, "12345");
  }
  const auto ws = discover_ok(tmp.path());
  EXPECT_EQ(paths_of(ws),
            (std::vector<std::string>{"A.md", "a-b/c.json", "a.txt", "a/b/Dockerfile", "a/z.yaml", "b.txt"}));
  EXPECT_EQ(ws.root, fs::canonical(tmp.path()));
  for (const auto& file : ws.files) {
    EXPECT_EQ(file.size, 5U);
    EXPECT_EQ(file.absolute, ws.root / file.path);
    EXPECT_EQ(file.kind, classify(file.path));
  }
  EXPECT_EQ(ws.files[3].kind, FileKind::dockerfile);
  EXPECT_TRUE(ws.stack.has("docker"));
}

TEST(WorkspaceDiscoveryTest, UnreadableDirectoryGetsANote) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any directory";
  TempDir tmp;
  tmp.write("locked/x.txt", "x");
  tmp.write("open/y.txt", "x");
  fs::permissions(tmp.path() / "locked", fs::perms::none);
  const auto ws = discover_ok(tmp.path());
  EXPECT_EQ(paths_of(ws), (std::vector<std::string>{"open/y.txt"}));
  ASSERT_EQ(ws.notes.size(), 1U);
  EXPECT_EQ(ws.notes[0].path, "locked");
  EXPECT_TRUE(ws.notes[0].message.starts_with("skipped: cannot read directory")) << ws.notes[0].message;
}

TEST(WorkspaceDiscoveryTest, TheSameWorkspaceWhateverTheNumberOfThreads) {
  TempDir tmp;
  // Branching at every level, with per-directory rules, provenance and notes.
  for (int top = 0; top < 6; ++top) {
    for (int sub = 0; sub < 5; ++sub) {
      const std::string dir = "d" + std::to_string(top) + "/s" + std::to_string(sub);
      tmp.write(dir + "/app.yaml", "kind: Deployment\n");
      tmp.write(dir + "/README.md", "# r\n");
      tmp.write(dir + "/build.log", "x\n");
      tmp.write(dir + "/vendor/lib.js", "x\n");
    }
    tmp.write("d" + std::to_string(top) + "/.gitignore", "*.log\n");
    tmp.write("d" + std::to_string(top) + "/big.bin", std::string(64, 'x'));
  }
  fs::create_symlink("/etc/hostname", tmp.path() / "d0" / "outside");
  auto run = [&](unsigned jobs) {
    DiscoveryOptions options;
    options.max_file_size = 32;
    options.jobs = jobs;
    return discover_ok(tmp.path(), options);
  };
  const Workspace one = run(1);
  EXPECT_EQ(one.files.size(), 6U * 5U * 2U + 6U) << "the logs are ignored, the vendored files set aside";
  EXPECT_EQ(one.set_aside.size(), 6U * 5U);
  EXPECT_EQ(one.notes.size(), 6U + 1U) << dump_notes(one);
  for (const unsigned jobs : {2U, 4U, 16U}) {
    const Workspace many = run(jobs);
    EXPECT_EQ(paths_of(many), paths_of(one)) << jobs << " threads";
    ASSERT_EQ(many.set_aside.size(), one.set_aside.size());
    for (std::size_t i = 0; i < one.set_aside.size(); ++i) EXPECT_EQ(many.set_aside[i].path, one.set_aside[i].path);
    EXPECT_EQ(dump_notes(many), dump_notes(one)) << jobs << " threads";
  }
}

TEST(WorkspaceDiscoveryTest, EmptyDirectory) {
  TempDir tmp;
  const auto ws = discover_ok(tmp.path());
  EXPECT_TRUE(ws.files.empty());
  EXPECT_TRUE(ws.notes.empty());
  EXPECT_TRUE(ws.stack.facts.empty());
}

}  // namespace
}  // namespace constable::workspace

// The one reader every file goes through (core/files.hpp, used by
// workspace::read_content): regular files only, never blocking on a FIFO,
// bounded in size, and confined to the repository when asked.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "core/files.hpp"
#include "support/test_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::files {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(BoundedRead, ReadsARegularFile) {
  TempDir dir;
  const auto file = dir.write("a.txt", "hello\n");
  auto content = read(file);
  ASSERT_TRUE(content) << content.error().error.to_string();
  EXPECT_EQ(*content, "hello\n");
}

TEST(BoundedRead, MissingFileSaysSo) {
  TempDir dir;
  auto content = read(dir.path() / "absent.txt");
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::missing);
  EXPECT_EQ(content.error().error.path, (dir.path() / "absent.txt").string());
}

TEST(BoundedRead, TooLargeIsRefusedBeforeReading) {
  TempDir dir;
  const auto file = dir.write("big.yaml", "a: 1\n");
  fs::resize_file(file, 50ULL * 1024 * 1024);  // sparse
  auto content = read(file, {.max_size = kDefaultMaxSize, .confine_to = {}, .follow_symlinks = true, .display = "big.yaml"});
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::too_large);
  EXPECT_EQ(content.error().size, 50ULL * 1024 * 1024);
  EXPECT_EQ(content.error().error.path, "big.yaml");
  EXPECT_NE(content.error().error.message.find("too large (50.0 MiB, limit 10.0 MiB)"), std::string::npos)
      << content.error().error.message;
}

TEST(BoundedRead, ExactlyAtTheLimitIsRead) {
  TempDir dir;
  const auto file = dir.write("edge.txt", std::string(100, 'x'));
  EXPECT_TRUE(read(file, {.max_size = 100}));
  auto over = read(file, {.max_size = 99});
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().error.message.find("100 bytes, limit 99 bytes"), std::string::npos)
      << over.error().error.message;
}

TEST(BoundedRead, FifoIsRefusedWithoutBlocking) {
  TempDir dir;
  const auto fifo = dir.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto content = read(fifo);  // would block forever in open() without O_NONBLOCK and the type check
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::not_regular);
  EXPECT_NE(content.error().error.message.find("FIFO"), std::string::npos) << content.error().error.message;
}

TEST(BoundedRead, DevicesAndDirectoriesAreRefused) {
  auto zero = read("/dev/zero");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().problem, Problem::not_regular);
  EXPECT_NE(zero.error().error.message.find("character device"), std::string::npos);
  TempDir dir;
  auto directory = read(dir.path());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().problem, Problem::not_regular);
}

TEST(BoundedRead, SymlinkToADeviceIsRefused) {
  TempDir dir;
  fs::create_symlink("/dev/zero", dir.path() / "config.yaml");
  auto content = read(dir.path() / "config.yaml");
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::not_regular);
}

TEST(BoundedRead, DescriptorIsBounded) {
  const int fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  auto content = read_descriptor(fd, 1024 * 1024, "<stdin>");
  ::close(fd);
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::too_large);
  EXPECT_EQ(content.error().error.path, "<stdin>");
  EXPECT_NE(content.error().error.message.find("1.0 MiB"), std::string::npos) << content.error().error.message;
}

// The workspace's symlink policy, for files a repository names.
class ConfinedRead : public ::testing::Test {
 protected:
  TempDir outside_;
  TempDir repo_;
};

TEST_F(ConfinedRead, SymlinkInsidePointingInsideIsFollowed) {
  repo_.write("docs/real.md", "inside\n");
  fs::create_symlink("docs/real.md", repo_.path() / "CONSTITUTION.md");
  auto content = read(repo_.path() / "CONSTITUTION.md", {.confine_to = repo_.path()});
  ASSERT_TRUE(content) << content.error().error.to_string();
  EXPECT_EQ(*content, "inside\n");
}

// The kernel's own confinement (openat2 beneath the root) refuses absolute
// symlinks outright; one that points back inside is still followed.
TEST_F(ConfinedRead, AbsoluteSymlinkPointingInsideIsFollowed) {
  const auto real = repo_.write("docs/real.md", "inside\n");
  fs::create_symlink(real, repo_.path() / "CONSTITUTION.md");
  auto content = read(repo_.path() / "CONSTITUTION.md", {.confine_to = repo_.path()});
  ASSERT_TRUE(content) << content.error().error.to_string();
  EXPECT_EQ(*content, "inside\n");
}

TEST_F(ConfinedRead, DirectorySymlinksAreResolvedOnTheWay) {
  repo_.write("charts/real/values.yaml", "a: 1\n");
  fs::create_directory_symlink("real", repo_.path() / "charts" / "alias");
  auto inside = read(repo_.path() / "charts/alias/values.yaml", {.confine_to = repo_.path()});
  ASSERT_TRUE(inside) << inside.error().error.to_string();
  EXPECT_EQ(*inside, "a: 1\n");
  outside_.write("values.yaml", "b: 2\n");
  fs::create_directory_symlink(outside_.path(), repo_.path() / "charts" / "away");
  auto away = read(repo_.path() / "charts/away/values.yaml", {.confine_to = repo_.path()});
  ASSERT_FALSE(away);
  EXPECT_EQ(away.error().problem, Problem::outside);
}

TEST_F(ConfinedRead, ASymlinkIsRefusedWhereSymlinksAreNotFollowed) {
  repo_.write("real.md", "x\n");
  fs::create_symlink("real.md", repo_.path() / "link.md");
  auto content = read(repo_.path() / "link.md", {.confine_to = repo_.path(), .follow_symlinks = false});
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::not_regular);
  EXPECT_TRUE(read(repo_.path() / "real.md", {.confine_to = repo_.path(), .follow_symlinks = false}));
}

TEST_F(ConfinedRead, SymlinkOutOfTheRepositoryIsRefused) {
  const auto secret = outside_.write("shadow", "root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n");
  fs::create_symlink(secret, repo_.path() / ".constable.yaml");
  auto content = read(repo_.path() / ".constable.yaml", {.confine_to = repo_.path()});
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::outside);
  EXPECT_NE(content.error().error.message.find("outside the repository"), std::string::npos);
  // Unconfined (a file the user named), the same link is followed.
  EXPECT_TRUE(read(repo_.path() / ".constable.yaml"));
}

TEST_F(ConfinedRead, DotDotOutOfTheRepositoryIsRefused) {
  outside_.write("x.md", "x\n");
  const fs::path sneaky = repo_.path() / ".." / outside_.path().filename() / "x.md";
  auto content = read(sneaky, {.confine_to = repo_.path()});
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, Problem::outside);
}

TEST_F(ConfinedRead, SymlinkLoopAndBrokenSymlinkSaySo) {
  fs::create_symlink("b", repo_.path() / "a");
  fs::create_symlink("a", repo_.path() / "b");
  auto loop = read(repo_.path() / "a", {.confine_to = repo_.path()});
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().problem, Problem::loop);
  fs::create_symlink("nowhere", repo_.path() / "broken");
  auto broken = read(repo_.path() / "broken", {.confine_to = repo_.path()});
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().problem, Problem::missing);
  EXPECT_NE(broken.error().error.message.find("broken symlink"), std::string::npos);
}

TEST_F(ConfinedRead, ARootReachedThroughARepointedSymlinkConfinesToItsNewTarget) {
  // A server's repository root may be a symlink re-pointed between reviews:
  // the root is resolved again, not remembered from the first read.
  const TempDir first;
  const TempDir second;
  first.write("a.md", "first\n");
  second.write("a.md", "second\n");
  const fs::path root = outside_.path() / "current";
  fs::create_symlink(first.path(), root);
  auto before = read(root / "a.md", {.confine_to = root});
  ASSERT_TRUE(before) << before.error().error.to_string();
  EXPECT_EQ(*before, "first\n");
  fs::remove(root);
  fs::create_symlink(second.path(), root);
  auto after = read(root / "a.md", {.confine_to = root});
  ASSERT_TRUE(after) << after.error().error.to_string();
  EXPECT_EQ(*after, "second\n");
  // And the old target is now outside.
  auto old = read(first.path() / "a.md", {.confine_to = root});
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().problem, Problem::outside);
}

TEST_F(ConfinedRead, LocateFindsDirectoriesInsideOnly) {
  repo_.write("docs/evidence/a.md", "a\n");
  EXPECT_TRUE(locate(repo_.path() / "docs/evidence", repo_.path()));
  fs::create_symlink(outside_.path(), repo_.path() / "elsewhere");
  auto out = locate(repo_.path() / "elsewhere", repo_.path());
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().problem, Problem::outside);
}

TEST(BoundedRead, HumanSizes) {
  EXPECT_EQ(human_size(1), "1 byte");
  EXPECT_EQ(human_size(1023), "1023 bytes");
  EXPECT_EQ(human_size(10ULL * 1024 * 1024), "10.0 MiB");
  EXPECT_EQ(human_size(1024ULL * 1024 * 1024), "1.0 GiB");
}

}  // namespace
}  // namespace constable::files

namespace constable::workspace {
namespace {

TEST(WorkspaceReadContent, RefusesWhatIsNoLongerARegularFile) {
  testing::TempDir dir;
  const auto fifo = dir.path() / "Dockerfile";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // As if discovery had found a regular file that was replaced by a FIFO since.
  const File file{"Dockerfile", fifo, 10, FileKind::dockerfile};
  auto content = read_content(file);
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().path, "Dockerfile");
  EXPECT_NE(content.error().message.find("FIFO"), std::string::npos) << content.error().message;
}

TEST(WorkspaceReadContent, RefusesASymlinkSwappedIn) {
  testing::TempDir dir;
  testing::TempDir outside;
  const auto secret = outside.write("secret", "s3cr3t\n");
  std::filesystem::create_symlink(secret, dir.path() / "values.yaml");
  const File file{"values.yaml", dir.path() / "values.yaml", 7, FileKind::yaml};
  EXPECT_FALSE(read_content(file));
}

// Discovery's stat data says a regular file was there: it is opened without
// a look first, and whatever was swapped in since is still refused.
TEST(WorkspaceReadContent, AFileDiscoverySawIsOpenedWithoutALookAndStillRefusedWhenSwapped) {
  testing::TempDir dir;
  testing::TempDir outside;
  const auto path = dir.write("values.yaml", "a: 1\n");
  File file{"values.yaml", path, 5, FileKind::yaml};
  file.stat = files::StatSignature{.size = 5};
  auto content = read_content(file);
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(*content, "a: 1\n");

  // Grown since discovery: read whole, as it is when opened.
  dir.write("values.yaml", "a: 1\nb: 2\n");
  content = read_content(file);
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(*content, "a: 1\nb: 2\n");

  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  content = read_content(file);  // would block here if the FIFO were opened for reading without O_NONBLOCK
  ASSERT_FALSE(content);
  EXPECT_NE(content.error().message.find("FIFO"), std::string::npos) << content.error().message;

  std::filesystem::remove(path);
  std::filesystem::create_symlink(outside.write("secret", "s3cr3t\n"), path);
  content = read_content(file);
  ASSERT_FALSE(content);
  EXPECT_NE(content.error().message.find("symlink"), std::string::npos) << content.error().message;
}

// The same for a confined read of a file a directory listing showed (a
// chart's files): a FIFO or a symlink out of the root swapped in is refused.
TEST(WorkspaceReadContent, AConfinedFileSeenInAListingIsStillRefusedWhenSwapped) {
  testing::TempDir root;
  testing::TempDir outside;
  const auto path = root.write("chart/values.yaml", "replicas: 1\n");
  const files::ReadOptions options{.confine_to = root.path(), .seen_regular = true};
  auto content = files::read(path, options);
  ASSERT_TRUE(content) << content.error().error.message;
  EXPECT_EQ(*content, "replicas: 1\n");

  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  content = files::read(path, options);
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, files::Problem::not_regular) << content.error().error.message;

  std::filesystem::remove(path);
  std::filesystem::create_symlink(outside.write("secret", "s3cr3t\n"), path);
  content = files::read(path, options);
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().problem, files::Problem::outside) << content.error().error.message;
}

TEST(WorkspaceReadContent, InMemoryContentIsReturnedAsIs) {
  File file{"<stdin>", {}, 3, FileKind::yaml, std::string("a: 1")};
  auto content = read_content(file);
  ASSERT_TRUE(content);
  EXPECT_EQ(*content, "a: 1");
}

}  // namespace
}  // namespace constable::workspace

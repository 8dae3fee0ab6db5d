#include "audit/fleet.hpp"

#include <map>

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace constable::audit {
namespace {

namespace ct = constable::testing;
namespace fs = std::filesystem;

TEST(Fleet, AFleetFileNamesPathsTeamsAndConstitutions) {
  ct::TempDir dir;
  dir.write("repos/payments/README.md", "# payments\n");
  dir.write("repos/shop/README.md", "# shop\n");
  const auto fleet = dir.write("fleet.yaml",
                               "repositories:\n"
                               "  - path: repos/payments\n    team: pay\n    constitution: c.md\n"
                               "  - path: repos/shop\n    name: web-shop\n"
                               "  - path: repos/gone\n"
                               "  - path: https://github.com/example/x\n");
  const auto repositories = read_fleet(fleet, dir.path() / "clones");
  ASSERT_TRUE(repositories) << repositories.error().to_string();
  ASSERT_EQ(repositories->size(), 4U);
  EXPECT_EQ((*repositories)[0].name, "payments");
  EXPECT_EQ((*repositories)[0].team, "pay");
  EXPECT_EQ((*repositories)[0].constitution, dir.path() / "c.md");
  EXPECT_EQ((*repositories)[0].source, fs::weakly_canonical(dir.path() / "repos" / "payments").string());
  EXPECT_TRUE((*repositories)[0].error.empty());
  EXPECT_EQ((*repositories)[1].name, "web-shop");
  EXPECT_EQ((*repositories)[2].error, "no such directory");
  EXPECT_EQ((*repositories)[3].url, "https://github.com/example/x");
  EXPECT_EQ((*repositories)[3].path, dir.path() / "clones" / "github.com" / "example" / "x");
  EXPECT_TRUE((*repositories)[3].error.empty());
}

Result<std::vector<Repository>> read_fleet_in(const ct::TempDir& dir, const fs::path& file) {
  return read_fleet(file, dir.path() / "clones");
}

TEST(Fleet, AMalformedFleetFileSaysWhereAndWhat) {
  ct::TempDir dir;
  const auto unknown = read_fleet_in(dir, dir.write("a.yaml", "repositories:\n  - path: x\n    owner: me\n"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().line, 3);
  EXPECT_NE(unknown.error().message.find("unknown key 'owner'"), std::string::npos);
  const auto no_list = read_fleet_in(dir, dir.write("b.yaml", "repos: []\n"));
  ASSERT_FALSE(no_list);
  EXPECT_NE(no_list.error().message.find("expected 'repositories:'"), std::string::npos);
  const auto no_path = read_fleet_in(dir, dir.write("c.yaml", "repositories:\n  - team: t\n"));
  ASSERT_FALSE(no_path);
  EXPECT_NE(no_path.error().message.find("needs 'path'"), std::string::npos);
  EXPECT_FALSE(read_fleet_in(dir, dir.write("d.yaml", "repositories: [\n")));
}

TEST(Fleet, SameNamesTakeTheirParentsAndTheSameDirectoryCountsOnce) {
  ct::TempDir dir;
  dir.write("team-a/api/x", "");
  dir.write("team-b/api/x", "");
  const auto a = (dir.path() / "team-a" / "api").string();
  const auto b = (dir.path() / "team-b" / "api").string();
  const auto repositories = resolve_sources({a, b, a}, dir.path() / "clones");
  ASSERT_TRUE(repositories);
  ASSERT_EQ(repositories->size(), 2U);
  EXPECT_EQ((*repositories)[0].name, "team-a/api");
  EXPECT_EQ((*repositories)[1].name, "team-b/api");
}

TEST(Fleet, ClonesAreKeptByHostAndPathOnly) {
  const fs::path clones = "/var/cache/constable/repos";
  EXPECT_EQ(clone_path("https://github.com/acme/payments.git", clones), clones / "github.com" / "acme" / "payments");
  EXPECT_EQ(clone_path("git@github.com:acme/payments.git", clones), clones / "github.com" / "acme" / "payments");
  EXPECT_EQ(clone_path("ssh://git@git.example.com:2222/team/shop", clones),
            clones / "git.example.com" / "2222" / "team" / "shop");
  EXPECT_EQ(clone_path("file:///srv/git/../../etc/x y.git", clones), clones / "srv" / "git" / "etc" / "x_y");
}

TEST(Fleet, ShardsSplitTheFleetStablyAndCompletely) {
  EXPECT_FALSE(parse_shard("4/4"));
  EXPECT_FALSE(parse_shard("1"));
  EXPECT_FALSE(parse_shard("a/b"));
  EXPECT_FALSE(parse_shard("0/0"));
  const auto shard = parse_shard("1/3");
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 1U);
  EXPECT_EQ(shard->count, 3U);
  std::map<unsigned, int> sizes;
  for (int i = 0; i < 300; ++i) {
    const std::string name = "repo-" + std::to_string(i);
    int owners = 0;
    for (unsigned s = 0; s < 3; ++s) {
      if (in_shard(name, {s, 3})) {
        ++owners;
        ++sizes[s];
      }
    }
    EXPECT_EQ(owners, 1) << name;
  }
  for (const auto& [s, n] : sizes) EXPECT_GT(n, 60) << "shard " << s;  // roughly a third each
}

}  // namespace
}  // namespace constable::audit

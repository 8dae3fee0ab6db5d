// Every check of every domain: unique ids registered in order, complete
// metadata, and fixtures for the checks that read files.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "engine/catalog.hpp"
#include "support/test_support.hpp"

namespace constable::testing {
namespace {

TEST(CheckCatalog, IdsAreUniqueAndRegisteredInOrder) {
  const auto& infos = engine::Catalog::builtin().infos();
  ASSERT_FALSE(infos.empty());
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < infos.size(); ++i) {
    EXPECT_TRUE(seen.insert(infos[i]->id).second) << "duplicate id " << infos[i]->id;
    EXPECT_TRUE(infos[i]->id.starts_with(std::string(infos[i]->domain) + "/")) << infos[i]->id;
    if (i > 0) {
      EXPECT_LT(infos[i - 1]->id, infos[i]->id) << "registration out of order";
    }
  }
  for (const auto* rule : engine::rules::all()) EXPECT_TRUE(seen.insert(rule->id).second) << rule->id;
}

TEST(CheckCatalog, MetadataIsComplete) {
  for (const auto* info : engine::Catalog::builtin().infos()) {
    SCOPED_TRACE(std::string(info->id));
    EXPECT_FALSE(info->summary.empty());
    EXPECT_FALSE(info->rationale.empty());
    EXPECT_FALSE(info->remediation.empty());
    EXPECT_FALSE(info->bad_example.empty());
    EXPECT_FALSE(info->good_example.empty());
    EXPECT_FALSE(info->clause.text.empty()) << "every check enforces a clause";
  }
}

TEST(CheckCatalog, FileChecksHaveFireAndSilentFixtures) {
  namespace fs = std::filesystem;
  for (const auto* info : engine::Catalog::builtin().infos()) {
    if (info->scope == engine::Scope::repository) continue;  // tested on real repositories in tests/cli
    const auto dir = fixtures_dir() / info->id;
    bool fire = false, silent = false;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const auto name = entry.path().filename().string();
      fire = fire || name.starts_with("fire");
      silent = silent || name.starts_with("silent");
    }
    EXPECT_TRUE(fire && silent) << info->id << " needs fire* and silent* fixtures in " << dir;
  }
}

}  // namespace
}  // namespace constable::testing

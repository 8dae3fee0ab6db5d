// The search for constitutions below the root: only the first two levels,
// only directories that may hold one of the project's own, and never more
// than a bounded number of directory entries.

#include "app/constitution_discovery.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/test_support.hpp"

namespace constable::app {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const std::string kConstitution = "# C\n## Docker\n- Multi-stage builds MUST be used\n";

std::vector<std::string> relative(const NestedConstitutions& nested, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& file : nested.found) out.push_back(fs::relative(file, root).generic_string());
  return out;
}

// A monorepo whose committed dependencies, example apps, test fixtures and
// tool directories carry spec-kit files of their own.
TEST(ConstitutionDiscovery, OnlyTheProjectsOwnDirectoriesAreSearched) {
  TempDir repo;
  for (const char* dir : {"api", "packages/web", "node_modules/kit", "vendor/github.com", "third_party/x", ".venv/lib",
                          "venv/lib", "examples/todo", "samples", "tests/project", "testdata/p", ".github",
                          ".specify/memory/nested", "a/b/c"})
    repo.write((fs::path(dir) / kSpecKitConstitution).string(), kConstitution);
  fs::create_directory_symlink(repo.path() / "api", repo.path() / "api-link");
  const auto nested = find_nested_constitutions(repo.path());
  EXPECT_FALSE(nested.truncated);
  EXPECT_EQ(relative(nested, repo.path()),
            (std::vector<std::string>{"api/.specify/memory/constitution.md",
                                      "packages/web/.specify/memory/constitution.md"}));
}

// A root with more directories than the bound: the search stops, says so,
// and has looked at no more entries than allowed.
TEST(ConstitutionDiscovery, StopsAtTheEntryBound) {
  TempDir repo;
  for (int i = 0; i < 50; ++i) fs::create_directories(repo.path() / ("d" + std::to_string(i)));
  repo.write((fs::path("d7") / kSpecKitConstitution).string(), kConstitution);
  const auto bounded = find_nested_constitutions(repo.path(), 10);
  EXPECT_TRUE(bounded.truncated);
  const auto whole = find_nested_constitutions(repo.path());
  EXPECT_FALSE(whole.truncated);
  EXPECT_EQ(relative(whole, repo.path()), (std::vector<std::string>{"d7/.specify/memory/constitution.md"}));
}

}  // namespace
}  // namespace constable::app

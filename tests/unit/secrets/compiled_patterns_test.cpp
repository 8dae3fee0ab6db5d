// The compiled-pattern cache: compiled once, loaded after; a corrupt,
// foreign or unwritable cache costs only the compile; other patterns never
// load another set's database.

#include "core/cache.hpp"
#include "secrets/compiled_patterns.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "support/test_support.hpp"

namespace constable::secrets {
namespace {

namespace ct = constable::testing;

struct DatabaseDeleter {
  void operator()(hs_database_t* database) const { hs_free_database(database); }
};
using Database = std::unique_ptr<hs_database_t, DatabaseDeleter>;

PatternSet tokens() { return {{"ghp_[A-Za-z0-9]{36}", "AKIA[0-9A-Z]{16}"}, {0U, HS_FLAG_CASELESS}, {0U, 1U}}; }

// The ids a database reports for `text`, in order.
std::vector<unsigned int> matches(const hs_database_t* database, std::string_view text) {
  hs_scratch_t* scratch = nullptr;
  EXPECT_EQ(hs_alloc_scratch(database, &scratch), HS_SUCCESS);
  std::vector<unsigned int> ids;
  hs_scan(database, text.data(), static_cast<unsigned int>(text.size()), 0, scratch,
          [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* found) {
            static_cast<std::vector<unsigned int>*>(found)->push_back(id);
            return 0;
          },
          &ids);
  hs_free_scratch(scratch);
  return ids;
}

std::vector<std::filesystem::path> cached_files(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::exists(directory)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) out.push_back(entry.path());
  return out;
}

constexpr std::string_view kText = "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 and akiaABCDEFGHIJKLMNOP";

TEST(CompiledPatterns, CompiledOnceThenLoadedAndMatchingTheSame) {
  ct::TempDir dir;
  const auto cache = dir.path() / "cache";
  CompiledPatterns first = load_or_compile(tokens(), cache);
  Database compiled(first.database);
  ASSERT_NE(compiled, nullptr) << first.error;
  EXPECT_EQ(first.source, DatabaseSource::compiled);
  ASSERT_EQ(cached_files(cache).size(), 1u);

  CompiledPatterns second = load_or_compile(tokens(), cache);
  Database loaded(second.database);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(second.source, DatabaseSource::cache);
  EXPECT_EQ(matches(loaded.get(), kText), matches(compiled.get(), kText));
  EXPECT_EQ(matches(loaded.get(), kText).size(), 2u);
}

TEST(CompiledPatterns, ACorruptCacheIsCompiledAgainAndRepaired) {
  ct::TempDir dir;
  Database(load_or_compile(tokens(), dir.path()).database);
  const auto files = cached_files(dir.path());
  ASSERT_EQ(files.size(), 1u);
  std::ofstream(files[0], std::ios::binary | std::ios::trunc) << "not a database";
  CompiledPatterns again = load_or_compile(tokens(), dir.path());
  Database repaired(again.database);
  ASSERT_NE(repaired, nullptr);
  EXPECT_EQ(again.source, DatabaseSource::compiled);
  EXPECT_EQ(matches(repaired.get(), kText).size(), 2u);
  CompiledPatterns after = load_or_compile(tokens(), dir.path());
  Database reloaded(after.database);
  EXPECT_EQ(after.source, DatabaseSource::cache);
}

TEST(CompiledPatterns, OtherPatternsNeverLoadAnotherSetsDatabase) {
  ct::TempDir dir;
  Database(load_or_compile(tokens(), dir.path()).database);
  PatternSet changed = tokens();
  changed.flags[1] = 0U;  // AKIA now case-sensitive: the lower-case key no longer matches
  CompiledPatterns other = load_or_compile(changed, dir.path());
  Database database(other.database);
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(other.source, DatabaseSource::compiled);
  EXPECT_EQ(matches(database.get(), kText), std::vector<unsigned int>{0u});
  EXPECT_EQ(cached_files(dir.path()).size(), 2u);
}

TEST(CompiledPatterns, WithoutAUsableCacheItStillCompiles) {
  ct::TempDir dir;
  CompiledPatterns uncached = load_or_compile(tokens(), std::nullopt);
  Database a(uncached.database);
  EXPECT_NE(a, nullptr);
  // A "directory" below a regular file cannot be created.
  const auto blocked = dir.write("file", "x") / "cache";
  CompiledPatterns unwritable = load_or_compile(tokens(), blocked);
  Database b(unwritable.database);
  EXPECT_NE(b, nullptr);
  EXPECT_EQ(unwritable.source, DatabaseSource::compiled);
  // A pattern that does not compile is an error, not a crash.
  CompiledPatterns broken = load_or_compile({{"(unclosed"}, {0U}, {0U}}, dir.path() / "cache");
  EXPECT_EQ(broken.database, nullptr);
  EXPECT_NE(broken.error.find("anchor 0"), std::string::npos) << broken.error;
}

TEST(CompiledPatterns, TheCacheDirectoryComesFromTheEnvironment) {
  const char* saved = std::getenv("CONSTABLE_CACHE_DIR");
  const std::optional<std::string> restore = saved != nullptr ? std::optional<std::string>(saved) : std::nullopt;
  setenv("CONSTABLE_CACHE_DIR", "/tmp/constable-cache-test", 1);
  EXPECT_EQ(cache::default_directory(), std::filesystem::path("/tmp/constable-cache-test"));
  setenv("CONSTABLE_CACHE_DIR", "", 1);
  EXPECT_EQ(cache::default_directory(), std::nullopt);  // off
  if (restore) setenv("CONSTABLE_CACHE_DIR", restore->c_str(), 1);
  else unsetenv("CONSTABLE_CACHE_DIR");
}

}  // namespace
}  // namespace constable::secrets

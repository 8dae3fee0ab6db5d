#include "secrets/compiled_patterns.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "core/cache.hpp"
#include "core/digest.hpp"

namespace constable::secrets {
namespace {

// Larger than any database of the built-in detectors by two orders of
// magnitude; anything larger in the cache is not ours.
constexpr std::uintmax_t kMaxCachedBytes = 64 * 1024 * 1024;

// The cache file's name: a digest of everything the database is made of.
std::string cache_name(const PatternSet& patterns) {
  // Each part length-prefixed, so that no two pattern sets share a key.
  const std::string_view version = hs_version();
  std::string key = fmt::format("constable vectorscan block database 1 {}:{}", version.size(), version);
  for (std::size_t i = 0; i < patterns.expressions.size(); ++i) {
    const std::string_view expression = patterns.expressions[i];
    key += fmt::format(" {} {} {}:{}", patterns.ids[i], patterns.flags[i], expression.size(), expression);
  }
  return fmt::format("vectorscan-{}.db", digest::sha256_hex(key));
}

hs_database_t* load(const std::filesystem::path& directory, const std::string& name) {
  const auto bytes = cache::read(directory, name, kMaxCachedBytes);
  if (!bytes) return nullptr;
  hs_database_t* database = nullptr;
  // Vectorscan checks the header, version, platform and checksum.
  if (hs_deserialize_database(bytes->data(), bytes->size(), &database) != HS_SUCCESS) return nullptr;
  return database;
}

void store(const hs_database_t* database, const std::filesystem::path& directory, const std::string& name) {
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) return;
  cache::write(directory, name, std::string_view(bytes, length));
  std::free(bytes);
}

}  // namespace

CompiledPatterns load_or_compile(const PatternSet& patterns, const std::optional<std::filesystem::path>& cache_directory) {
  CompiledPatterns out;
  const std::optional<std::string> name = cache_directory ? std::optional(cache_name(patterns)) : std::nullopt;
  if (name) {
    out.database = load(*cache_directory, *name);
    if (out.database != nullptr) {
      out.source = DatabaseSource::cache;
      return out;
    }
  }
  hs_compile_error_t* compile_error = nullptr;
  if (hs_compile_multi(patterns.expressions.data(), patterns.flags.data(), patterns.ids.data(),
                       static_cast<unsigned int>(patterns.expressions.size()), HS_MODE_BLOCK, nullptr, &out.database,
                       &compile_error) != HS_SUCCESS) {
    out.error = fmt::format("anchor {}: {}", compile_error != nullptr ? compile_error->expression : -1,
                            compile_error != nullptr && compile_error->message != nullptr ? compile_error->message : "?");
    hs_free_compile_error(compile_error);
    out.database = nullptr;
    return out;
  }
  if (name) store(out.database, *cache_directory, *name);
  return out;
}

}  // namespace constable::secrets

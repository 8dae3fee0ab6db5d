#include "secrets/compiled_patterns.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "core/files.hpp"
#include "helm/template/digest.hpp"

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
  return fmt::format("vectorscan-{}.db", helm::tmpl::sha256_hex(key));
}

hs_database_t* load(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return nullptr;
  auto bytes = files::read(file, {.max_size = kMaxCachedBytes, .confine_to = {}, .display = file.string()});
  if (!bytes) return nullptr;
  hs_database_t* database = nullptr;
  // Vectorscan checks the header, version, platform and checksum.
  if (hs_deserialize_database(bytes->data(), bytes->size(), &database) != HS_SUCCESS) return nullptr;
  return database;
}

// Written under a name of its own and renamed into place: concurrent runs
// never read half a file.
void store(const hs_database_t* database, const std::filesystem::path& directory, const std::string& name) {
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) return;
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  const auto target = directory / name;
  const auto temporary = directory / fmt::format("{}.{}.tmp", name, ::getpid());
  bool written = false;
  if (!ec) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes, static_cast<std::streamsize>(length));
    out.close();
    written = static_cast<bool>(out);
  }
  std::free(bytes);
  if (written) std::filesystem::rename(temporary, target, ec);
  if (!written || ec) std::filesystem::remove(temporary, ec);
}

}  // namespace

std::optional<std::filesystem::path> default_cache_directory() {
  if (const char* configured = std::getenv("CONSTABLE_CACHE_DIR"); configured != nullptr)
    return *configured == '\0' ? std::nullopt : std::optional<std::filesystem::path>(configured);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
    return std::filesystem::path(xdg) / "constable";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    return std::filesystem::path(home) / ".cache" / "constable";
  return std::nullopt;
}

CompiledPatterns load_or_compile(const PatternSet& patterns, const std::optional<std::filesystem::path>& cache_directory) {
  CompiledPatterns out;
  const std::optional<std::string> name = cache_directory ? std::optional(cache_name(patterns)) : std::nullopt;
  if (name) {
    out.database = load(*cache_directory / *name);
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

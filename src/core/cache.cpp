#include "core/cache.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "core/files.hpp"

namespace constable::cache {

std::optional<std::filesystem::path> default_directory() {
  if (const char* configured = std::getenv("CONSTABLE_CACHE_DIR"); configured != nullptr)
    return *configured == '\0' ? std::nullopt : std::optional<std::filesystem::path>(configured);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
    return std::filesystem::path(xdg) / "constable";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    return std::filesystem::path(home) / ".cache" / "constable";
  return std::nullopt;
}

std::optional<std::string> read(const std::filesystem::path& directory, std::string_view name,
                                std::uintmax_t max_size) {
  const auto file = directory / name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  auto bytes = files::read(file, {.max_size = max_size, .confine_to = {}, .display = file.string()});
  if (!bytes) return std::nullopt;
  return std::move(*bytes);
}

void write(const std::filesystem::path& directory, std::string_view name, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return;
  const auto target = directory / name;
  // Unique to this process and call: threads of one run may store the same entry.
  static std::atomic<unsigned> writes{0};
  const auto temporary = directory / fmt::format("{}.{}.{}.tmp", name, ::getpid(), writes++);
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  // The owner's alone: entries include private keys (throwaway ones, but a
  // scanner of the home directory cannot tell).
  std::filesystem::permissions(temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               ec);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (out) std::filesystem::rename(temporary, target, ec);
  if (!out || ec) std::filesystem::remove(temporary, ec);
}

}  // namespace constable::cache

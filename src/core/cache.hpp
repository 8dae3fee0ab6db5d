#pragma once
// What constable keeps between runs on one machine: things that are slow to
// make and always the same for the same inputs (compiled secret patterns,
// the deterministic keys chart renders generate). Each entry is named by a
// digest of everything it is made of, so a changed input misses instead of
// loading something stale. Best effort throughout: a missing, unwritable or
// corrupt cache only costs the work it would have saved.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace constable::cache {

// $CONSTABLE_CACHE_DIR, else $XDG_CACHE_HOME/constable, else
// $HOME/.cache/constable; nullopt when none is set or CONSTABLE_CACHE_DIR is
// empty (caching off).
std::optional<std::filesystem::path> default_directory();

// The entry `name` in `directory`, when it is a regular file of at most
// `max_size` bytes.
std::optional<std::string> read(const std::filesystem::path& directory, std::string_view name,
                                std::uintmax_t max_size);

// Stores `bytes` as `name`: written under a name of its own and renamed into
// place, so a concurrent run never reads half an entry.
void write(const std::filesystem::path& directory, std::string_view name, std::string_view bytes);

}  // namespace constable::cache

#pragma once
// Vectorscan databases compiled once per machine, not once per run: compiling
// the secret detectors is most of the start-up cost of a run on a small
// repository (~40 ms of ~80 ms), while loading the serialized database takes
// well under a millisecond. The cache is keyed by everything the database is
// made of (the library's version, each pattern with its flags and id), so a
// changed detector or a library upgrade compiles afresh, never loads stale.
#include <hs/hs.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace constable::secrets {

struct PatternSet {
  std::vector<const char*> expressions;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;
};

enum class DatabaseSource { compiled, cache };

struct CompiledPatterns {
  hs_database_t* database = nullptr;  // owned by the caller (hs_free_database); nullptr on error
  DatabaseSource source = DatabaseSource::compiled;
  std::string error;  // why the patterns did not compile
};

// The database of `patterns` (block mode): loaded from `cache_directory` when
// a database of exactly these patterns is there and loads, compiled otherwise
// and then stored there for the next run. The cache is best effort: a
// missing, unwritable or corrupt cache only costs the compile.
CompiledPatterns load_or_compile(const PatternSet& patterns, const std::optional<std::filesystem::path>& cache_directory);

}  // namespace constable::secrets

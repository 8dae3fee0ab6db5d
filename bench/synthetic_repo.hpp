#pragma once
// A deterministic synthetic repository for benchmarks: `files` files in
// service directories, one Dockerfile per service (a mix of compliant and
// violating ones), the rest source, docs and configuration.

#include <filesystem>

namespace constable::bench {

struct SyntheticStats {
  std::size_t files = 0;
  std::size_t dockerfiles = 0;
  std::uintmax_t bytes = 0;
};

// Writes into `root` (created; must be empty or absent). Same arguments, same bytes.
SyntheticStats write_synthetic_repo(const std::filesystem::path& root, std::size_t files);

}  // namespace constable::bench

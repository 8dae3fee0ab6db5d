// Keep a Changelog: releases, sections, link references, and the semantic
// version comparison the changelog check applies between releases.

#include <cstddef>
#include <cstdint>

#include "formats/changelog/changelog.hpp"
#include "fuzz_support.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto changelog = changelog::parse(fuzz::as_text(data, size));
  for (std::size_t i = 1; i < changelog.releases.size(); ++i) {
    (void)changelog::compare_semver(changelog.releases[i - 1].version, changelog.releases[i].version);
  }
  return 0;
}

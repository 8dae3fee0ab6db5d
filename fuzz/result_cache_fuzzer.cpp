// The content cache's entries (engine/result_cache.hpp): whatever bytes sit
// in the cache directory, reading them fails cleanly or yields a run that
// writes back to the same bytes it reads as, and every list kept encoded
// until needed (a file's emissions and findings, a phase's emissions)
// decodes or fails cleanly too. The same holds for the charts' kept renders.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/digest.hpp"
#include "engine/charts.hpp"
#include "engine/result_cache.hpp"
#include "fuzz_support.hpp"

using namespace constable;

namespace {

// The same bytes as a charts file: it decodes to what it encodes to, or not at all.
void charts_round_trip(std::string_view input, const digest::Sha256& salt) {
  static const std::string header = engine::charts_header(salt);
  const auto charts = engine::decode_charts(header + std::string(input), salt);
  if (!charts) return;
  const std::string written = engine::encode_charts(salt, *charts);
  const auto reread = engine::decode_charts(written, salt);
  if (!reread || engine::encode_charts(salt, *reread) != written) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const digest::Sha256 salt = digest::sha256("result cache fuzzer");
  static const std::string header = engine::results_header(salt);
  charts_round_trip(fuzz::as_text(data, size), salt);
  const auto run = engine::decode_results(header + std::string(fuzz::as_text(data, size)), salt);
  if (!run) return 0;
  for (const auto* files : {&run->files, &run->late_files})
    for (const auto& [path, file] : *files) {
      (void)file.emitted.decode();
      (void)file.findings.decode();
    }
  for (const auto* phase : {&run->repository, &run->manifests})
    for (const auto& about : phase->emitted) (void)about.emitted.decode();
  const std::string written = engine::encode_results(salt, *run);
  const auto reread = engine::decode_results(written, salt);
  if (!reread || engine::encode_results(salt, *reread) != written) __builtin_trap();
  return 0;
}

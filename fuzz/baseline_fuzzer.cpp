// Baseline JSON: parsed, its entries matched against findings made from
// them (some renamed), and written back: what constable writes it must read.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/baseline.hpp"
#include "engine/finding.hpp"
#include "fuzz_support.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto baseline = engine::parse_baseline(fuzz::as_text(data, size), ".constable-baseline.json");
  if (!baseline) return 0;
  std::vector<engine::Finding> findings;
  std::map<std::string, std::string> renames;
  for (const auto& entry : baseline->entries) {
    engine::Finding finding;
    finding.check_id = entry.check;
    finding.path = findings.size() % 3 == 1 ? "moved/" + entry.path : entry.path;
    if (findings.size() % 3 == 1) renames[entry.path] = finding.path;
    finding.range = SourceRange::at_line(entry.line);
    finding.message = entry.message;
    finding.fingerprint = entry.fingerprint;
    findings.push_back(std::move(finding));
  }
  (void)engine::match_findings(findings, baseline->entries, renames);
  const auto written = engine::baseline_json(findings, baseline->created);
  const auto reread = engine::parse_baseline(written, ".constable-baseline.json");
  if (!reread || reread->entries.size() != findings.size()) __builtin_trap();
  return 0;
}

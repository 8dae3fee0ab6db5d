#pragma once
// Only what is new: a baseline records findings by fingerprint; later runs
// report only findings not in it. The same matching serves --diff, where the
// "baseline" is the findings of the base revision.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "engine/finding.hpp"

namespace constable::engine {

struct BaselineEntry {
  std::string fingerprint;
  std::string check;
  std::string path;
  int line = 0;
  std::string message;
};

struct Baseline {
  Date created;
  std::vector<BaselineEntry> entries;
};

// JSON: {"version": 1, "tool": "constable", "created": "YYYY-MM-DD", "findings": [...]}.
std::string baseline_json(const std::vector<Finding>& findings, Date created);  // unsuppressed findings only
Result<Baseline> parse_baseline(std::string_view json, const std::string& path);
Result<Baseline> load_baseline(const std::filesystem::path& file);
BaselineEntry entry_of(const Finding& finding);

struct Matching {
  std::vector<std::size_t> unmatched_current;  // indices into `current`: new findings
  std::vector<std::size_t> unmatched_earlier;  // indices into `earlier`: fixed since
  std::vector<std::pair<std::size_t, std::size_t>> matched;  // (current, earlier), in current's order
};

// Pairs findings with earlier entries of the same check and fingerprint: first
// those on the same path (after `renames`, old path -> new path), then any
// remaining pair, so code moved within a file or to a renamed file still
// matches. Suppressed findings are ignored.
Matching match_findings(const std::vector<Finding>& current, const std::vector<BaselineEntry>& earlier,
                        const std::map<std::string, std::string>& renames = {});

}  // namespace constable::engine

#pragma once
// Renders a run as text, JSON, SARIF 2.1.0, JUnit XML or Markdown. Every
// format reads the same Report; secrets arrive already redacted.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "engine/check.hpp"
#include "engine/run.hpp"

namespace constable::report {

enum class Format : std::uint8_t { text, json, sarif, junit, markdown };
std::optional<Format> parse_format(std::string_view name);

// A rule as reporters describe it: a check's metadata and the clause it is
// bound to (null for the engine's own rules).
struct Rule {
  const engine::CheckInfo* info = nullptr;
  const constitution::Clause* clause = nullptr;
  Severity severity = Severity::medium;
  std::string parameters;
};

struct Report {
  std::string tool_name = "constable";
  std::string tool_version;
  std::string root;               // the checked path as given
  std::string constitution_path;
  std::string constitution_version;  // "" when it has no footer
  Date run_date;
  Severity fail_on = Severity::low;  // threshold, for summaries
  bool fail_on_none = false;
  std::vector<Rule> rules;  // every active rule, in id order, engine rules included
  const engine::RunResult* result = nullptr;
};

struct RenderOptions {
  bool colour = false;  // ANSI colours (text only), when writing to a terminal
  bool stats = false;   // add per-phase statistics (text and JSON)
};

std::string render(const Report& report, Format format, const RenderOptions& options);

// The individual renderers, one file each.
std::string render_text(const Report& report, const RenderOptions& options);
std::string render_json(const Report& report, const RenderOptions& options);
std::string render_sarif(const Report& report);
std::string render_junit(const Report& report);
std::string render_markdown(const Report& report);

}  // namespace constable::report

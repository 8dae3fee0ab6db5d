#pragma once
// Renders a run as text, JSON, SARIF 2.1.0, JUnit XML, Markdown, GitHub
// workflow commands, GitLab Code Quality JSON or HTML. Every format reads the
// same Report; secrets arrive already redacted.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "engine/check.hpp"
#include "engine/run.hpp"

namespace constable::report {

enum class Format : std::uint8_t { text, json, sarif, junit, markdown, github, gitlab, html };
std::optional<Format> parse_format(std::string_view name);
// "text, json, sarif, junit, markdown, github, gitlab or html", for messages.
std::string_view format_names();

// A rule as reporters describe it: a check's metadata and the clause it is
// bound to (null for the engine's own rules).
struct Rule {
  const engine::CheckInfo* info = nullptr;
  const constitution::Clause* clause = nullptr;
  Severity severity = Severity::medium;
  std::string parameters;
};

// How much of the constitution the run enforces (issue 12: "N of M clauses
// enforced, K files checked"); the files come from the result's stats.
struct ClauseCoverage {
  bool known = false;            // false when the caller did not compute it
  std::size_t clauses = 0;       // in the constitution
  std::size_t enforced = 0;      // by an active check, or applied by constable itself
  std::size_t attested = 0;      // by a valid attestation instead
};

// Findings --min-severity keeps out of every format; they still decide the
// exit code, so the summary's count of failing findings includes them.
struct HiddenFindings {
  std::optional<Severity> below;  // the --min-severity threshold, when given
  std::size_t findings = 0;       // unsuppressed findings not shown
  std::size_t failing = 0;        // of which at or above the fail-on threshold
};

struct Report {
  std::string tool_name = "constable";
  std::string tool_version;
  std::string root;               // the checked path as given
  std::string constitution_path;
  std::string constitution_version;  // "" when it has no footer
  // The constitution relative to the root, "" when it lies outside: where
  // formats that need a file show findings about the repository as a whole.
  std::string constitution_in_root;
  Date run_date;
  Severity fail_on = Severity::low;  // threshold, for summaries
  bool fail_on_none = false;
  std::vector<Rule> rules;  // every active rule, in id order, engine rules included
  ClauseCoverage coverage;
  HiddenFindings hidden;
  const engine::RunResult* result = nullptr;
};

enum class SortOrder : std::uint8_t { path, severity };

struct RenderOptions {
  bool colour = false;  // ANSI colours (text only), when writing to a terminal
  bool stats = false;   // add per-phase statistics (text and JSON)
  // Text: the summary block before the findings instead of after them,
  // findings grouped by severity instead of by path, or (quiet) only the
  // one-line summary.
  bool summary_first = false;
  SortOrder sort = SortOrder::path;
  bool quiet = false;
  // Platform limits (docs/output-formats.md); 0 means no limit.
  std::size_t markdown_max_bytes = 60'000;  // a GitHub comment holds 65,536 characters
  // GitHub code scanning accepts 25,000 results per run and SARIF files of
  // 10 MB (docs.github.com, code-security/code-scanning, "SARIF results
  // exceed limit" and "SARIF file is too large"); the file is kept under
  // 10 MB even before compression.
  std::size_t sarif_max_results = 25'000;
  std::size_t sarif_max_bytes = 10'000'000;
};

std::string render(const Report& report, Format format, const RenderOptions& options);
// "12 violations (2 high, 10 medium)" or "no violations": the unsuppressed
// findings, for one-line summaries.
std::string violations_summary(const Report& report);

// The individual renderers, one file each.
std::string render_text(const Report& report, const RenderOptions& options);
std::string render_json(const Report& report, const RenderOptions& options);
std::string render_sarif(const Report& report, const RenderOptions& options = {});
std::string render_junit(const Report& report);
std::string render_markdown(const Report& report, const RenderOptions& options = {});
std::string render_github(const Report& report);
std::string render_gitlab(const Report& report);
std::string render_html(const Report& report);

}  // namespace constable::report

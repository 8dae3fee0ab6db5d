#pragma once
// Helpers shared by the report renderers: summaries, rule lookup, escaping
// for XML, Markdown and URIs. Everything here is total and never throws on
// any input (invalid UTF-8 included).

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.hpp"
#include "report/report.hpp"

namespace constable::report::detail {

// The findings of the report (empty when it has no result).
const std::vector<engine::Finding>& findings_of(const Report& report);
const std::vector<workspace::Note>& notes_of(const Report& report);

struct Summary {
  std::size_t total = 0;  // violations: neither suppressed nor in a transition period
  std::array<std::size_t, 4> by_severity{};  // violations, indexed by Severity
  std::size_t suppressed = 0;
  std::size_t in_transition = 0;  // deprecation warnings: clauses in their transition period
  std::size_t failing = 0;  // unsuppressed at or above the fail-on threshold (shown or not)
  std::size_t hidden = 0;   // unsuppressed below --min-severity, not shown
  // How much was checked (Report::coverage and the run's stats).
  bool coverage_known = false;
  std::size_t clauses = 0, clauses_enforced = 0, clauses_attested = 0;
  std::size_t files_checked = 0;
  bool low_coverage = false;  // fewer than kLowCoveragePercent of the clauses enforced or attested
};
Summary summarize(const Report& report);

// Below this share of enforced clauses a clean run says that it proves little.
inline constexpr std::size_t kLowCoveragePercent = 10;
// "12 of 40 clauses enforced, 57 files checked" (with "(3 more attested)"
// when some are); "" when the report has no coverage figures.
std::string checked_sentence(const Summary& summary);
// For a run that enforces little of its constitution: "Only 2 of 40 clauses
// (5%) are enforced: ..." ("" otherwise).
std::string low_coverage_note(const Summary& summary);

// Unsuppressed findings per check, for summary tables: most severe first,
// then the most findings, then by id.
struct CheckCount {
  std::string_view check_id;
  Severity severity = Severity::low;  // the most severe of its findings
  std::size_t count = 0;
};
std::vector<CheckCount> counts_by_check(const Report& report);  // violations only

// Valid UTF-8 with every control character (C0 except \t, DEL, C1) shown as
// '?', so nothing quoted from a repository can drive a terminal. One code
// point in, one out: columns stay meaningful.
std::string terminal_safe(std::string_view s);
// "High" for "high": the first letter in upper case (ASCII).
std::string capitalised(std::string_view s);
// "12 violations (2 high, 10 medium)", "1 violation (1 low)" or "no violations".
std::string violations_text(const Summary& summary);
// The same, then the deprecation warnings when there are any.
std::string violations_and_warnings_text(const Summary& summary);

// Files in the repository that were not judged, by provenance (all zero
// without a result), and the sentence that says so: "Not judged (not the
// project's own): 3,214 vendored, 41 fixtures and 9 binary files; `include:`
// in .constable.yaml judges them." ("" when every file was judged).
workspace::ProvenanceCounts not_judged_of(const Report& report);
std::string not_judged_sentence(const Report& report);

// Counts indexed by Severity.
using SeverityCounts = std::array<std::size_t, 4>;
// "2 high, 10 medium": the severities with a count, most severe first ("" when all are zero).
std::string severity_counts_text(const SeverityCounts& counts);

// The unsuppressed findings, most severe first, report order kept within a
// severity: the order in which formats with a size limit keep findings.
std::vector<const engine::Finding*> most_severe_first(const Report& report);

// Whether a finding's path names a file of the repository: not "" or ".",
// not a directory ("docs/"), not git's own data (".git", ".git/refs/...").
bool names_a_file(std::string_view path);

// Where formats that can only point at a file of the repository (SARIF,
// GitHub annotations, GitLab Code Quality) show a finding: its own file, or,
// for a finding about the repository as a whole or a directory, the line of
// its clause in the constitution (the whole constitution for a finding
// without a clause). nullopt when the finding has no file and the
// constitution lies outside the root.
struct FileLocation {
  std::string path;  // relative to the root
  SourceRange range;
  bool at_clause = false;  // true: the constitution stands in for the repository
};
std::optional<FileLocation> file_location(const Report& report, const engine::Finding& finding);

// The longest prefix of valid UTF-8 `s` of at most `max_bytes` bytes that
// does not end inside a character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// True when an unsuppressed finding of this severity fails the run.
bool is_failing(const Report& report, Severity severity);
// A deprecation warning's "warning until 2026-07-03 (clause added in 2.1.0;
// ...), then due 2026-07-10"; "due 2026-07-10" for a violation.
std::string due_text(const engine::Finding& finding);
// "2 deprecation warnings (clauses in their transition period)", "" for none.
std::string transition_sentence(const Summary& summary);
// "high", or "none" when fail_on_none.
std::string fail_on_label(const Report& report);

// The rule for a check id and its index in report.rules; nullptr / npos when absent.
const Rule* find_rule(const Report& report, std::string_view check_id, std::size_t* index = nullptr);


std::string_view suppression_kind(engine::Suppression::Kind kind);  // "inline_comment" | "waiver"

// Valid UTF-8 copy of any text (invalid sequences become U+FFFD).
std::string clean(std::string_view s);

// Valid UTF-8 with every control character (C0 other than tab, and newline
// and carriage return when `keep_line_breaks`; DEL; C1) shown as '?', one
// for one, so that nothing in a report can drive a terminal or a log viewer.
std::string printable(std::string_view s, bool keep_line_breaks);

// "docker/non-root-user" -> "NonRootUser" (the part after the last '/').
std::string pascal_case(std::string_view check_id);

// XML 1.0 text/attribute content: escapes & < > " ' and drops characters
// XML 1.0 forbids (C0 controls other than \t \n \r, U+FFFE, U+FFFF). In
// attributes, \t \n \r are written as character references so they survive
// attribute-value normalisation.
std::string xml_escape(std::string_view s, bool attribute);

// Text for HTML (and SVG) content and quoted attributes: & < > " ' escaped,
// control characters shown as '?' (line breaks kept), invalid UTF-8 replaced.
std::string html_escape(std::string_view s);
// "'sha256-<base64>'": the Content-Security-Policy source that allows exactly
// this inline block (a style or script element's text).
std::string csp_hash(std::string_view block);

// Percent-encodes everything outside RFC 3986 unreserved characters and '/'.
std::string percent_encode_path(std::string_view path);
// "file:///abs/path/" for an absolute root, "" otherwise.
std::string file_uri_for_root(std::string_view root);

// Escapes Markdown inline syntax and table pipes; newlines become <br>.
std::string markdown_escape(std::string_view s);
// An inline code span holding `s` safely inside a table cell.
std::string markdown_code(std::string_view s);

// Human-readable microseconds: "850 µs", "12.3 ms", "1.25 s".
std::string format_micros(long long micros);

// Number of code points in valid UTF-8 text.
std::size_t codepoint_count(std::string_view s);

}  // namespace constable::report::detail

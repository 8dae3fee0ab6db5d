#pragma once
// Helpers shared by the report renderers: summaries, rule lookup, escaping
// for XML, Markdown and URIs. Everything here is total and never throws on
// any input (invalid UTF-8 included).

#include <array>
#include <cstddef>
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
  std::size_t total = 0;  // unsuppressed findings
  std::array<std::size_t, 4> by_severity{};  // unsuppressed, indexed by Severity
  std::size_t suppressed = 0;
  std::size_t failing = 0;  // unsuppressed at or above the fail-on threshold
};
Summary summarize(const Report& report);

// Files in the repository that were not judged, by provenance (all zero
// without a result), and the sentence that says so: "Not judged (not the
// project's own): 3,214 vendored, 41 fixtures and 9 binary files; `include:`
// in .constable.yaml judges them." ("" when every file was judged).
workspace::ProvenanceCounts not_judged_of(const Report& report);
std::string not_judged_sentence(const Report& report);

// True when an unsuppressed finding of this severity fails the run.
bool is_failing(const Report& report, Severity severity);
// "high", or "none" when fail_on_none.
std::string fail_on_label(const Report& report);

// The rule for a check id and its index in report.rules; nullptr / npos when absent.
const Rule* find_rule(const Report& report, std::string_view check_id, std::size_t* index = nullptr);


std::string_view suppression_kind(engine::Suppression::Kind kind);  // "inline_comment" | "waiver"

// Valid UTF-8 copy of any text (invalid sequences become U+FFFD).
std::string clean(std::string_view s);

// "docker/non-root-user" -> "NonRootUser" (the part after the last '/').
std::string pascal_case(std::string_view check_id);

// XML 1.0 text/attribute content: escapes & < > " ' and drops characters
// XML 1.0 forbids (C0 controls other than \t \n \r, U+FFFE, U+FFFF). In
// attributes, \t \n \r are written as character references so they survive
// attribute-value normalisation.
std::string xml_escape(std::string_view s, bool attribute);

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

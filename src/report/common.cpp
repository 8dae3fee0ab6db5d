#include "report/common.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/evp.h>

#include "core/text.hpp"

namespace constable::report::detail {

const std::vector<engine::Finding>& findings_of(const Report& report) {
  static const std::vector<engine::Finding> kNone;
  return report.result != nullptr ? report.result->findings : kNone;
}

const std::vector<workspace::Note>& notes_of(const Report& report) {
  static const std::vector<workspace::Note> kNone;
  return report.result != nullptr ? report.result->notes : kNone;
}

workspace::ProvenanceCounts not_judged_of(const Report& report) {
  return report.result != nullptr ? report.result->not_judged : workspace::ProvenanceCounts{};
}

std::string not_judged_sentence(const Report& report) {
  const auto counts = not_judged_of(report);
  std::vector<std::string> parts;
  std::size_t total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    total += counts[i];
    parts.push_back(fmt::format("{} {}", counts[i], to_string(static_cast<workspace::Provenance>(i))));
  }
  if (parts.empty()) return {};
  std::string listed = parts.back();
  if (parts.size() > 1) {
    parts.pop_back();
    listed = fmt::format("{} and {}", fmt::join(parts, ", "), listed);
  }
  return fmt::format("Not judged (not the project's own): {} file{}; `include:` in .constable.yaml judges them.",
                     listed, total == 1 ? "" : "s");
}

bool is_failing(const Report& report, Severity severity) {
  // Severities are ordered from most to least severe.
  return !report.fail_on_none && severity <= report.fail_on;
}

std::string due_text(const engine::Finding& finding) {
  if (!finding.transition) return "due " + finding.due.to_string();
  return fmt::format("warning until {} ({}), then due {}", finding.transition->until.to_string(),
                     finding.transition->reason, finding.due.to_string());
}

std::string transition_sentence(const Summary& summary) {
  if (summary.in_transition == 0) return {};
  return fmt::format("{} deprecation warning{} (clauses in their transition period)", summary.in_transition,
                     summary.in_transition == 1 ? "" : "s");
}

std::string fail_on_label(const Report& report) {
  return report.fail_on_none ? std::string("none") : std::string(to_string(report.fail_on));
}

Summary summarize(const Report& report) {
  Summary summary;
  for (const engine::Finding& finding : findings_of(report)) {
    if (finding.suppressed()) {
      ++summary.suppressed;
      continue;
    }
    if (finding.in_transition()) {
      ++summary.in_transition;
      continue;
    }
    ++summary.total;
    const auto index = static_cast<std::size_t>(finding.severity);
    if (index < summary.by_severity.size()) ++summary.by_severity[index];
    if (is_failing(report, finding.severity)) ++summary.failing;
  }
  summary.hidden = report.hidden.findings;
  summary.failing += report.hidden.failing;
  if (report.result != nullptr) summary.files_checked = report.result->stats.files_checked;
  const ClauseCoverage& coverage = report.coverage;
  summary.coverage_known = coverage.known;
  summary.clauses = coverage.clauses;
  summary.clauses_enforced = coverage.enforced;
  summary.clauses_attested = coverage.attested;
  summary.low_coverage = coverage.known && (coverage.clauses == 0 || (coverage.enforced + coverage.attested) * 100 <
                                                                          kLowCoveragePercent * coverage.clauses);
  return summary;
}

std::string checked_sentence(const Summary& summary) {
  if (!summary.coverage_known) return {};
  return fmt::format("{} of {} clause{} enforced{}, {} file{} checked", summary.clauses_enforced, summary.clauses,
                     summary.clauses == 1 ? "" : "s",
                     summary.clauses_attested > 0 ? fmt::format(" ({} more attested)", summary.clauses_attested) : "",
                     summary.files_checked, summary.files_checked == 1 ? "" : "s");
}

std::string low_coverage_note(const Summary& summary) {
  if (!summary.low_coverage) return {};
  if (summary.clauses == 0)
    return "The constitution has no clause constable recognises (no MUST, SHALL or PROHIBITED rule), so a clean run "
           "proves nothing.";
  const std::size_t covered = summary.clauses_enforced + summary.clauses_attested;
  const auto percent = summary.clauses == 0 ? 0 : covered * 100 / summary.clauses;
  return fmt::format(
      "Only {} of {} clauses ({}%) are enforced: constable has checks for little of this constitution, so a clean "
      "run proves little. `constable coverage` lists every clause and what enforces it; attestations in "
      ".constable.yaml cover clauses no file can show.",
      covered, summary.clauses, percent);
}

std::vector<CheckCount> counts_by_check(const Report& report) {
  std::vector<CheckCount> counts;
  for (const engine::Finding& finding : findings_of(report)) {
    if (!finding.enforced()) continue;
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const CheckCount& c) { return c.check_id == finding.check_id; });
    if (it == counts.end()) {
      counts.push_back({finding.check_id, finding.severity, 1});
      continue;
    }
    ++it->count;
    it->severity = std::min(it->severity, finding.severity);  // Severity orders the most severe first
  }
  std::sort(counts.begin(), counts.end(), [](const CheckCount& a, const CheckCount& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.count != b.count) return a.count > b.count;
    return a.check_id < b.check_id;
  });
  return counts;
}

std::string capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string terminal_safe(std::string_view s) {
  const std::string valid = clean(s);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto u = static_cast<unsigned char>(valid[i]);
    if ((u < 0x20 && u != '\t') || u == 0x7F) {
      out += '?';
    } else if (u == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(valid[i + 1]) <= 0x9F) {
      out += '?';
      ++i;
    } else {
      out += valid[i];
    }
  }
  return out;
}

std::string severity_counts_text(const SeverityCounts& counts) {
  std::vector<std::string> parts;
  for (Severity severity : kAllSeverities) {
    const std::size_t n = counts[static_cast<std::size_t>(severity)];
    if (n > 0) parts.push_back(fmt::format("{} {}", n, to_string(severity)));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::vector<const engine::Finding*> most_severe_first(const Report& report) {
  std::vector<const engine::Finding*> out;
  for (const engine::Finding& finding : findings_of(report))
    if (!finding.suppressed()) out.push_back(&finding);
  std::stable_sort(out.begin(), out.end(),
                   [](const engine::Finding* a, const engine::Finding* b) { return a->severity < b->severity; });
  return out;
}

bool names_a_file(std::string_view path) {
  if (path.empty() || path == "." || path.ends_with('/')) return false;
  return path != ".git" && !path.starts_with(".git/");
}

std::optional<FileLocation> file_location(const Report& report, const engine::Finding& finding) {
  if (names_a_file(finding.path)) return FileLocation{finding.path, finding.range, false};
  if (report.constitution_in_root.empty()) return std::nullopt;
  const SourceRange clause_line =
      finding.clause_line > 0 ? SourceRange::at_line(finding.clause_line) : SourceRange::whole_file();
  return FileLocation{report.constitution_in_root, clause_line, true};
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;  // s[end] starts the cut character
  return s.substr(0, end);
}

std::string violations_text(const Summary& summary) {
  if (summary.total == 0) return "no violations";
  return fmt::format("{} violation{} ({})", summary.total, summary.total == 1 ? "" : "s",
                     severity_counts_text(summary.by_severity));
}

std::string violations_and_warnings_text(const Summary& summary) {
  if (summary.in_transition == 0) return violations_text(summary);
  return violations_text(summary) + ", " + transition_sentence(summary);
}

const Rule* find_rule(const Report& report, std::string_view check_id, std::size_t* index) {
  for (std::size_t i = 0; i < report.rules.size(); ++i) {
    const Rule& rule = report.rules[i];
    if (rule.info != nullptr && rule.info->id == check_id) {
      if (index != nullptr) *index = i;
      return &rule;
    }
  }
  if (index != nullptr) *index = std::string::npos;
  return nullptr;
}

std::string_view suppression_kind(engine::Suppression::Kind kind) {
  switch (kind) {
    case engine::Suppression::Kind::inline_comment: return "inline_comment";
    case engine::Suppression::Kind::waiver: return "waiver";
  }
  return "inline_comment";
}

std::string clean(std::string_view s) { return text::sanitize_utf8(s); }

std::string printable(std::string_view s, bool keep_line_breaks) {
  const std::string valid = clean(s);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto u = static_cast<unsigned char>(valid[i]);
    const bool line_break = u == '\n' || u == '\r';
    if ((u < 0x20 && u != '\t' && !(keep_line_breaks && line_break)) || u == 0x7F) {
      out += '?';
    } else if (u == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(valid[i + 1]) <= 0x9F) {
      out += '?';  // a C1 control (U+0080..U+009F)
      ++i;
    } else {
      out += valid[i];
    }
  }
  return out;
}

std::string pascal_case(std::string_view check_id) {
  const auto slash = check_id.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? check_id : check_id.substr(slash + 1);
  std::string out;
  bool upper = true;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    if (upper && u >= 'a' && u <= 'z') {
      out += static_cast<char>(u - 'a' + 'A');
    } else {
      out += c;
    }
    upper = false;
  }
  return out;
}

std::string xml_escape(std::string_view s, bool attribute) {
  const std::string valid = clean(s);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    const auto u = static_cast<unsigned char>(c);
    // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters.
    if (u == 0xEF && i + 2 < valid.size() && static_cast<unsigned char>(valid[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(valid[i + 2]) == 0xBE || static_cast<unsigned char>(valid[i + 2]) == 0xBF)) {
      i += 2;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;  // a raw \r would be normalised away
      default:
        if (u < 0x20) break;  // illegal in XML 1.0
        out += c;
    }
  }
  return out;
}

std::string percent_encode_path(std::string_view path) {
  const std::string valid = clean(path);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (unreserved) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned>(u));
    }
  }
  return out;
}

std::string file_uri_for_root(std::string_view root) {
  if (root.empty() || root.front() != '/') return {};
  std::string uri = "file://" + percent_encode_path(root);
  if (uri.back() != '/') uri += '/';
  return uri;
}

std::string markdown_escape(std::string_view s) {
  const std::string valid = clean(s);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~': case '&': case '#':
        out += '\\';
        out += c;
        break;
      case '\r':
        if (i + 1 < valid.size() && valid[i + 1] == '\n') ++i;
        out += "<br>";
        break;
      case '\n': out += "<br>"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string markdown_code(std::string_view s) {
  std::string body;
  std::size_t longest_run = 0;
  std::size_t run = 0;
  for (char c : clean(s)) {
    if (c == '`') {
      longest_run = std::max(longest_run, ++run);
    } else {
      run = 0;
    }
    if (c == '|') {
      body += "\\|";  // GFM tables split cells on '|' even inside code spans
    } else if (static_cast<unsigned char>(c) < 0x20) {
      body += ' ';
    } else {
      body += c;
    }
  }
  if (body.empty()) return {};
  const std::string fence(longest_run + 1, '`');
  const bool pad = body.front() == '`' || body.back() == '`';
  return pad ? fence + " " + body + " " + fence : fence + body + fence;
}

std::string format_micros(long long micros) {
  if (micros < 1000) return fmt::format("{} µs", micros);
  if (micros < 1000000) return fmt::format("{:.1f} ms", static_cast<double>(micros) / 1000.0);
  return fmt::format("{:.2f} s", static_cast<double>(micros) / 1e6);
}

std::size_t codepoint_count(std::string_view s) {
  std::size_t count = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : printable(s, true)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string csp_hash(std::string_view block) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(block.data(), block.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "'none'";
  std::string base64(4 * ((length + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), digest, static_cast<int>(length));
  base64.resize(written > 0 ? static_cast<std::size_t>(written) : 0);
  return "'sha256-" + base64 + "'";
}

}  // namespace constable::report::detail

namespace constable::report {

std::string violations_summary(const Report& report) {
  return detail::violations_and_warnings_text(detail::summarize(report));
}

}  // namespace constable::report

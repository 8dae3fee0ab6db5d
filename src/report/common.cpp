#include "report/common.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

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
    ++summary.total;
    const auto index = static_cast<std::size_t>(finding.severity);
    if (index < summary.by_severity.size()) ++summary.by_severity[index];
    if (is_failing(report, finding.severity)) ++summary.failing;
  }
  return summary;
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

}  // namespace constable::report::detail

#include "constitution/amend.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/text.hpp"

namespace constable::constitution {

namespace {

std::string with_line_endings(std::string_view text, bool crlf) {
  if (!crlf) return std::string(text);
  std::string out;
  for (const char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Where the first Sync Impact Report comment is: [begin, end) of "<!-- ... -->".
std::optional<std::pair<std::size_t, std::size_t>> report_span(std::string_view markdown) {
  for (auto open = markdown.find("<!--"); open != std::string_view::npos; open = markdown.find("<!--", open + 4)) {
    const auto close = markdown.find("-->", open + 4);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view body = text::trim(markdown.substr(open + 4, close - open - 4));
    if (text::to_upper(body.substr(0, 18)) == "SYNC IMPACT REPORT") return std::pair{open, close + 3};
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> amend(std::string_view markdown, const ConstitutionDiff& change, std::string_view to_version,
                          Date today) {
  const auto target = bump_between("0.0.0", to_version);
  if (!target) return fail(fmt::format("--to must be MAJOR.MINOR.PATCH, got '{}'", to_version));
  if (!change.version_after.empty()) {
    const auto made = bump_between(change.version_after, to_version);
    if (!made || *made == Bump::none)
      return fail(fmt::format("--to {} is not above the constitution's version {}", to_version, change.version_after));
  }
  const bool crlf = markdown.find("\r\n") != std::string_view::npos;
  const std::string_view newline = crlf ? "\r\n" : "\n";
  ConstitutionDiff reported = change;
  reported.version_before = change.version_after.empty() ? change.version_before : change.version_after;
  const std::string report = with_line_endings(render_sync_impact_report(reported, to_version), crlf);

  std::string out;
  if (const auto span = report_span(markdown)) {
    // "-->\n" ends the rendered report; the file's own line break after the comment stays.
    std::string replacement = report;
    replacement.resize(replacement.size() - newline.size());
    out = std::string(markdown.substr(0, span->first)) + replacement + std::string(markdown.substr(span->second));
  } else {
    const std::string_view bom = markdown.substr(0, markdown.size() - text::strip_bom(markdown).size());
    out = std::string(bom) + report + std::string(newline) + std::string(markdown.substr(bom.size()));
  }

  // The footer: its version and Last Amended fields rewritten in place,
  // "**Version**: X" or "**Version:** X"; Last Amended on the same line or,
  // in a header block of one field per line, on one of the next few.
  static const RE2 version_field(R"((?mi)^([ \t>]*\*\*Version(?:\*\*[ \t]*:|:\*\*)[ \t]*)[^|\r\n]*?([ \t]*(?:\||\r?$)))");
  static const RE2 amended_field(R"((?i)(\*\*Last Amended(?:\*\*[ \t]*:|:\*\*)[ \t]*)[^|\r\n]*?([ \t]*(?:\||\r?\n|$)))");
  const std::string amended = today.to_string();
  re2::StringPiece whole(out);
  re2::StringPiece label;
  re2::StringPiece after_value;
  if (RE2::PartialMatch(whole, version_field, &label, &after_value)) {
    const auto label_at = static_cast<std::size_t>(label.data() - out.data());
    const auto value_at = label_at + label.size();
    const auto value_end = static_cast<std::size_t>(after_value.data() - out.data());
    out.replace(value_at, value_end - value_at, to_version);
    // The Last Amended field within the version's line and the five after it.
    std::size_t window_end = value_at;
    for (int lines = 0; lines < 6 && window_end != std::string::npos; ++lines) {
      window_end = out.find('\n', window_end);
      if (window_end != std::string::npos) ++window_end;
    }
    if (window_end == std::string::npos) window_end = out.size();
    std::string window = out.substr(label_at, window_end - label_at);
    if (RE2::Replace(&window, amended_field, fmt::format("\\1{}\\2", amended))) {
      out.replace(label_at, window_end - label_at, window);
    } else {
      const auto line_end = out.find_first_of("\r\n", value_at);
      out.insert(line_end == std::string::npos ? out.size() : line_end, fmt::format(" | **Last Amended**: {}", amended));
    }
  } else {
    if (!out.empty() && !out.ends_with('\n')) out += newline;
    out += fmt::format("{}**Version**: {} | **Last Amended**: {}{}", newline, to_version, amended, newline);
  }
  return out;
}

}  // namespace constable::constitution

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

  // The footer: its version and Last Amended fields rewritten in place.
  static const RE2 footer_line(R"((?mi)^[ \t]*\*\*Version\*\*[ \t]*:[^\r\n]*)");
  re2::StringPiece input(out);
  re2::StringPiece line;
  const std::string amended = today.to_string();
  if (RE2::PartialMatch(input, "(" + footer_line.pattern() + ")", &line)) {
    std::string rewritten(line.data(), line.size());
    static const RE2 version_field(R"((\*\*Version\*\*[ \t]*:[ \t]*)[^|\r\n]*?([ \t]*(?:\||$)))");
    RE2::Replace(&rewritten, version_field, fmt::format("\\1{}\\2", to_version));
    static const RE2 amended_field(R"((?i)(\*\*Last Amended\*\*[ \t]*:[ \t]*)[^|\r\n]*?([ \t]*(?:\||$)))");
    if (!RE2::Replace(&rewritten, amended_field, fmt::format("\\1{}\\2", amended)))
      rewritten += fmt::format(" | **Last Amended**: {}", amended);
    const auto at = static_cast<std::size_t>(line.data() - out.data());
    out.replace(at, line.size(), rewritten);
  } else {
    if (!out.empty() && !out.ends_with('\n')) out += newline;
    out += fmt::format("{}**Version**: {} | **Last Amended**: {}{}", newline, to_version, amended, newline);
  }
  return out;
}

}  // namespace constable::constitution

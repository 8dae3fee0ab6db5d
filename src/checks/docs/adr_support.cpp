#include "checks/docs/adr_support.hpp"

#include <re2/re2.h>

#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

AdrStatus adr_status(std::string_view markdown) {
  static const RE2 kStatusLine(R"((?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?status(?:\*\*|__)?\s*(?::\s*(?:\*\*|__)?|(?:\*\*|__)?:\s*)(.*\S)\s*$)");
  const auto lines = text::split_lines(text::strip_bom(markdown));
  bool front_matter = !lines.empty() && text::trim(lines[0]) == "---";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (front_matter && i > 0 && text::trim(lines[i]) == "---") front_matter = false;
    std::string value;
    if (RE2::FullMatch(lines[i], kStatusLine, &value)) {
      while (value.ends_with("**") || value.ends_with("__")) value.resize(value.size() - 2);
      return {std::string(text::trim(value)), static_cast<int>(i) + 1};
    }
  }
  for (const Heading& heading : headings(markdown)) {
    if (heading.level < 2 || !text::iequals(text::trim(heading.text), "status")) continue;
    for (std::size_t i = static_cast<std::size_t>(heading.line); i < lines.size(); ++i) {
      const std::string_view line = text::trim(lines[i]);
      if (line.empty() || line.starts_with("<!--")) continue;
      if (line.starts_with('#')) break;
      return {std::string(line), static_cast<int>(i) + 1};
    }
    return {"", heading.line};
  }
  return {};
}

}  // namespace constable::checks::docs

#include <exception>

#include "core/text.hpp"
#include "report/report.hpp"

namespace constable::report {

std::optional<Format> parse_format(std::string_view name) {
  const std::string lowered = text::to_lower(text::trim(name));
  if (lowered == "text") return Format::text;
  if (lowered == "json") return Format::json;
  if (lowered == "sarif") return Format::sarif;
  if (lowered == "junit") return Format::junit;
  if (lowered == "markdown" || lowered == "md") return Format::markdown;
  if (lowered == "github") return Format::github;
  if (lowered == "gitlab") return Format::gitlab;
  if (lowered == "html") return Format::html;
  return std::nullopt;
}

std::string_view format_names() { return "text, json, sarif, junit, markdown, github, gitlab or html"; }

std::string render(const Report& report, Format format, const RenderOptions& options) {
  // No exception may escape a renderer: the only realistic one is
  // std::bad_alloc, reported as a one-line message in place of the output.
  try {
    switch (format) {
      case Format::text: return render_text(report, options);
      case Format::json: return render_json(report, options);
      case Format::sarif: return render_sarif(report, options);
      case Format::junit: return render_junit(report);
      case Format::markdown: return render_markdown(report, options);
      case Format::github: return render_github(report);
      case Format::gitlab: return render_gitlab(report);
      case Format::html: return render_html(report);
    }
    return {};
  } catch (const std::exception& error) {
    return std::string("constable: failed to render the report: ") + error.what() + "\n";
  } catch (...) {
    return "constable: failed to render the report\n";
  }
}

}  // namespace constable::report

#include "core/types.hpp"

#include "core/text.hpp"

namespace constable {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::critical: return "critical";
    case Severity::high: return "high";
    case Severity::medium: return "medium";
    case Severity::low: return "low";
  }
  return "low";
}

std::optional<Severity> parse_severity(std::string_view text) {
  const std::string lowered = text::to_lower(text::trim(text));
  for (Severity s : kAllSeverities) {
    if (lowered == to_string(s)) return s;
  }
  return std::nullopt;
}

std::string_view to_string(Nature nature) {
  switch (nature) {
    case Nature::security: return "security";
    case Nature::data_loss: return "data-loss";
    case Nature::reliability: return "reliability";
    case Nature::maintainability: return "maintainability";
    case Nature::documentation: return "documentation";
  }
  return "maintainability";
}

std::string_view to_string(FileKind kind) {
  switch (kind) {
    case FileKind::other: return "other";
    case FileKind::dockerfile: return "dockerfile";
    case FileKind::yaml: return "yaml";
    case FileKind::json: return "json";
    case FileKind::markdown: return "markdown";
    case FileKind::helm_template: return "helm-template";
    case FileKind::gherkin: return "gherkin";
    case FileKind::source: return "source";
  }
  return "other";
}

}  // namespace constable

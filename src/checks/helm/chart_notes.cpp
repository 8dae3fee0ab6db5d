// helm/chart-notes: every application chart prints post-installation guidance
// from a non-empty templates/NOTES.txt.

#include <fmt/format.h>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"

namespace constable::checks::helm {

namespace {
namespace chart_notes_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/chart-notes",
    .domain = "helm",
    .nature = Nature::documentation,
    .summary = "Give every chart a templates/NOTES.txt with post-installation guidance",
    .rationale = "Helm prints the rendered NOTES.txt after install and upgrade, and `helm status` shows it "
                 "again: it is where the operator learns how to reach the service and what to check next. "
                 "Library charts (`type: library`) are never installed and are exempt.",
    .remediation = "Add templates/NOTES.txt saying how to reach the release (its service or ingress URL) and "
                   "how to verify it, e.g. with `helm test {{ .Release.Name }}`.",
    .bad_example = "charts/web/templates/deployment.yaml  # and no templates/NOTES.txt\n",
    .good_example = "Thank you for installing {{ .Chart.Name }}.\n"
                    "Reach it with: kubectl port-forward svc/{{ include \"web.fullname\" . }} 8080:80\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(notes\.txt)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

class ChartNotesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    for (const Chart& chart : find_charts(repo.workspace())) {
      const auto metadata = load_metadata(repo, chart);
      if (metadata && metadata->is_library()) continue;
      const std::string notes_path = chart.dir + "templates/NOTES.txt";
      const workspace::File* notes = find_file(repo.workspace(), notes_path);
      std::string problem;
      if (notes == nullptr) {
        problem = fmt::format("chart '{}' has no {} with post-installation guidance", chart.name(), notes_path);
      } else if (const auto content = read_text(repo, *notes); content && text::trim(*content).empty()) {
        problem = fmt::format("chart '{}' has an empty {}", chart.name(), notes_path);
      }
      if (problem.empty()) continue;
      out.emit({.range = chart_anchor(metadata ? &metadata->yaml : nullptr),
                .message = std::move(problem),
                .path_override = chart.chart_file->path});
    }
  }
};

}  // namespace chart_notes_check
}  // namespace

std::unique_ptr<engine::Check> make_chart_notes_check() {
  return engine::make_check<chart_notes_check::ChartNotesCheck>();
}

}  // namespace constable::checks::helm

// helm/chart-structure: every chart holds every file and folder of the chart
// tree the constitution prescribes ("Chart Structure" code block).

#include <fmt/format.h>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "constitution/parameters.hpp"

namespace constable::checks::helm {

namespace {
namespace chart_structure_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/chart-structure",
    .domain = "helm",
    .nature = Nature::maintainability,
    .summary = "Lay out every chart as the constitution's chart tree prescribes",
    .rationale = "A common chart layout lets anyone find a chart's defaults, environment overrides, templates "
                 "and tests, and lets tooling rely on them. The paths come from the constitution's tree, so "
                 "amending the tree changes what is required. A `tests/` folder at chart level is also "
                 "satisfied by `templates/tests/`, where Helm's own convention keeps test hooks (only files "
                 "under templates/ are rendered, so that is where `helm test` finds them). Library charts "
                 "(`type: library`) render nothing and are exempt.",
    .remediation = "Add the missing file or folder to the chart (a folder needs at least one file to exist in "
                   "git); keep chart tests under templates/tests/.",
    .bad_example = "charts/web/Chart.yaml\ncharts/web/values.yaml\ncharts/web/templates/deployment.yaml\n",
    .good_example = "charts/web/Chart.yaml\ncharts/web/values.yaml\ncharts/web/values-dev.yaml\n"
                    "charts/web/values-prod.yaml\ncharts/web/templates/deployment.yaml\n"
                    "charts/web/templates/service.yaml\ncharts/web/templates/ingress.yaml\n"
                    "charts/web/templates/_helpers.tpl\ncharts/web/templates/tests/test-connection.yaml\n",
    .parameters = "the paths of the chart tree, relative to the chart directory",
    // A file-tree code block (the only clauses spanning lines) that lists a Chart.yaml.
    .clause = {.section = "helm|chart", .text = R"(chart\.ya?ml[^\n]*\n)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

class ChartStructureCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    entries_.clear();
    if (clause.kind != constitution::ClauseKind::structure_block)
      return fail("the chart structure clause is not a file-tree code block");
    const auto tree = constitution::capture_tree(clause.text);
    if (!tree || tree->entries.empty()) return fail("the chart structure code block lists no paths");
    entries_ = tree->entries;
    return {};
  }

  std::string bound_parameters() const override {
    std::string out = "paths:";
    for (const auto& entry : entries_) out += " " + entry.path;
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto& workspace = repo.workspace();
    for (const Chart& chart : find_charts(workspace)) {
      const auto metadata = load_metadata(repo, chart);
      if (metadata && metadata->is_library()) continue;
      const SourceRange anchor = chart_anchor(metadata ? &metadata->yaml : nullptr);
      std::vector<std::string> missing_dirs;
      for (const auto& entry : entries_) {
        // Below a folder already reported missing, everything is missing too.
        bool below_missing = false;
        for (const auto& dir : missing_dirs) below_missing = below_missing || entry.path.starts_with(dir);
        if (below_missing || present(workspace, chart.dir, entry)) continue;
        if (entry.directory) missing_dirs.push_back(entry.path);
        out.emit({.range = anchor,
                  .message = fmt::format("chart '{}' has no {} '{}{}' (required by the chart structure)",
                                         chart.name(), entry.directory ? "folder" : "file", chart.dir, entry.path),
                  .path_override = chart.chart_file->path});
      }
    }
  }

 private:
  // A file discovery skipped (too large, say) exists: its note says why it was not read.
  static bool exists(const workspace::Workspace& workspace, const std::string& path, bool directory) {
    if (directory) return !files_under(workspace, path).empty();
    return find_file(workspace, path) != nullptr || workspace::skipped(workspace, path) != nullptr;
  }

  // A chart-level tests/ path is also found under templates/tests/, Helm's convention.
  static bool present(const workspace::Workspace& workspace, const std::string& chart_dir,
                      const constitution::TreeEntry& entry) {
    if (exists(workspace, chart_dir + entry.path, entry.directory)) return true;
    return entry.path.starts_with("tests/") &&
           exists(workspace, chart_dir + "templates/" + entry.path, entry.directory);
  }

  std::vector<constitution::TreeEntry> entries_;
};

}  // namespace chart_structure_check
}  // namespace

std::unique_ptr<engine::Check> make_chart_structure_check() {
  return engine::make_check<chart_structure_check::ChartStructureCheck>();
}

}  // namespace constable::checks::helm

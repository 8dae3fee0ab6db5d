#include "engine/charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/text.hpp"
#include "helm/chart.hpp"
#include "helm/render.hpp"

namespace constable::engine {

namespace {

// "charts/web/" for "charts/web/Chart.yaml", "" at the root.
std::string directory_prefix(std::string_view path) {
  const std::string_view dir = text::dirname(path);
  return dir.empty() ? std::string{} : std::string(dir) + "/";
}

// "charts/web/" for every Chart.yaml that is not a subchart of another.
std::vector<std::string> top_level_charts(const workspace::Workspace& workspace) {
  std::vector<std::string> dirs;
  for (const auto& file : workspace.files) {
    const auto name = text::basename(file.path);
    if (name == "Chart.yaml" || name == "Chart.yml") dirs.push_back(directory_prefix(file.path));
  }
  std::sort(dirs.begin(), dirs.end());
  std::vector<std::string> top;
  for (const auto& dir : dirs) {
    const bool subchart = std::any_of(top.begin(), top.end(), [&](const std::string& parent) {
      return dir.size() > parent.size() && dir.starts_with(parent + "charts/");
    });
    if (!subchart) top.push_back(dir);
  }
  return top;
}

// values-prod.yaml, values.staging.yml, ... directly in the chart directory.
std::vector<std::string> environment_values(const workspace::Workspace& workspace, const std::string& chart_dir) {
  std::vector<std::string> out;
  for (const auto& file : workspace.files) {
    if (!file.path.starts_with(chart_dir) || file.path.find('/', chart_dir.size()) != std::string::npos) continue;
    if (!kube::ProductionRules::values_environment(file.path).empty()) out.push_back(file.path);
  }
  return out;
}

bool is_test_hook(const yaml::Stream& stream) {
  for (const auto& doc : stream.documents) {
    if (doc.root == nullptr) continue;
    const yaml::Node* hook = doc.root->at("metadata", "annotations", "helm.sh/hook");
    if (hook != nullptr && hook->str().find("test") != std::string_view::npos) return true;
  }
  return false;
}

void add_render(RenderedCharts& out, const helm::Chart& chart, const std::string& values_file,
                const workspace::Workspace& workspace, const kube::ProductionRules& production) {
  helm::RenderOptions options;
  options.base_dir = workspace.root;
  if (!values_file.empty()) options.value_files.push_back(values_file);
  const helm::RenderResult result = helm::render(chart, options);
  const std::string environment = values_file.empty() ? chart.display_prefix + "values.yaml" : std::string(values_file);
  const std::optional<std::string> production_reason =
      values_file.empty() ? std::nullopt : production.for_path(values_file);
  for (const auto& problem : result.problems) {
    if (problem.kind == helm::Problem::Kind::chart) {
      out.notes.push_back({problem.file, fmt::format("rendered without it: {}", problem.message)});
      continue;
    }
    out.problems.push_back({problem.file, {problem.line, problem.column, problem.line, 0}, problem.message});
  }
  for (const auto& manifest : result.manifests) {
    auto rendered = std::make_unique<RenderedManifest>();
    rendered->stream = yaml::parse(manifest.content);
    if (!rendered->stream.ok()) continue;  // the renderer reported it as a problem
    if (is_test_hook(rendered->stream)) continue;
    for (const auto& line : manifest.lines)
      rendered->origins.push_back(
          {line.template_file, line.template_line, line.template_column, line.value_file, line.value_line});
    rendered->file = {manifest.template_file, &rendered->stream, std::string(text::basename(environment)),
                      production_reason, &rendered->origins};
    out.manifests.push_back(std::move(rendered));
  }
}

}  // namespace

RenderedCharts render_charts(const workspace::Workspace& workspace, const kube::ProductionRules& production) {
  RenderedCharts out;
  for (const auto& dir : top_level_charts(workspace)) {
    auto chart = helm::load_chart(workspace.root / dir, dir, workspace.root);
    if (!chart) {
      // The file at fault (values.yaml too large), else the chart's Chart.yaml.
      const std::string& path = chart.error().path.empty() ? dir + "Chart.yaml" : chart.error().path;
      out.problems.push_back({path, SourceRange::whole_file(), chart.error().message});
      continue;
    }
    if (chart->is_library()) continue;
    for (const auto& problem : chart->problems)
      out.problems.push_back({problem.file, {problem.line, problem.column, problem.line, 0}, problem.message});
    add_render(out, *chart, {}, workspace, production);
    for (const auto& values : environment_values(workspace, dir))
      add_render(out, *chart, values, workspace, production);
  }
  // Each render reports the chart's template errors again: keep one of each.
  std::sort(out.problems.begin(), out.problems.end(), [](const ChartProblem& a, const ChartProblem& b) {
    return std::tie(a.path, a.range, a.message) < std::tie(b.path, b.range, b.message);
  });
  std::sort(out.notes.begin(), out.notes.end());
  out.notes.erase(std::unique(out.notes.begin(), out.notes.end()), out.notes.end());
  out.problems.erase(std::unique(out.problems.begin(), out.problems.end(),
                                 [](const ChartProblem& a, const ChartProblem& b) {
                                   return a.path == b.path && a.range == b.range && a.message == b.message;
                                 }),
                     out.problems.end());
  return out;
}

}  // namespace constable::engine

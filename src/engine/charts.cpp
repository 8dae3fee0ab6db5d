#include "engine/charts.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "core/files.hpp"
#include "core/once.hpp"
#include "core/text.hpp"
#include "engine/parallel.hpp"
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

// `path` relative to the chart's directory when it is inside it.
std::string_view within_chart(std::string_view path, std::string_view chart_dir) {
  return path.starts_with(chart_dir) ? path.substr(chart_dir.size()) : path;
}

// What one render left out for want of dependencies that are not vendored
// and of values the chart requires, in one line; "" when nothing. Helm
// itself renders no such chart: these are not render errors of the chart.
std::string left_out_summary(const std::vector<helm::Problem>& problems, std::string_view chart_dir) {
  std::vector<std::string> dependencies, for_dependency, for_value, unset;
  for (const auto& p : problems) {
    const std::string_view template_file = within_chart(p.template_file, chart_dir);
    switch (p.kind) {
      case helm::Problem::Kind::missing_dependency: {
        // A subchart's own dependency names the subchart: "zookeeper (of charts/kafka)".
        const std::string_view owner = text::dirname(within_chart(p.file, chart_dir));
        dependencies.push_back(owner.empty() ? p.dependency : fmt::format("{} (of {})", p.dependency, owner));
        break;
      }
      case helm::Problem::Kind::needs_dependency:
        for_dependency.push_back(fmt::format("{} ({})", template_file, p.reason));
        break;
      case helm::Problem::Kind::unset_value:
        if (std::find(unset.begin(), unset.end(), p.reason) == unset.end()) unset.push_back(p.reason);
        break;
      case helm::Problem::Kind::fail: {
        const std::string_view at = within_chart(p.file, chart_dir);
        for_value.push_back(at == template_file ? fmt::format("{} (line {}: {})", template_file, p.line, p.reason)
                                                : fmt::format("{} ({}:{}: {})", template_file, at, p.line, p.reason));
        break;
      }
      default: break;
    }
  }
  // A chart without its library chart (bitnami's `common`) loses every
  // template: name a few, count the rest.
  constexpr std::size_t kListed = 5;
  for (auto* list : {&for_dependency, &for_value})
    if (list->size() > kListed) {
      const std::size_t more = list->size() - kListed;
      list->resize(kListed);
      list->push_back(fmt::format("and {} more", more));
    }
  std::vector<std::string> parts;
  if (!dependencies.empty())
    parts.push_back(fmt::format("rendered without dependencies not vendored under charts/ (`helm dependency build` "
                                "fetches them): {}",
                                fmt::join(dependencies, ", ")));
  if (!for_dependency.empty())
    parts.push_back(fmt::format("templates left out for want of them: {}", fmt::join(for_dependency, ", ")));
  if (!for_value.empty())
    parts.push_back(
        fmt::format("templates left out for want of a value the chart requires: {}", fmt::join(for_value, ", ")));
  if (!unset.empty())
    parts.push_back(fmt::format("not rendered: values.schema.json requires a value for {}, which the chart's values "
                                "leave to whoever installs it (helm template fails the same way without one)",
                                fmt::join(unset, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

bool explained_by_note(helm::Problem::Kind kind) {
  return kind == helm::Problem::Kind::missing_dependency || kind == helm::Problem::Kind::needs_dependency ||
         kind == helm::Problem::Kind::fail || kind == helm::Problem::Kind::unset_value;
}

// One render of a chart, with what it left out (left_out_summary).
struct Render {
  std::vector<std::unique_ptr<RenderedManifest>> manifests;
  std::vector<ChartProblem> problems;
  std::vector<workspace::Note> notes;
  std::string left_out;
};

// What every document of one render joins the manifest set with: the
// environment it was rendered for and why that is (or is not) production,
// worked out once per render.
struct RenderEnvironment {
  std::string name;  // "values.yaml", "values-prod.yaml"
  std::optional<std::string> production, non_production;

  RenderEnvironment(const std::string& values_file, const kube::ProductionRules& rules)
      : name(values_file.empty() ? std::string("values.yaml") : std::string(text::basename(values_file))),
        production(values_file.empty() ? std::nullopt : rules.for_path(values_file)),
        non_production(values_file.empty() ? std::nullopt : rules.non_production_for_path(values_file)) {}

  void add(Render& out, std::unique_ptr<RenderedManifest> rendered, std::string template_file) const {
    rendered->file = {std::move(template_file), &rendered->stream, name, production, &rendered->origins,
                      non_production};
    out.manifests.push_back(std::move(rendered));
  }
};

// `kept` (with --cache): the render as the next run can reuse it.
Render render_once(const helm::Chart& chart, const std::string& values_file, const workspace::Workspace& workspace,
                   const kube::ProductionRules& production, StoredRender* kept) {
  Render out;
  helm::RenderOptions options;
  options.base_dir = workspace.root;
  if (!values_file.empty()) options.value_files.push_back(values_file);
  helm::RenderResult result = helm::render(chart, options);
  const RenderEnvironment environment(values_file, production);
  for (const auto& problem : result.problems) {
    if (explained_by_note(problem.kind)) continue;
    if (problem.kind == helm::Problem::Kind::chart) {
      out.notes.push_back({problem.file, fmt::format("rendered without it: {}", problem.message)});
      continue;
    }
    out.problems.push_back({problem.file, {problem.line, problem.column, problem.line, 0}, problem.message});
  }
  std::map<std::string_view, std::uint32_t> path_index;  // into kept->paths
  auto index_of = [&](std::string_view path) {
    const auto [at, added] = path_index.emplace(path, static_cast<std::uint32_t>(kept->paths.size()));
    if (added) kept->paths.emplace_back(path);
    return at->second;
  };
  for (auto& manifest : result.manifests) {
    auto rendered = std::make_unique<RenderedManifest>();
    rendered->stream = std::move(manifest.parsed);
    if (!rendered->stream.ok()) continue;  // the renderer reported it as a problem
    if (is_test_hook(rendered->stream)) continue;
    rendered->origin_paths = result.origin_paths;
    rendered->origins.reserve(manifest.lines.size());
    for (const auto& line : manifest.lines)
      rendered->origins.push_back({line.template_file, line.template_line, line.template_column, line.value_file,
                                   line.value_line, line.release_namespace});
    if (kept != nullptr) {
      StoredRender::Manifest& stored = kept->manifests.emplace_back();
      stored.template_file = manifest.template_file;
      stored.content = std::move(manifest.content);
      stored.lines.reserve(manifest.lines.size());
      for (const auto& line : manifest.lines)
        stored.lines.push_back({index_of(line.template_file), line.template_line, line.template_column,
                                line.value_file.empty() ? 0 : index_of(line.value_file) + 1, line.value_line,
                                line.release_namespace});
    }
    environment.add(out, std::move(rendered), manifest.template_file);
  }
  out.left_out = left_out_summary(result.problems, chart.display_prefix);
  if (kept != nullptr) {
    kept->values_file = values_file;
    kept->problems = out.problems;
    kept->notes = out.notes;
    kept->left_out = out.left_out;
  }
  return out;
}

// A render the last run kept, as render_once would give it: its documents
// parsed again (as the renderer parses what it prints).
Render restore_render(const StoredRender& stored, const kube::ProductionRules& production) {
  Render out;
  const RenderEnvironment environment(stored.values_file, production);
  const auto paths = std::make_shared<const std::deque<std::string>>(stored.paths.begin(), stored.paths.end());
  for (const auto& manifest : stored.manifests) {
    auto rendered = std::make_unique<RenderedManifest>();
    rendered->stream = yaml::parse(manifest.content);
    if (!rendered->stream.ok()) continue;  // kept only when it parsed: a damaged file
    rendered->origin_paths = paths;
    rendered->origins.reserve(manifest.lines.size());
    for (const auto& line : manifest.lines)
      rendered->origins.push_back({(*paths)[line.path], line.line, line.column,
                                   line.value_path == 0 ? std::string_view() : (*paths)[line.value_path - 1],
                                   line.value_line, line.release_namespace});
    environment.add(out, std::move(rendered), manifest.template_file);
  }
  out.problems = stored.problems;
  out.notes = stored.notes;
  out.left_out = stored.left_out;
  return out;
}

// What a chart's renders are made of besides what they read: which files
// are under its directory (a template added or removed; its environments).
digest::Sha256 chart_key(const workspace::Workspace& workspace, const std::string& dir) {
  digest::Sha256Builder key;
  key.add(dir);
  const auto first = std::lower_bound(workspace.files.begin(), workspace.files.end(), dir,
                                      [](const workspace::File& f, const std::string& d) { return f.path < d; });
  for (auto it = first; it != workspace.files.end() && it->path.starts_with(dir); ++it) key.add(it->path);
  return key.finish();
}

// One note per chart on what its renders left out; renders that left out
// different things (values-prod.yaml requires a password) each say so.
void add_left_out_notes(RenderedCharts& out, const std::string& chart_dir,
                        const std::vector<std::pair<std::string, std::string>>& renders) {
  std::vector<std::string> seen;
  for (const auto& [values_file, summary] : renders) {
    if (summary.empty() || std::find(seen.begin(), seen.end(), summary) != seen.end()) continue;
    seen.push_back(summary);
    std::vector<std::string> files;
    for (const auto& [other_file, other_summary] : renders)
      if (other_summary == summary) files.push_back(other_file);
    out.notes.push_back({chart_dir + "Chart.yaml", files.size() == renders.size()
                                                       ? summary
                                                       : fmt::format("with {}: {}", fmt::join(files, ", "), summary)});
  }
}

// A top-level chart: loaded by the first of its renders to start, let go
// when the last one ends, so memory holds only the charts being rendered.
struct ChartWork {
  std::string dir;
  std::vector<std::string> environments;  // values-<env>.yaml files rendered after the defaults
  Once loaded;
  std::optional<helm::Chart> chart;         // while its renders run; none if it failed to load or is a library
  std::vector<ChartProblem> load_problems;  // the load's failure, or its non-fatal problems
  std::atomic<std::size_t> renders_left{0};
  // With a cache: what the last run kept of it, when it still holds, or
  // what its load and renders read, for the next run.
  digest::Sha256 key{};
  const StoredChart* reused = nullptr;
  std::unique_ptr<DependencyRecorder> recorder;
  bool rendered = false;  // it loaded and is no library: each of its renders ran
};

}  // namespace

RenderedCharts render_charts(const workspace::Workspace& workspace, const kube::ProductionRules& production,
                             unsigned jobs, ProgressListener* progress, ChartCache* cache,
                             const helm::HeldFiles& held) {
  const auto dirs = top_level_charts(workspace);
  std::vector<std::unique_ptr<ChartWork>> charts;
  struct Task {
    std::size_t chart;
    std::size_t environment;  // 0: the chart's own values.yaml; i: environments[i - 1]
  };
  std::vector<Task> tasks;
  for (const auto& dir : dirs) {
    auto& work = *charts.emplace_back(std::make_unique<ChartWork>());
    work.dir = dir;
    work.environments = environment_values(workspace, dir);
    work.renders_left = work.environments.size() + 1;
    for (std::size_t e = 0; e <= work.environments.size(); ++e) tasks.push_back({charts.size() - 1, e});
  }
  if (progress != nullptr) progress->phase_started(Phase::charts, charts.size());
  std::vector<Render> renders(tasks.size());
  std::vector<StoredRender> kept(cache != nullptr ? tasks.size() : 0);
  parallel_for_deep(tasks.size(), jobs, [&](std::size_t i) {
    ChartWork& work = *charts[tasks[i].chart];
    std::optional<files::ObserveReads> observing;  // the chart's reads, on whichever worker makes them
    work.loaded.call([&] {
      if (progress != nullptr) progress->item_started(Phase::charts, work.dir);
      if (cache != nullptr) {
        work.key = chart_key(workspace, work.dir);
        if (cache->previous != nullptr) {
          const auto stored = cache->previous->find(work.dir);
          if (stored != cache->previous->end() && stored->second.key == work.key &&
              (stored->second.renders.empty() || stored->second.renders.size() == work.environments.size() + 1) &&
              cache->holds(stored->second.dependencies)) {
            work.reused = &stored->second;
            work.load_problems = work.reused->load_problems;
            return;
          }
        }
        work.recorder = std::make_unique<DependencyRecorder>(cache->fresh_after_ns);
        observing.emplace(*work.recorder, files::ObserveReads::On::this_thread);
      }
      auto chart = helm::load_chart(workspace.root / work.dir, work.dir, workspace.root, held);
      if (!chart) {
        // The file at fault (values.yaml too large), else the chart's Chart.yaml.
        const std::string& path = chart.error().path.empty() ? work.dir + "Chart.yaml" : chart.error().path;
        work.load_problems.push_back({path, SourceRange::whole_file(), chart.error().message});
        return;
      }
      if (chart->is_library()) return;  // rendered only as other charts' dependency
      for (const auto& problem : chart->problems)
        work.load_problems.push_back({problem.file, {problem.line, problem.column, problem.line, 0}, problem.message});
      work.chart = std::move(*chart);
      work.rendered = true;
    });
    const std::size_t environment = tasks[i].environment;
    if (work.reused != nullptr) {
      if (environment < work.reused->renders.size())
        renders[i] = restore_render(work.reused->renders[environment], production);
    } else if (work.chart) {
      if (work.recorder && !observing) observing.emplace(*work.recorder, files::ObserveReads::On::this_thread);
      renders[i] = render_once(*work.chart, environment == 0 ? std::string{} : work.environments[environment - 1],
                               workspace, production, cache != nullptr ? &kept[i] : nullptr);
    }
    if (--work.renders_left == 0) {
      work.chart.reset();
      if (progress != nullptr) progress->item_finished(Phase::charts, work.dir);
    }
  });

  // Kept for the next run as made, or as reused.
  if (cache != nullptr) {
    for (std::size_t i = 0, c = 0; c < charts.size(); ++c) {
      ChartWork& work = *charts[c];
      const std::size_t renders_of_chart = work.environments.size() + 1;
      if (work.reused != nullptr) {
        cache->next.insert_or_assign(work.dir, *work.reused);
        ++cache->reused;
      } else {
        StoredChart stored{work.key, work.recorder ? work.recorder->take() : std::vector<Dependency>{},
                           work.load_problems, {}};
        // A chart that did not load, or a library, has no renders.
        if (work.rendered)
          for (std::size_t e = 0; e < renders_of_chart; ++e) stored.renders.push_back(std::move(kept[i + e]));
        cache->next.insert_or_assign(work.dir, std::move(stored));
      }
      i += renders_of_chart;
    }
  }

  // Merged in chart and render order, whatever the number of threads.
  RenderedCharts out;
  for (std::size_t i = 0, c = 0; c < charts.size(); ++c) {
    ChartWork& work = *charts[c];
    std::move(work.load_problems.begin(), work.load_problems.end(), std::back_inserter(out.problems));
    std::vector<std::pair<std::string, std::string>> left_out;  // values file, what it left out
    for (std::size_t e = 0; e <= work.environments.size(); ++e, ++i) {
      Render& render = renders[i];
      std::move(render.manifests.begin(), render.manifests.end(), std::back_inserter(out.manifests));
      std::move(render.problems.begin(), render.problems.end(), std::back_inserter(out.problems));
      std::move(render.notes.begin(), render.notes.end(), std::back_inserter(out.notes));
      left_out.emplace_back(e == 0 ? std::string("values.yaml") : std::string(text::basename(work.environments[e - 1])),
                            std::move(render.left_out));
    }
    add_left_out_notes(out, work.dir, left_out);
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
  if (progress != nullptr) progress->phase_finished(Phase::charts, charts.size());
  return out;
}

}  // namespace constable::engine

#pragma once
// Every Helm chart of the workspace, rendered in-process as `helm template`
// would: once with its default values and once with each values-<env>.yaml
// beside its Chart.yaml. The rendered manifests join the manifest set, so
// Kubernetes checks see what a chart really deploys, and their findings
// point at the template line (and values line) that produced them.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/types.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/chart.hpp"
#include "kube/manifests.hpp"
#include "engine/progress.hpp"
#include "engine/result_cache.hpp"
#include "kube/production.hpp"
#include "workspace/workspace.hpp"

namespace constable::engine {

struct RenderedManifest {
  yaml::Stream stream;
  std::vector<kube::Origin> origins;  // one per line of the rendered document
  std::shared_ptr<const std::deque<std::string>> origin_paths;  // what origins' paths view
  kube::ParsedFile file;              // points at stream and origins
};

// A chart that does not render; the same problem in several renders is one.
struct ChartProblem {
  std::string path;
  SourceRange range;
  std::string message;  // ends with the values files it happened with
};

struct RenderedCharts {
  // Stable addresses: ParsedFile points into each element.
  std::vector<std::unique_ptr<RenderedManifest>> manifests;
  std::vector<ChartProblem> problems;
  // What was left out and why: one note per chart (and per values file whose
  // render differs) naming the dependencies not vendored under charts/
  // (`helm dependency build` fetches them) and the templates left out for
  // want of them or of a value the chart `required`s; files that could not
  // be read.
  std::vector<workspace::Note> notes;
};

// One render of a chart as --cache keeps it: the documents as printed
// (parsed again when reused), each line with where it came from.
struct StoredRender {
  struct Line {
    std::uint32_t path = 0;  // into `paths`
    int line = 0;
    int column = 0;
    std::uint32_t value_path = 0;  // into `paths`, plus one; 0 when no value was interpolated
    int value_line = 0;
    bool release_namespace = false;
  };
  struct Manifest {
    std::string template_file;
    std::string content;
    std::vector<Line> lines;
  };
  std::string values_file;  // "" for the chart's own values.yaml
  std::vector<std::string> paths;
  std::vector<Manifest> manifests;
  std::vector<ChartProblem> problems;
  std::vector<workspace::Note> notes;
  std::string left_out;
};

// A top-level chart as the last run left it: reused while the files under
// its directory are the same ones (`key`) and what it read still holds.
struct StoredChart {
  digest::Sha256 key{};
  std::vector<Dependency> dependencies;
  std::vector<ChartProblem> load_problems;
  std::vector<StoredRender> renders;  // its values.yaml, then each values-<env>.yaml; none for a library
};

// What render_charts reuses and keeps, with --cache.
struct ChartCache {
  const StoredCharts* previous = nullptr;
  std::function<bool(const std::vector<Dependency>&)> holds;  // do a stored chart's dependencies hold?
  std::uint64_t fresh_after_ns = 0;                          // the run's start (DependencyRecorder)
  StoredCharts next;                                          // every chart of this run
  std::size_t reused = 0;                                     // charts whose renders came from `previous`
};

// Top-level charts only: a chart under another chart's charts/ directory is
// rendered as that chart's subchart. Test hooks (helm.sh/hook: test) are left
// out: `helm install` does not deploy them.
// Charts, and the environments of one chart, render on up to `jobs` threads;
// the result is the same for any number. `progress` (optional) hears of each
// chart as it is rendered.
// With `cache`, a chart that the last run rendered from what is still there
// is not rendered again: its stored documents are parsed instead. A chart
// file `held` gives is not read again, nor its YAML parsed (helm::load_chart).
RenderedCharts render_charts(const workspace::Workspace& workspace, const kube::ProductionRules& production,
                             unsigned jobs = 1, ProgressListener* progress = nullptr, ChartCache* cache = nullptr,
                             const helm::HeldFiles& held = {});

}  // namespace constable::engine

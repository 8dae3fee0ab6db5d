#pragma once
// Every Helm chart of the workspace, rendered in-process as `helm template`
// would: once with its default values and once with each values-<env>.yaml
// beside its Chart.yaml. The rendered manifests join the manifest set, so
// Kubernetes checks see what a chart really deploys, and their findings
// point at the template line (and values line) that produced them.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/yaml/yaml.hpp"
#include "kube/manifests.hpp"
#include "engine/progress.hpp"
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

// Top-level charts only: a chart under another chart's charts/ directory is
// rendered as that chart's subchart. Test hooks (helm.sh/hook: test) are left
// out: `helm install` does not deploy them.
// Charts, and the environments of one chart, render on up to `jobs` threads;
// the result is the same for any number. `progress` (optional) hears of each
// chart as it is rendered.
RenderedCharts render_charts(const workspace::Workspace& workspace, const kube::ProductionRules& production,
                             unsigned jobs = 1, ProgressListener* progress = nullptr);

}  // namespace constable::engine

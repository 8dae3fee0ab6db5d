#pragma once
// Renders a chart as `helm template` does, in-process: values (chart
// defaults, -f files, --set, --set-string, subchart scoping, globals,
// dependency conditions and tags), values.schema.json validation, every
// template of every enabled chart, and the manifests split and ordered as
// `helm template` prints them. Each output line is mapped back to the
// template file:line:column that wrote it and, where a value was
// interpolated, to the values file:line it came from.
//
// Errors never abort the whole render: a template that fails contributes a
// problem (with its file:line:column) and no manifests; the others render.

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/yaml/yaml.hpp"
#include "helm/chart.hpp"
#include "helm/template/eval.hpp"

namespace constable::helm {

struct RenderOptions {
  // Values files (-f), in order. Read from base_dir / path; reported as `path`.
  std::vector<std::string> value_files;
  std::filesystem::path base_dir;
  std::vector<std::string> set_values;         // --set a.b=c,d={x,y}
  std::vector<std::string> set_string_values;  // --set-string
  std::string release_name = "release-name";
  std::string release_namespace = "default";
  bool is_upgrade = false;
  int revision = 1;
  std::string kube_version = "v1.30.0";     // .Capabilities.KubeVersion
  std::vector<std::string> api_versions;    // added to the built-in list for .Capabilities.APIVersions
  // Fixed `now` and seeded randomness (uuidv4, randAlphaNum): constable's default.
  bool deterministic = true;
  std::int64_t deterministic_now_unix = 1704067200;  // 2024-01-01T00:00:00Z
  tmpl::Limits limits;
};

// Where one output line came from. Its paths view RenderResult::origin_paths:
// a render has a few paths and thousands of lines.
struct LineOrigin {
  std::string_view template_file;  // workspace-relative
  int template_line = 0;
  int template_column = 0;
  std::string_view value_file;     // "" when no value was interpolated on the line
  int value_line = 0;
  // The line interpolates the release namespace: `helm install` decides it,
  // so what constable renders in its place is not the chart's choice.
  bool release_namespace = false;
};

struct Manifest {
  std::string source;         // as in "# Source: web/templates/deployment.yaml"
  std::string template_file;  // workspace-relative path of the template
  std::string content;        // the YAML document, trimmed, as printed
  yaml::Stream parsed;        // content, parsed once here for whoever checks it next
  std::string kind;           // its `kind`, "" if none
  bool hook = false;          // has a helm.sh/hook annotation (printed after the others)
  std::vector<LineOrigin> lines;  // one per line of `content`
};

struct RenderResult {
  std::vector<Manifest> manifests;  // in `helm template` order
  std::string notes;                // the top chart's NOTES.txt, rendered
  std::vector<Problem> problems;
  // The paths the manifests' lines view, each once; whoever keeps lines
  // beyond the result keeps this with them.
  std::shared_ptr<const std::deque<std::string>> origin_paths;
};

RenderResult render(const Chart& chart, const RenderOptions& options);

// The exact text `helm template` prints for the manifests.
std::string helm_template_output(const RenderResult& result);

}  // namespace constable::helm

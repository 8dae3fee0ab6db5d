// helm/production-values: a chart's production values file sets, explicitly,
// what production must not inherit from the development defaults.

#include <fmt/format.h>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"
#include "kube/production.hpp"

namespace constable::checks::helm {

namespace {
namespace production_values_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/production-values",
    .domain = "helm",
    .nature = Nature::reliability,
    .summary = "Override the image tag, replica count and resources explicitly in production values",
    .rationale = "values.yaml holds development defaults; a production release that silently inherits them "
                 "runs whatever image tag, replica count and resource budget suit a laptop. For every option "
                 "of values.yaml that is an image tag (a `tag` under an `image` key, at any depth), a replica "
                 "count (`replicaCount` or `replicas`) or a `resources` block, each production values file of "
                 "the chart must set the same key to a non-null value. A values file is production when "
                 "constable's production rules say so (values-prod.yaml, values-production.yaml, a prod/ "
                 "directory, or `production.paths` in .constable.yaml); the finding says which rule applied. "
                 "A chart without a production values file is left to helm/chart-structure.",
    .remediation = "Set the option in the production values file, even to the same value as the default, so "
                   "that production is a decision: e.g. `image: {tag: \"1.4.0\"}`, `replicaCount: 3`, "
                   "`resources: {requests: ..., limits: ...}`.",
    .bad_example = "# values.yaml: image.tag, replicaCount, resources\n# values-prod.yaml:\nreplicaCount: 3\n",
    .good_example = "# values-prod.yaml:\nreplicaCount: 3\nimage:\n  tag: \"1.4.0\"\nresources:\n  requests:\n"
                    "    cpu: 250m\n    memory: 256Mi\n  limits:\n    memory: 512Mi\n",
    .parameters = "",
    .clause = {.section = "helm|values", .text = R"(production values?.*overrid)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

using KeyPath = std::vector<std::string>;

// What production must set, recognised by the shape of a values key path.
// The one place that decides which options count.
std::string_view production_essential(const KeyPath& path) {
  const std::string& key = path.back();
  if (key == "tag" && path.size() >= 2 && path[path.size() - 2] == "image") return "the image tag";
  if (key == "replicaCount" || key == "replicas") return "the replica count";
  if (key == "resources") return "the resource requests and limits";
  return {};
}

struct Required {
  KeyPath path;
  std::string_view what;
};

void collect(const yaml::Node& mapping, KeyPath& prefix, std::vector<Required>& out, int depth) {
  if (depth > 32) return;  // values are shallow; a deeper tree is not an option layout
  for (const yaml::Entry& entry : mapping.entries) {
    if (!entry.key->is_scalar()) continue;
    prefix.emplace_back(entry.key->value);
    if (const std::string_view what = production_essential(prefix); !what.empty()) {
      out.push_back({prefix, what});
    } else if (entry.value->is_mapping()) {
      collect(*entry.value, prefix, out, depth + 1);
    }
    prefix.pop_back();
  }
}

std::string joined(const KeyPath& path) {
  std::string out;
  for (const auto& key : path) out += (out.empty() ? "" : ".") + key;
  return out;
}

class ProductionValuesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  ReadAhead read_ahead(const workspace::Workspace& workspace) const override {
    return {.texts = {}, .yaml = default_values_files(workspace)};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const kube::ProductionRules rules(repo.config().production);
    const auto charts = find_charts(repo.workspace());
    for (const Chart& chart : charts) {
      const workspace::File* defaults_file = find_file(repo.workspace(), chart.dir + "values.yaml");
      if (defaults_file == nullptr) continue;
      const auto defaults = load_yaml(repo, *defaults_file);
      if (!defaults || defaults->root() == nullptr || !defaults->root()->is_mapping()) continue;
      std::vector<Required> required;
      KeyPath prefix;
      collect(*defaults->root(), prefix, required, 0);
      if (required.empty()) continue;
      for (const workspace::File& file : files_under(repo.workspace(), chart.dir)) {
        if (!is_chart_values_file(file.path, chart, charts)) continue;
        const auto reason = rules.for_path(file.path);
        if (!reason) continue;
        check_production_file(repo, file, *reason, required, out);
      }
    }
  }

 private:
  // values*.yaml of this chart (not its default values.yaml, templates or subcharts).
  static bool is_chart_values_file(std::string_view path, const Chart& chart, const std::vector<Chart>& charts) {
    const std::string_view relative = path.substr(chart.dir.size());
    if (relative == "values.yaml" || relative.starts_with("templates/")) return false;
    for (const Chart& other : charts)
      if (other.dir.size() > chart.dir.size() && path.starts_with(other.dir)) return false;
    const auto slash = relative.rfind('/');
    const std::string name = text::to_lower(slash == std::string_view::npos ? relative : relative.substr(slash + 1));
    return name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"));
  }

  static void check_production_file(const engine::RepositoryContext& repo, const workspace::File& file,
                                    const std::string& reason,
                                    const std::vector<Required>& required, engine::Emitter& out) {
    const auto production = load_yaml(repo, file);
    if (!production) return;
    if (const yaml::ParseError* error = production->error()) {
      out.emit({.range = SourceRange::at_line(error->mark.line),
                .message = fmt::format("production values file does not parse ({}); {}", error->message, reason),
                .path_override = file.path});
      return;
    }
    const yaml::Node* root = production->root();
    if (root != nullptr && !root->is_mapping()) return;
    for (const Required& option : required) {
      // Walk the path as far as the production file has it; report at the deepest key found.
      const yaml::Node* node = root;
      const yaml::Node* deepest_key = nullptr;
      for (const std::string& key : option.path) {
        const yaml::Entry* entry = node != nullptr && node->is_mapping() ? node->find(key) : nullptr;
        node = entry != nullptr ? entry->value : nullptr;
        if (entry != nullptr) deepest_key = entry->key;
      }
      if (node != nullptr && !node->is_null()) continue;
      SourceRange range = SourceRange::whole_file();
      if (deepest_key != nullptr) range = node_range(*deepest_key);
      else if (root != nullptr && !root->entries.empty()) range = node_range(*root->entries.front().key);
      out.emit({.range = range,
                .message = fmt::format("production values do not set '{}' ({}) that values.yaml defaults; "
                                       "production because {}",
                                       joined(option.path), option.what, reason),
                .path_override = file.path});
    }
  }
};

}  // namespace production_values_check
}  // namespace

std::unique_ptr<engine::Check> make_production_values_check() {
  return engine::make_check<production_values_check::ProductionValuesCheck>();
}

}  // namespace constable::checks::helm

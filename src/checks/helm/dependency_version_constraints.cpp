// helm/dependency-version-constraints: every chart dependency pins a version
// or range (Chart.yaml `dependencies`, requirements.yaml for apiVersion v1).

#include <fmt/format.h>

#include <algorithm>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"

namespace constable::checks::helm {

namespace {
namespace dependency_version_constraints_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/dependency-version-constraints",
    .domain = "helm",
    .nature = Nature::maintainability,
    .summary = "Give every chart dependency a version constraint",
    .rationale = "A dependency without a version (or with one that admits everything: \"\", *, x, >=0.0.0) "
                 "lets `helm dependency update` pull whatever the repository serves today, so the same chart "
                 "builds differently tomorrow and a breaking major upgrade arrives unannounced.",
    .remediation = "Set `version:` on the dependency to an exact version or a bounded range, e.g. "
                   "`version: ~18.2.0` or `version: \">=18.2.0 <19.0.0\"`, and commit Chart.lock.",
    .bad_example = "dependencies:\n  - name: redis\n    repository: https://charts.bitnami.com/bitnami\n",
    .good_example = "dependencies:\n  - name: redis\n    version: ~18.2.0\n"
                    "    repository: https://charts.bitnami.com/bitnami\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(dependenc.*version)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

// Constraints that admit any version, spaces removed.
bool unconstrained(std::string_view version) {
  std::string compact;
  for (char c : version)
    if (c != ' ' && c != '\t') compact.push_back(c);
  compact = text::to_lower(compact);
  static constexpr std::string_view kAnything[] = {"",         "*",      "x",     "*.*.*",  "x.x.x", ">=0",
                                                   ">=0.0",    ">=0.0.0", ">=0.0.0-0", "*-0", ">0.0.0-0"};
  return std::find(std::begin(kAnything), std::end(kAnything), compact) != std::end(kAnything);
}

class DependencyVersionConstraintsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    for (const Chart& chart : find_charts(repo.workspace())) {
      const auto metadata = load_metadata(repo, chart);
      if (!metadata) continue;
      const yaml::Node* root = metadata->yaml.root();
      if (root == nullptr || !root->is_mapping()) continue;
      check_dependencies(root->get("dependencies"), chart.chart_file->path, out);
      // Helm 2 charts (apiVersion v1) list dependencies in requirements.yaml.
      if (root->get("apiVersion") != nullptr && root->get("apiVersion")->str() == "v1") {
        const workspace::File* requirements = find_file(repo.workspace(), chart.dir + "requirements.yaml");
        if (requirements == nullptr) continue;
        const auto parsed = load_yaml(repo, *requirements);
        const yaml::Node* requirements_root = parsed ? parsed->root() : nullptr;
        if (requirements_root != nullptr && requirements_root->is_mapping())
          check_dependencies(requirements_root->get("dependencies"), requirements->path, out);
      }
    }
  }

 private:
  static void check_dependencies(const yaml::Node* dependencies, const std::string& path, engine::Emitter& out) {
    if (dependencies == nullptr || !dependencies->is_sequence()) return;
    for (const yaml::Node* dependency : dependencies->items) {
      if (!dependency->is_mapping()) continue;
      const std::string name(dependency->get("name") != nullptr ? dependency->get("name")->str() : "");
      const std::string label = name.empty() ? "a dependency" : fmt::format("dependency '{}'", name);
      const yaml::Node* version = dependency->get("version");
      if (version == nullptr || version->is_null()) {
        // At the entry's first key: the `- name: redis` line.
        const yaml::Node& at = dependency->entries.empty() ? *dependency : *dependency->entries.front().key;
        out.emit({.range = node_range(at),
                  .message = fmt::format("{} has no version constraint", label),
                  .path_override = path});
      } else if (!version->is_scalar()) {
        out.emit({.range = node_range(*version),
                  .message = fmt::format("{} has a version that is not a string", label),
                  .path_override = path});
      } else if (unconstrained(version->value)) {
        out.emit({.range = node_range(*version),
                  .message = fmt::format("{} has version '{}', which admits any version", label, version->value),
                  .path_override = path});
      }
    }
  }
};

}  // namespace dependency_version_constraints_check
}  // namespace

std::unique_ptr<engine::Check> make_dependency_version_constraints_check() {
  return engine::make_check<dependency_version_constraints_check::DependencyVersionConstraintsCheck>();
}

}  // namespace constable::checks::helm

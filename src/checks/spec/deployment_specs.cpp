// spec/deployment-specs: the deployment is specified as Helm chart values or
// Kubernetes manifests.

#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"
#include "core/text.hpp"

namespace constable::checks::spec {

namespace {
namespace deployment_specs_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/deployment-specs",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Specify the deployment as a Helm chart (Chart.yaml and values) or Kubernetes manifests",
    .rationale =
        "A deployment that is not written down is re-invented at every release. A Helm chart is a Chart.yaml with "
        "apiVersion and name beside a values.yaml; a Kubernetes manifest is a YAML document with apiVersion and "
        "kind. Either is accepted: a chart renders to manifests. A Chart.yaml without values is reported, since "
        "the clause asks for the chart's values.",
    .remediation = "Add a Helm chart (helm create <name>) or the Kubernetes manifests (deploy/*.yaml) of the "
                   "workloads.",
    .bad_example = "# a repository with a Dockerfile and nothing that says how it is deployed\n",
    .good_example = "# deploy/app.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n",
    .parameters = "",
    .clause = {.section = "mandatory specification|specification components", .text = "deployment specification"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact: nothing to specify where nothing is deployed
    .scope = engine::Scope::repository,
};

std::string directory_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

class DeploymentSpecsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto& files = repo.workspace().files;
    // The directories holding a values file, listed once for every chart.
    const auto is_values = [](std::string_view path) {
      return lower_basename(path).starts_with("values") && workspace::classify(path) == FileKind::yaml;
    };
    std::set<std::string, std::less<>> with_values;
    for (const auto& file : files)
      if (is_values(file.path)) with_values.insert(directory_of(file.path));
    // A values file too large to read still exists: its note says why it was skipped.
    for (const auto& note : repo.workspace().notes)
      if (is_values(note.path) && workspace::skipped(repo.workspace(), note.path) != nullptr)
        with_values.insert(directory_of(note.path));
    int specs = 0;
    for (const auto& file : files) {
      if (file.kind != FileKind::yaml) continue;
      const std::string name = lower_basename(file.path);
      const bool chart = name == "chart.yaml" || name == "chart.yml";
      // Every chart is reported on; any other file only matters until one specification is found.
      if (!chart && specs > 0) continue;
      const yaml::Stream* parsed = repo.yaml(file);
      if (parsed == nullptr) continue;
      const yaml::Stream& stream = *parsed;
      if (chart) {
        const yaml::Node* root = stream.documents.empty() ? nullptr : stream.documents.front().root;
        if (root == nullptr || !root->is_mapping() || root->get("apiVersion") == nullptr || root->get("name") == nullptr) {
          std::vector<std::string_view> missing_keys;
          for (std::string_view key : {"apiVersion", "name"})
            if (root == nullptr || !root->is_mapping() || root->get(key) == nullptr) missing_keys.push_back(key);
          out.emit(at(file.path, 1, 0,
                      fmt::format("the Chart.yaml has no {} (Helm 3 requires it{})", fmt::join(missing_keys, " and "),
                                  missing_keys.size() == 1 && missing_keys.front() == "apiVersion"
                                      ? "; Helm 2 charts write apiVersion: v1"
                                      : "")));
          continue;
        }
        if (!with_values.contains(directory_of(file.path))) {
          out.emit(at(file.path, root->start.line, 0, "the Helm chart has no values.yaml beside its Chart.yaml"));
          continue;
        }
        ++specs;
        continue;
      }
      for (const auto& doc : stream.documents) {
        if (doc.root == nullptr || !doc.root->is_mapping()) continue;
        const yaml::Node* api = doc.root->get("apiVersion");
        const yaml::Node* kind = doc.root->get("kind");
        if (api != nullptr && kind != nullptr && api->is_scalar() && kind->is_scalar() && !kind->value.empty()) {
          ++specs;
          break;
        }
      }
    }
    if (specs == 0)
      out.emit(missing("no deployment specifications: looked for a Helm chart (Chart.yaml with values.yaml) and "
                       "Kubernetes manifests (YAML documents with apiVersion and kind)"));
  }
};

}  // namespace deployment_specs_check
}  // namespace

std::unique_ptr<engine::Check> make_deployment_specs_check() {
  return engine::make_check<deployment_specs_check::DeploymentSpecsCheck>();
}

}  // namespace constable::checks::spec

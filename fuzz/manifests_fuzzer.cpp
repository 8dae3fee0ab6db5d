// The manifest set: Kubernetes objects from several YAML files (`List` items,
// pod templates, containers, selectors, IntOrString) and the kustomizations
// among them (resources, namespaces, generators, patches) that place each
// object in its namespaces, with the production rules. Files are separated by
// "#=== <path>" lines (fuzz_support.hpp); a file named kustomization.yaml is
// one.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/config.hpp"
#include "formats/yaml/yaml.hpp"
#include "fuzz_support.hpp"
#include "kube/manifests.hpp"
#include "kube/production.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto texts = fuzz::split_files(fuzz::as_text(data, size), "k8s/deployment.yaml");
  std::vector<std::unique_ptr<yaml::Stream>> streams;
  std::vector<kube::ParsedFile> files;
  for (const auto& file : texts) {
    streams.push_back(std::make_unique<yaml::Stream>(yaml::parse(file.text)));
    files.push_back(kube::ParsedFile{file.name, streams.back().get()});
  }
  engine::ProductionRules configured;
  configured.paths = {"live/**"};
  configured.namespaces = {"live"};
  const kube::ProductionRules production(configured);
  const auto set = kube::ManifestSet::build(files, production);

  for (const auto& object : set.objects()) {
    (void)object.declared_namespace();
    (void)object.annotations();
    (void)object.production();
    (void)object.display_name();
    (void)kube::is_workload(object.kind);
    (void)kube::is_long_running(object.kind);
    (void)kube::range_of(object.root);
    (void)kube::key_range(object.root, "spec");
    const auto pod = kube::pod_template(object);
    if (!pod) continue;
    for (const auto& container : kube::containers(pod->spec)) (void)container.name.size();
    if (object.root != nullptr && object.root->is_mapping()) {
      const auto* spec = object.root->get("spec");
      if (spec != nullptr) {
        (void)kube::parse_int_or_percent(spec->at("strategy", "rollingUpdate", "maxSurge"));
        (void)kube::parse_int_or_percent(spec->at("strategy", "rollingUpdate", "maxUnavailable"));
        const auto* labels = pod->metadata != nullptr ? pod->metadata->get("labels") : nullptr;
        for (const auto* other : set.of_kind("PodDisruptionBudget")) {
          if (other->root != nullptr) (void)kube::selector_matches(other->root->at("spec", "selector"), labels);
        }
        (void)kube::selector_matches(spec->get("selector"), labels);
      }
    }
  }
  for (const auto& kustomization : set.kustomizations()) (void)kustomization.resources.size();
  (void)kube::ProductionRules::values_environment(texts.front().name);
  return 0;
}

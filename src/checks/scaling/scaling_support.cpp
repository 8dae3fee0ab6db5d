#include "checks/scaling/scaling_support.hpp"

#include <algorithm>

namespace constable::checks::scaling {

std::vector<Autoscaler> autoscalers(const kube::ManifestSet& set) {
  std::vector<Autoscaler> out;
  for (const kube::Object& object : set.objects()) {
    const bool hpa = object.kind == "HorizontalPodAutoscaler" && object.api_version.starts_with("autoscaling/");
    const bool keda = object.kind == "ScaledObject" && object.api_version.starts_with("keda.sh/");
    if (!hpa && !keda) continue;
    const yaml::Node* target = object.root->at("spec", "scaleTargetRef");
    if (target == nullptr || !target->is_mapping()) continue;
    Autoscaler a{&object, std::string(target->get("kind") != nullptr ? target->get("kind")->str() : "Deployment"),
                 std::string(target->get("name") != nullptr ? target->get("name")->str() : ""), {}};
    for (const auto& placement : object.placements) a.namespaces.push_back(placement.namespace_name);
    out.push_back(std::move(a));
  }
  return out;
}

bool scales(const Autoscaler& autoscaler, const kube::Object& workload, std::string_view namespace_name) {
  return autoscaler.target_kind == workload.kind && autoscaler.target_name == workload.name &&
         std::find(autoscaler.namespaces.begin(), autoscaler.namespaces.end(), namespace_name) !=
             autoscaler.namespaces.end();
}

}  // namespace constable::checks::scaling

#pragma once
// What the scaling checks share: the autoscalers of a manifest set and the
// workloads they scale.

#include <string>
#include <string_view>
#include <vector>

#include "kube/manifests.hpp"

namespace constable::checks::scaling {

// A HorizontalPodAutoscaler or a KEDA ScaledObject, with the workload it
// scales (scaleTargetRef) in each namespace it is deployed to.
struct Autoscaler {
  const kube::Object* object = nullptr;
  std::string target_kind;  // "Deployment" when scaleTargetRef names no kind (KEDA's default)
  std::string target_name;
  std::vector<std::string> namespaces;
};

std::vector<Autoscaler> autoscalers(const kube::ManifestSet& set);

// Whether `autoscaler` scales `workload` deployed to `namespace_name`.
bool scales(const Autoscaler& autoscaler, const kube::Object& workload, std::string_view namespace_name);

}  // namespace constable::checks::scaling

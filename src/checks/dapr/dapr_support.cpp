#include "checks/dapr/dapr_support.hpp"

namespace constable::checks::dapr {

DaprResources dapr_resources(const kube::ManifestSet& set) {
  DaprResources out;
  for (const kube::Object& object : set.objects()) {
    if (!object.api_version.starts_with("dapr.io/")) continue;
    if (object.kind == "Component") out.components.push_back(&object);
    else if (object.kind == "Configuration") out.configurations.push_back(&object);
    else if (object.kind == "Resiliency") out.resiliencies.push_back(&object);
  }
  return out;
}

std::string_view component_type(const kube::Object& component) {
  const yaml::Node* type = component.root->at("spec", "type");
  return type != nullptr ? type->str() : std::string_view();
}

bool is_deferred(std::string_view value) {
  return value.find("{{") != std::string_view::npos || value.find("${") != std::string_view::npos ||
         value.find("{env:") != std::string_view::npos;
}

}  // namespace constable::checks::dapr

#pragma once
// What the Dapr checks share: the Dapr resources of the manifest set
// (apiVersion dapr.io/*: Component, Configuration, Resiliency). Dapr reads
// the same Kubernetes-shaped YAML in Kubernetes and self-hosted mode (a
// `components/` or `resources/` directory), so every such file is an object
// of the manifest set, and chart templates are seen rendered.

#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "kube/manifests.hpp"

namespace constable::checks::dapr {

struct DaprResources {
  std::vector<const kube::Object*> components;
  std::vector<const kube::Object*> configurations;
  std::vector<const kube::Object*> resiliencies;
};

// The Dapr resources of the set, in the set's order.
DaprResources dapr_resources(const kube::ManifestSet& set);

// spec.type of a Component ("state.redis"), "" when absent.
std::string_view component_type(const kube::Object& component);

// Text a template or the deployment fills in later (`{{ ... }}`, `${...}`,
// Dapr's `{env:NAME}`): not a value the repository states.
bool is_deferred(std::string_view value);

}  // namespace constable::checks::dapr

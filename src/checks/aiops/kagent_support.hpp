#pragma once
// What the AIOps checks share: recognising kagent's objects.

#include <string_view>

#include "kube/manifests.hpp"

namespace constable::checks::aiops {

// Any object of kagent's API group (kagent.dev/*): agents, model
// configurations, tool and MCP servers, memories.
inline bool is_kagent_object(const kube::Object& object) { return object.api_version.starts_with("kagent.dev/"); }

// A kagent agent: kagent.dev Agent or SandboxAgent.
inline bool is_kagent_agent(const kube::Object& object) {
  return is_kagent_object(object) && (object.kind == "Agent" || object.kind == "SandboxAgent");
}

}  // namespace constable::checks::aiops

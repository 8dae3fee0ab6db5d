#pragma once
// What the Kubernetes checks share: reporting at a node of an object, the
// production suffix every production finding carries, and the object walks
// (pod templates with their containers) most checks start from.

#include <functional>
#include <string>
#include <string_view>

#include "engine/check.hpp"
#include "kube/manifests.hpp"

namespace constable::checks::kubernetes {

// The finding about `node` (or the object's `kind:` when null): at the node
// in the object's file or, for a rendered manifest, at the template line that
// wrote it, naming the values file line a value came from.
engine::Emission emission_at(const kube::Object& object, const yaml::Node* node, std::string message);

// Marks `value` as a secret of `e` (made by emission_at for the same object),
// so that no snippet shows it: its range in a repository file; in a rendered
// manifest, the whole template line that wrote it (the value's column there is
// unknown) unless the value came from a values file (the line then shows the
// expression, not the value).
void mark_secret(engine::Emission& e, const kube::Object& object, const yaml::Node* value);

// Reports at `node` (or the object's `kind:` when null) in the object's source.
void report(engine::Emitter& out, const kube::Object& object, const yaml::Node* node, std::string message,
            std::string remediation = {});

// " (production: it is deployed to namespace 'prod')", for messages.
std::string production_note(const std::string& reason);

// The node a finding about a missing field of `container` points at: its name.
const yaml::Node* container_anchor(const kube::Container& container);

// Every workload object with a pod template, with it.
void for_each_pod_template(const kube::ManifestSet& set,
                           const std::function<void(const kube::Object&, const kube::PodTemplate&)>& visit);

// Image references of every container of a pod spec: (container, image node).
void for_each_image(const yaml::Node* pod_spec,
                    const std::function<void(const kube::Container&, const yaml::Node&)>& visit);


// "a, b and c"
std::string join_and(const std::vector<std::string>& items);

// For the checks' Gatekeeper forms (engine::Check::gatekeeper_form): the
// rule `pod_containers`, a workload's containers and init containers as
// kube::pod_template and kube::containers find them, in Rego.
extern const std::string_view kPodContainersRego;
// The kinds that carry a pod template.
std::vector<std::string_view> workload_kinds();
// {"key": ["a", "b"]} as JSON.
std::string json_parameters(std::string_view key, const std::vector<std::string>& values);

}  // namespace constable::checks::kubernetes

#include "checks/kubernetes/kubernetes_support.hpp"

#include <fmt/format.h>

namespace constable::checks::kubernetes {

engine::Emission emission_at(const kube::Object& object, const yaml::Node* node, std::string message) {
  engine::Emission e;
  e.range = node != nullptr ? kube::range_of(node) : kube::key_range(object.root, "kind");
  e.message = std::move(message);
  // The object and what the message says of it (it names the container and
  // field), not the line, so editing the line keeps the finding's identity.
  e.anchor = fmt::format("{}/{}/{}\n{}", object.kind, object.declared_namespace(), object.name, e.message);
  e.path_override = object.source->path;
  e.environment = object.source->environment;
  const auto* origins = object.source->origins;
  if (origins != nullptr && e.range.line > 0 && static_cast<std::size_t>(e.range.line) <= origins->size()) {
    const kube::Origin& origin = (*origins)[static_cast<std::size_t>(e.range.line - 1)];
    e.path_override = origin.path;
    e.range = {origin.line, origin.column, origin.line, 0};
    if (!origin.value_path.empty())
      e.message += fmt::format(" (value from {}:{})", origin.value_path, origin.value_line);
  }
  return e;
}

void mark_secret(engine::Emission& e, const kube::Object& object, const yaml::Node* value) {
  if (value == nullptr) return;
  const SourceRange range = kube::range_of(value);
  const auto* origins = object.source->origins;
  if (origins == nullptr) {
    e.secrets.push_back(range);
    return;
  }
  if (range.line < 1 || static_cast<std::size_t>(range.line) > origins->size()) return;
  const kube::Origin& origin = (*origins)[static_cast<std::size_t>(range.line - 1)];
  if (origin.value_path.empty() && origin.path == e.path_override)
    e.secrets.push_back(SourceRange::at_line(origin.line));
}

void report(engine::Emitter& out, const kube::Object& object, const yaml::Node* node, std::string message,
            std::string remediation) {
  engine::Emission e = emission_at(object, node, std::move(message));
  e.remediation = std::move(remediation);
  out.emit(std::move(e));
}

const std::string_view kPodContainersRego = R"(
pod_spec = spec {
  input.review.object.kind == "Pod"
  spec := input.review.object.spec
}

pod_spec = spec {
  input.review.object.kind == "CronJob"
  spec := input.review.object.spec.jobTemplate.spec.template.spec
}

pod_spec = spec {
  input.review.object.kind == "PodTemplate"
  spec := input.review.object.template.spec
}

pod_spec = spec {
  not input.review.object.kind in {"Pod", "CronJob", "PodTemplate"}
  spec := input.review.object.spec.template.spec
}

pod_containers contains c if {
  c := pod_spec.containers[_]
  is_object(c)
}

pod_containers contains c if {
  c := pod_spec.initContainers[_]
  is_object(c)
}

long_running if input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
)";

std::vector<std::string_view> workload_kinds() {
  return {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
          "PodTemplate"};
}

std::string json_parameters(std::string_view key, const std::vector<std::string>& values) {
  std::string out = fmt::format("{{\"{}\": [", key);
  for (std::size_t i = 0; i < values.size(); ++i) out += fmt::format("{}\"{}\"", i > 0 ? ", " : "", values[i]);
  return out + "]}";
}

std::string production_note(const std::string& reason) { return fmt::format(" (production: {})", reason); }

const yaml::Node* container_anchor(const kube::Container& container) {
  if (const yaml::Entry* e = container.node->find("name")) return e->value;
  return container.node;
}

void for_each_pod_template(const kube::ManifestSet& set,
                           const std::function<void(const kube::Object&, const kube::PodTemplate&)>& visit) {
  for (const auto& object : set.objects())
    if (auto tmpl = kube::pod_template(object)) visit(object, *tmpl);
}

void for_each_image(const yaml::Node* pod_spec,
                    const std::function<void(const kube::Container&, const yaml::Node&)>& visit) {
  for (const auto& c : kube::containers(pod_spec)) {
    const yaml::Node* image = c.node->get("image");
    if (image != nullptr && image->is_scalar() && !image->is_null()) visit(c, *image);
  }
}

std::string join_and(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace constable::checks::kubernetes

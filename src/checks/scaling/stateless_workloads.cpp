// scaling/stateless-workloads: "Services MUST be stateless to enable
// horizontal scaling". What manifests show of state that defeats scaling: a
// Deployment run as several replicas (or scaled by an autoscaler) that
// mounts a ReadWriteOnce volume, which only one node can attach.

#include <fmt/format.h>

#include <map>
#include <set>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/scaling/scaling_checks.hpp"
#include "checks/scaling/scaling_support.hpp"

namespace constable::checks::scaling {

namespace {
namespace stateless_workloads_check {

constexpr engine::CheckInfo kInfo{
    .id = "scaling/stateless-workloads",
    .domain = "scaling",
    .nature = Nature::reliability,
    .summary = "Keep replicated Deployments free of ReadWriteOnce volumes",
    .rationale =
        "A Deployment that keeps its state on a ReadWriteOnce PersistentVolumeClaim cannot scale out: only "
        "pods on the node that attached the volume can mount it (with ReadWriteOncePod, only one pod), so "
        "further replicas stay Pending or share one node, and a rollout can deadlock on the attachment. "
        "Judged: Deployments, ReplicaSets and ReplicationControllers with more than one replica or scaled by "
        "a HorizontalPodAutoscaler or KEDA ScaledObject, whose claim is declared in the same namespace. "
        "StatefulSets, whose replicas each get their own claim, are not judged.",
    .remediation =
        "Move the state out of the pod (a database, an object store, a cache service), use a ReadWriteMany "
        "volume if the data really is shared, or run the workload as a StatefulSet with volumeClaimTemplates.",
    .bad_example =
        "kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template:\n    spec:\n      volumes:\n"
        "        - name: data\n          persistentVolumeClaim: {claimName: web-data}  # ReadWriteOnce\n",
    .good_example =
        "kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template:\n    spec:\n      volumes:\n"
        "        - name: cache\n          emptyDir: {}\n",
    .parameters = "",
    .clause = {.section = "scalab", .text = "stateless"},
    .file_kind = FileKind::yaml,
    .stack = "",
    .scope = engine::Scope::manifests,
    .not_at_admission = "the claim's access mode and the autoscalers are objects of their own",
};

// The most replicas an autoscaler lets the workload run (KEDA's default is 100).
long long max_replicas(const Autoscaler& autoscaler) {
  const yaml::Node* spec = autoscaler.object->root->get("spec");
  const bool keda = autoscaler.object->kind == "ScaledObject";
  const yaml::Node* max = spec != nullptr ? spec->get(keda ? "maxReplicaCount" : "maxReplicas") : nullptr;
  if (max == nullptr) return keda ? 100 : 0;
  return max->as_int().value_or(0);
}

// "ReadWriteOnce" or "ReadWriteOncePod" when the claim allows only one node or pod.
std::string single_attach_mode(const yaml::Node* claim) {
  const yaml::Node* modes = claim->at("spec", "accessModes");
  if (modes == nullptr || !modes->is_sequence()) return {};
  std::string single;
  for (const yaml::Node* mode : modes->items) {
    if (mode->str() == "ReadWriteMany" || mode->str() == "ReadOnlyMany") return {};
    if (mode->str() == "ReadWriteOnce" || mode->str() == "ReadWriteOncePod") single = std::string(mode->str());
  }
  return single;
}

class StatelessWorkloadsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    // Claims by (namespace, name).
    std::map<std::pair<std::string, std::string>, const yaml::Node*> claims;
    for (const kube::Object* claim : set.of_kind("PersistentVolumeClaim"))
      for (const auto& placement : claim->placements) claims.emplace(std::pair{placement.namespace_name, claim->name}, claim->root);
    if (claims.empty()) return;
    const std::vector<Autoscaler> scalers = autoscalers(set);
    kubernetes::for_each_pod_template(set, [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      if (object.kind != "Deployment" && object.kind != "ReplicaSet" && object.kind != "ReplicationController") return;
      const yaml::Node* volumes = tmpl.spec != nullptr ? tmpl.spec->get("volumes") : nullptr;
      if (volumes == nullptr || !volumes->is_sequence()) return;
      const yaml::Node* replicas_node = object.root->at("spec", "replicas");
      // Absent: one replica; not an integer (a template left unrendered): unknown.
      const std::optional<long long> replicas = replicas_node == nullptr ? std::optional<long long>(1) : replicas_node->as_int();
      std::set<std::string> reported;
      for (const auto& placement : object.placements) {
        std::string why;
        if (replicas && *replicas > 1) why = fmt::format("runs {} replicas", *replicas);
        for (const Autoscaler& scaler : scalers)
          if (why.empty() && scales(scaler, object, placement.namespace_name) && max_replicas(scaler) > 1)
            why = fmt::format("is scaled by {} up to {} replicas", scaler.object->display_name(), max_replicas(scaler));
        if (why.empty()) continue;
        for (const yaml::Node* volume : volumes->items) {
          const yaml::Node* claim_name = volume->at("persistentVolumeClaim", "claimName");
          if (claim_name == nullptr || !claim_name->is_scalar()) continue;
          const auto claim = claims.find({placement.namespace_name, std::string(claim_name->str())});
          if (claim == claims.end()) continue;
          const std::string mode = single_attach_mode(claim->second);
          if (mode.empty() || !reported.insert(std::string(claim_name->str())).second) continue;
          kubernetes::report(
              out, object, claim_name,
              fmt::format("{} {} but mounts PersistentVolumeClaim '{}', which is {}: {}, so the service "
                          "keeps state that stops it scaling horizontally",
                          object.display_name(), why, claim_name->str(), mode,
                          mode == "ReadWriteOncePod" ? "only one pod can mount it"
                                                     : "only pods on the node that attached it can mount it"));
        }
      }
    });
  }
};

}  // namespace stateless_workloads_check
}  // namespace

std::unique_ptr<engine::Check> make_stateless_workloads_check() {
  return engine::make_check<stateless_workloads_check::StatelessWorkloadsCheck>();
}

}  // namespace constable::checks::scaling

// cost/spot-capacity: "Spot instances for non-critical workloads". The node
// capacity a repository declares for an environment that is explicitly not
// production (a dev, test or staging overlay, directory or namespace) may be
// spot: a Karpenter NodePool whose capacity-type requirement allows spot, an
// eksctl node group with spot instances.

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "checks/cost/cost_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"
#include "kube/manifests.hpp"

namespace constable::checks::cost {

namespace {
namespace spot_capacity_check {

constexpr engine::CheckInfo kInfo{
    .id = "cost/spot-capacity",
    .domain = "cost",
    .nature = Nature::maintainability,
    .summary = "Let the node capacity of non-production environments run on spot instances",
    .rationale =
        "Development, test and staging workloads tolerate a node being reclaimed; on-demand capacity for them "
        "costs several times what spot capacity does. Judged: Karpenter NodePools (karpenter.sh; Provisioners "
        "of v1alpha5) and eksctl ClusterConfigs whose placement is explicitly not production (a dev, test or "
        "staging overlay, directory, values file or namespace, as constable's production rules read them). A "
        "NodePool allows spot when its `karpenter.sh/capacity-type` requirement is `In` a list with spot, "
        "`NotIn` a list without it, or `Exists`; without the requirement Karpenter launches on-demand only. An "
        "eksctl managed node group allows spot with `spot: true`, a self-managed one with an "
        "`instancesDistribution` of spot pools or below 100% on-demand. An environment is reported only when "
        "none of its NodePools (or none of a ClusterConfig's node groups) allows spot: one on-demand pool for "
        "system components beside a spot pool is fine.",
    .remediation =
        "Allow spot capacity in the environment's NodePool (`- key: karpenter.sh/capacity-type  operator: In  "
        "values: [spot, on-demand]`; Karpenter prefers spot and falls back), or set `spot: true` with several "
        "instance types on the eksctl managed node group.",
    .bad_example = "# deploy/dev/nodepool.yaml\napiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: "
                   "default}\nspec:\n  template:\n    spec:\n      requirements:\n        - key: "
                   "karpenter.sh/capacity-type\n          operator: In\n          values: [on-demand]\n",
    .good_example = "      requirements:\n        - key: karpenter.sh/capacity-type\n          operator: In\n"
                    "          values: [spot, on-demand]\n",
    .parameters = "",
    .clause = {.section = "cost", .text = R"(\bspot\b|preemptible)"},
    .file_kind = FileKind::yaml,
    .stack = "",
    .scope = engine::Scope::manifests,
    .not_at_admission = "whether an environment has spot capacity depends on all of its NodePools",
};

bool mentions_spot(const yaml::Node* values) {
  if (values == nullptr || !values->is_sequence()) return false;
  for (const yaml::Node* value : values->items)
    if (value != nullptr && text::iequals(value->str(), "spot")) return true;
  return false;
}

// Whether a Karpenter requirements list lets the pool launch spot capacity;
// `anchor` receives the capacity-type requirement, if any.
bool karpenter_allows_spot(const yaml::Node* requirements, const yaml::Node*& anchor) {
  if (requirements == nullptr || !requirements->is_sequence()) return false;
  for (const yaml::Node* requirement : requirements->items) {
    if (requirement == nullptr || !requirement->is_mapping()) continue;
    const yaml::Node* key = requirement->get("key");
    if (key == nullptr || key->str() != "karpenter.sh/capacity-type") continue;
    anchor = key;
    const std::string_view op = requirement->get("operator") != nullptr ? requirement->get("operator")->str() : "";
    const yaml::Node* values = requirement->get("values");
    if (op == "In") return mentions_spot(values);
    if (op == "NotIn") return !mentions_spot(values);
    return op != "DoesNotExist";  // Exists, or an operator constable does not read: not judged
  }
  return false;
}

bool eksctl_allows_spot(const yaml::Node* group) {
  if (group == nullptr || !group->is_mapping()) return false;
  if (const yaml::Node* spot = group->get("spot"); spot != nullptr && spot->as_bool().value_or(false)) return true;
  const yaml::Node* distribution = group->get("instancesDistribution");
  if (distribution == nullptr || !distribution->is_mapping()) return false;
  if (const yaml::Node* pools = distribution->get("spotInstancePools"); pools != nullptr && pools->as_int().value_or(0) > 0)
    return true;
  if (const yaml::Node* percent = distribution->get("onDemandPercentageAboveBaseCapacity"))
    return percent->as_int().value_or(100) < 100;
  return distribution->get("spotAllocationStrategy") != nullptr;
}

struct Pool {
  const kube::Object* object = nullptr;
  const yaml::Node* anchor = nullptr;
  bool spot = false;
};

class SpotCapacityCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    // Non-production reason -> the Karpenter pools it places.
    std::map<std::string, std::vector<Pool>> environments;
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.root == nullptr) continue;
      const bool karpenter = object.api_version.starts_with("karpenter.sh/") &&
                             (object.kind == "NodePool" || object.kind == "Provisioner");
      const bool eksctl = object.api_version.starts_with("eksctl.io/") && object.kind == "ClusterConfig";
      if (!karpenter && !eksctl) continue;
      const auto reason = object.non_production();
      if (!reason) continue;
      if (karpenter) {
        const yaml::Node* requirements = object.kind == "NodePool"
                                             ? object.root->at("spec", "template", "spec", "requirements")
                                             : object.root->at("spec", "requirements");
        Pool pool{&object, nullptr, false};
        pool.spot = karpenter_allows_spot(requirements, pool.anchor);
        environments[*reason].push_back(pool);
        continue;
      }
      // eksctl: one finding for a ClusterConfig none of whose node groups runs spot.
      bool any_group = false, any_spot = false;
      for (const std::string_view list : {"managedNodeGroups", "nodeGroups"}) {
        const yaml::Node* groups = object.root->get(list);
        if (groups == nullptr || !groups->is_sequence()) continue;
        for (const yaml::Node* group : groups->items) {
          any_group = true;
          any_spot = any_spot || eksctl_allows_spot(group);
        }
      }
      if (!any_group || any_spot) continue;
      kubernetes::report(out, object, nullptr,
                         fmt::format("eksctl cluster '{}' is not production ({}) but none of its node groups runs "
                                     "spot instances: its workloads are non-critical",
                                     object.name, *reason));
    }
    for (const auto& [reason, pools] : environments) {
      bool any_spot = false;
      for (const Pool& pool : pools) any_spot = any_spot || pool.spot;
      if (any_spot) continue;
      for (const Pool& pool : pools)
        kubernetes::report(out, *pool.object, pool.anchor,
                           fmt::format("Karpenter {} '{}' launches on-demand capacity only ({}) and no pool of its "
                                       "environment allows spot, though the environment is not production ({})",
                                       pool.object->kind, pool.object->name,
                                       pool.anchor != nullptr ? "its capacity-type requirement excludes spot"
                                                              : "no karpenter.sh/capacity-type requirement",
                                       reason));
    }
  }
};

}  // namespace spot_capacity_check
}  // namespace

std::unique_ptr<engine::Check> make_spot_capacity_check() {
  return engine::make_check<spot_capacity_check::SpotCapacityCheck>();
}

}  // namespace constable::checks::cost

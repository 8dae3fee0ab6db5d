// cost/spot-node-pools: "Spot instances for non-critical workloads", for the
// Kubernetes node pools Terraform creates. A Terraform configuration in a
// directory named for an environment that is not production (dev, test,
// staging, ...) gives at least one of its node pools spot capacity: an EKS
// node group with `capacity_type = "SPOT"`, a GKE node pool with `spot` or
// `preemptible` nodes, an AKS node pool of `priority = "Spot"`.

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "checks/cost/cost_checks.hpp"
#include "checks/security/terraform_blocks.hpp"
#include "core/text.hpp"
#include "kube/production.hpp"

namespace constable::checks::cost {

namespace {
namespace spot_node_pools_check {

constexpr engine::CheckInfo kInfo{
    .id = "cost/spot-node-pools",
    .domain = "cost",
    .nature = Nature::maintainability,
    .summary = "Give the Terraform node pools of non-production environments spot capacity",
    .rationale =
        "Development, test and staging clusters run workloads that tolerate a node being reclaimed; on-demand "
        "nodes for them cost several times what spot nodes do. Judged: `aws_eks_node_group`, "
        "`google_container_node_pool` and `azurerm_kubernetes_cluster_node_pool` resources in .tf files under a "
        "directory explicitly named for an environment that is not production (dev, test, staging, qa, ..., as "
        "constable's production rules read paths). A directory is reported when it has node pools, each sets its "
        "capacity literally, and none is spot (EKS `capacity_type = \"SPOT\"`, GKE `node_config { spot = true }` "
        "or `preemptible = true`, AKS `priority = \"Spot\"`); an EKS node group without capacity_type, or a GKE "
        "node pool without either flag, is on-demand. A pool whose capacity is set by a variable or expression "
        "leaves its directory unjudged. One on-demand pool for system components beside a spot pool is fine.",
    .remediation =
        "Add a spot node pool for the environment's workloads (EKS `capacity_type = \"SPOT\"` with several "
        "instance_types; GKE `node_config { spot = true }`; AKS `priority = \"Spot\"`, `eviction_policy = "
        "\"Delete\"`), keeping a small on-demand pool for system components if needed.",
    .bad_example = "# infra/envs/dev/eks.tf\nresource \"aws_eks_node_group\" \"workers\" {\n"
                   "  cluster_name   = aws_eks_cluster.dev.name\n  instance_types = [\"m6i.large\"]\n}\n",
    .good_example = "resource \"aws_eks_node_group\" \"workers\" {\n  cluster_name   = aws_eks_cluster.dev.name\n"
                    "  capacity_type  = \"SPOT\"\n  instance_types = [\"m6i.large\", \"m5.large\", \"m5a.large\"]\n}\n",
    .parameters = "",
    .clause = {.section = "cost", .text = R"(\bspot\b|preemptible)"},
    .file_kind = FileKind::other,
    .stack = "terraform",
    .scope = engine::Scope::repository,
};

enum class Capacity : std::uint8_t { on_demand, spot, unknown };

std::string_view unquoted(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"' && !text::contains(value, "${"))
    return value.substr(1, value.size() - 2);
  return {};
}

// A boolean attribute: true, false (also when absent), or unknown.
Capacity flag(std::string_view block, std::string_view name) {
  const auto attribute = security::terraform_attribute(block, name);
  if (!attribute) return Capacity::on_demand;
  const auto value = security::terraform_bool(attribute->value);
  if (!value) return Capacity::unknown;
  return *value ? Capacity::spot : Capacity::on_demand;
}

Capacity capacity_of(const security::TerraformBlock& block) {
  if (block.type == "aws_eks_node_group" || block.type == "azurerm_kubernetes_cluster_node_pool") {
    const std::string_view name = block.type == "aws_eks_node_group" ? "capacity_type" : "priority";
    const auto attribute = security::terraform_attribute(block.body, name);
    if (!attribute) return Capacity::on_demand;
    const std::string_view value = unquoted(attribute->value);
    if (value.empty()) return Capacity::unknown;
    return text::iequals(value, "spot") ? Capacity::spot : Capacity::on_demand;
  }
  // google_container_node_pool: node_config { spot | preemptible }.
  if (text::contains(block.body, "dynamic \"node_config\"")) return Capacity::unknown;
  const auto configs = security::terraform_nested(block.body, "node_config");
  if (configs.empty()) return Capacity::on_demand;
  if (configs.size() > 1) return Capacity::unknown;
  const Capacity spot = flag(configs.front().first, "spot");
  const Capacity preemptible = flag(configs.front().first, "preemptible");
  if (spot == Capacity::spot || preemptible == Capacity::spot) return Capacity::spot;
  if (spot == Capacity::unknown || preemptible == Capacity::unknown) return Capacity::unknown;
  return Capacity::on_demand;
}

struct Pool {
  std::string path;
  int line = 0;
  std::string name;  // "aws_eks_node_group.workers"
  Capacity capacity = Capacity::unknown;
};

class SpotNodePoolsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    std::vector<security::TerraformFile> files;
    for (const std::string_view needle : {"aws_eks_node_group", "google_container_node_pool",
                                          "azurerm_kubernetes_cluster_node_pool"})
      for (auto& file : security::terraform_files_with(repo, needle)) {
        bool seen = false;
        for (const auto& other : files) seen = seen || other.file == file.file;
        if (!seen) files.push_back(file);
      }
    if (files.empty()) return;
    const kube::ProductionRules rules(repo.config().production);
    // Directory -> (why it is not production, its pools).
    std::map<std::string, std::pair<std::string, std::vector<Pool>>> directories;
    for (const auto& tf : files) {
      const std::string directory(text::dirname(tf.file->path));
      if (rules.for_path(tf.file->path)) continue;
      const auto reason = rules.non_production_for_path(tf.file->path);
      if (!reason) continue;
      for (const auto& block : security::terraform_resources(
               tf.text, {"aws_eks_node_group", "google_container_node_pool", "azurerm_kubernetes_cluster_node_pool"})) {
        auto& entry = directories[directory];
        entry.first = *reason;
        entry.second.push_back({tf.file->path, security::terraform_line(tf.text, block.offset),
                                fmt::format("{}.{}", block.type, block.name), capacity_of(block)});
      }
    }
    for (const auto& [directory, entry] : directories) {
      const auto& [reason, pools] = entry;
      bool judged = !pools.empty();
      for (const Pool& pool : pools) judged = judged && pool.capacity == Capacity::on_demand;
      if (!judged) continue;
      for (const Pool& pool : pools)
        out.emit({.range = SourceRange::at_line(pool.line),
                  .message = fmt::format("{} runs on-demand nodes and no node pool of {} is spot, though it is not "
                                         "production ({})",
                                         pool.name, directory.empty() ? std::string("the root") : directory + "/",
                                         reason),
                  .path_override = pool.path,
                  .anchor = pool.name});
    }
  }
};

}  // namespace spot_node_pools_check
}  // namespace

std::unique_ptr<engine::Check> make_spot_node_pools_check() {
  return engine::make_check<spot_node_pools_check::SpotNodePoolsCheck>();
}

}  // namespace constable::checks::cost

#pragma once
// The Kubernetes checks (domain "kubernetes"), registered in id order. All
// of them read the run's whole manifest set (engine::Scope::manifests).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::kubernetes {

std::unique_ptr<engine::Check> make_config_rollout_check();
std::unique_ptr<engine::Check> make_configmap_sensitive_data_check();
std::unique_ptr<engine::Check> make_environment_namespaces_check();
std::unique_ptr<engine::Check> make_external_secrets_check();
std::unique_ptr<engine::Check> make_immutable_image_tags_check();
std::unique_ptr<engine::Check> make_max_surge_check();
std::unique_ptr<engine::Check> make_max_unavailable_check();
std::unique_ptr<engine::Check> make_namespace_network_policy_check();
std::unique_ptr<engine::Check> make_namespace_resource_quota_check();
std::unique_ptr<engine::Check> make_no_latest_tag_check();
std::unique_ptr<engine::Check> make_pod_disruption_budget_check();
std::unique_ptr<engine::Check> make_probes_check();
std::unique_ptr<engine::Check> make_resource_requests_limits_check();
std::unique_ptr<engine::Check> make_revision_history_limit_check();
std::unique_ptr<engine::Check> make_rolling_update_strategy_check();
std::unique_ptr<engine::Check> make_secret_references_check();
std::unique_ptr<engine::Check> make_security_context_check();

// Every Kubernetes check's factory, sorted by check id.
std::vector<engine::CheckFactory> kubernetes_checks();

}  // namespace constable::checks::kubernetes

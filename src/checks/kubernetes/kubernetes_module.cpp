#include "checks/kubernetes/kubernetes_checks.hpp"

namespace constable::checks::kubernetes {

std::vector<engine::CheckFactory> kubernetes_checks() {
  // Sorted by check id.
  return {
      &make_config_rollout_check,            // kubernetes/config-rollout
      &make_configmap_sensitive_data_check,  // kubernetes/configmap-sensitive-data
      &make_environment_namespaces_check,    // kubernetes/environment-namespaces
      &make_external_secrets_check,          // kubernetes/external-secrets
      &make_immutable_image_tags_check,      // kubernetes/immutable-image-tags
      &make_max_surge_check,                 // kubernetes/max-surge
      &make_max_unavailable_check,           // kubernetes/max-unavailable
      &make_namespace_network_policy_check,  // kubernetes/namespace-network-policy
      &make_namespace_resource_quota_check,  // kubernetes/namespace-resource-quota
      &make_no_latest_tag_check,             // kubernetes/no-latest-tag
      &make_pod_disruption_budget_check,     // kubernetes/pod-disruption-budget
      &make_probes_check,                    // kubernetes/probes
      &make_resource_requests_limits_check,  // kubernetes/resource-requests-limits
      &make_revision_history_limit_check,    // kubernetes/revision-history-limit
      &make_rolling_update_strategy_check,   // kubernetes/rolling-update-strategy
      &make_secret_references_check,         // kubernetes/secret-references
      &make_security_context_check,          // kubernetes/security-context
  };
}

}  // namespace constable::checks::kubernetes

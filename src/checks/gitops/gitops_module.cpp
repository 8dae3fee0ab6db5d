#include "checks/gitops/gitops_checks.hpp"

namespace constable::checks::gitops {

std::vector<engine::CheckFactory> gitops_checks() {
  // Sorted by check id.
  return {
      &make_canary_high_risk_check,      // gitops/canary-high-risk
      &make_deployment_spec_check,       // gitops/deployment-spec
      &make_feature_flags_check,         // gitops/feature-flags
      &make_no_manual_kubectl_check,     // gitops/no-manual-kubectl
      &make_progressive_delivery_check,  // gitops/progressive-delivery
      &make_sync_policy_check,           // gitops/sync-policy
  };
}

}  // namespace constable::checks::gitops

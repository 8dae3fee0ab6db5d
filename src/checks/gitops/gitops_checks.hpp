#pragma once
// GitOps and progressive delivery (domain "gitops"): how the repository's
// Kubernetes objects reach the cluster (Argo CD and Flux objects that keep
// it in sync, no imperative kubectl or helm against production) and how a
// rollout is promoted or rolled back (Argo Rollouts, Flagger).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::gitops {

std::unique_ptr<engine::Check> make_canary_high_risk_check();
std::unique_ptr<engine::Check> make_deployment_spec_check();
std::unique_ptr<engine::Check> make_feature_flags_check();
std::unique_ptr<engine::Check> make_no_manual_kubectl_check();
std::unique_ptr<engine::Check> make_progressive_delivery_check();
std::unique_ptr<engine::Check> make_sync_policy_check();

// Every gitops check's factory, sorted by check id.
std::vector<engine::CheckFactory> gitops_checks();

}  // namespace constable::checks::gitops

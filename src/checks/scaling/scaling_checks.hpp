#pragma once
// The scaling checks (domain "scaling"), registered in id order: autoscalers
// for production workloads and stateless replicas. Both read the run's whole
// manifest set (engine::Scope::manifests).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::scaling {

std::unique_ptr<engine::Check> make_horizontal_pod_autoscaler_check();
std::unique_ptr<engine::Check> make_stateless_workloads_check();

// Every scaling check's factory, sorted by check id.
std::vector<engine::CheckFactory> scaling_checks();

}  // namespace constable::checks::scaling

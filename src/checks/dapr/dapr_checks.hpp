#pragma once
// The Dapr checks (domain "dapr"), registered in id order. They run over the
// manifest set: Dapr's Components, Configurations and Resiliency policies are
// Kubernetes-shaped objects, read from manifests, chart renders and
// self-hosted resource directories alike (dapr_support.hpp).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::dapr {

std::unique_ptr<engine::Check> make_component_definitions_check();
std::unique_ptr<engine::Check> make_component_secrets_check();
std::unique_ptr<engine::Check> make_metrics_check();
std::unique_ptr<engine::Check> make_resiliency_coverage_check();
std::unique_ptr<engine::Check> make_tracing_check();

// Every Dapr check's factory, sorted by check id.
std::vector<engine::CheckFactory> dapr_checks();

}  // namespace constable::checks::dapr

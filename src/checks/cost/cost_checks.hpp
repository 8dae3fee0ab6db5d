#pragma once
// The cost checks (domain "cost"), registered in id order: the tags every
// cloud resource carries for cost allocation, spot capacity for environments
// that are not production, and lifecycle policies for the storage that holds
// cold data.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::cost {

std::unique_ptr<engine::Check> make_resource_tagging_check();
std::unique_ptr<engine::Check> make_spot_capacity_check();
std::unique_ptr<engine::Check> make_spot_node_pools_check();
std::unique_ptr<engine::Check> make_storage_lifecycle_check();

// Every cost check's factory, sorted by check id.
std::vector<engine::CheckFactory> cost_checks();

}  // namespace constable::checks::cost

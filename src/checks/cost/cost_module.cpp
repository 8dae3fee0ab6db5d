#include "checks/cost/cost_checks.hpp"

namespace constable::checks::cost {

std::vector<engine::CheckFactory> cost_checks() {
  // Sorted by check id.
  return {
      &make_resource_tagging_check,   // cost/resource-tagging
      &make_spot_capacity_check,      // cost/spot-capacity
      &make_spot_node_pools_check,    // cost/spot-node-pools
      &make_storage_lifecycle_check,  // cost/storage-lifecycle
  };
}

}  // namespace constable::checks::cost

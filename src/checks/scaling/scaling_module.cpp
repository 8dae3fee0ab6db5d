#include "checks/scaling/scaling_checks.hpp"

namespace constable::checks::scaling {

std::vector<engine::CheckFactory> scaling_checks() {
  // Sorted by check id.
  return {
      &make_horizontal_pod_autoscaler_check,  // scaling/horizontal-pod-autoscaler
      &make_stateless_workloads_check,        // scaling/stateless-workloads
  };
}

}  // namespace constable::checks::scaling

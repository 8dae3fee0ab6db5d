#include "checks/dapr/dapr_checks.hpp"

namespace constable::checks::dapr {

std::vector<engine::CheckFactory> dapr_checks() {
  // Sorted by check id.
  return {
      &make_component_definitions_check,  // dapr/component-definitions
      &make_component_secrets_check,    // dapr/component-secrets
      &make_metrics_check,              // dapr/metrics
      &make_resiliency_coverage_check,  // dapr/resiliency-coverage
      &make_tracing_check,              // dapr/tracing
  };
}

}  // namespace constable::checks::dapr

#include "checks/spec/spec_checks.hpp"

namespace constable::checks::spec {

std::vector<engine::CheckFactory> spec_checks() {
  // Sorted by check id.
  return {
      &make_architecture_diagrams_check,  // spec/architecture-diagrams
      &make_behavioral_specs_check,       // spec/behavioral-specs
      &make_data_schemas_check,           // spec/data-schemas
      &make_deployment_specs_check,       // spec/deployment-specs
      &make_functional_specs_check,       // spec/functional-specs
      &make_gherkin_scenarios_check,      // spec/gherkin-scenarios
      &make_security_specs_check,         // spec/security-specs
  };
}

}  // namespace constable::checks::spec

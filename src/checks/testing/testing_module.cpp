#include "checks/testing/testing_checks.hpp"

namespace constable::checks::testing {

std::vector<engine::CheckFactory> testing_checks() {
  // Sorted by check id.
  return {
      &make_contract_validation_check,  // testing/contract-validation
      &make_coverage_threshold_check,   // testing/coverage-threshold
      &make_e2e_tests_check,            // testing/e2e-tests
      &make_load_target_check,          // testing/load-target
      &make_load_tests_check,           // testing/load-tests
      &make_release_load_tests_check,   // testing/release-load-tests
      &make_soak_tests_check,           // testing/soak-tests
  };
}

}  // namespace constable::checks::testing

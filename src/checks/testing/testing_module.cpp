#include "checks/testing/testing_checks.hpp"

namespace constable::checks::testing {

std::vector<engine::CheckFactory> testing_checks() {
  // Sorted by check id.
  return {
      &make_coverage_threshold_check,  // testing/coverage-threshold
      &make_load_tests_check,          // testing/load-tests
  };
}

}  // namespace constable::checks::testing

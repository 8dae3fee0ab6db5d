#include "checks/ci/ci_checks.hpp"

namespace constable::checks::ci {

std::vector<engine::CheckFactory> ci_checks() {
  // Sorted by check id.
  return {
      &make_build_cache_check,              // ci/build-cache
      &make_contract_tests_check,           // ci/contract-tests
      &make_parallel_jobs_check,            // ci/parallel-jobs
      &make_pipeline_stages_check,          // ci/pipeline-stages
      &make_tests_block_deployment_check,   // ci/tests-block-deployment
      &make_tests_in_pipeline_check,        // ci/tests-in-pipeline
      &make_vulnerability_scan_check,       // ci/vulnerability-scan
  };
}

}  // namespace constable::checks::ci

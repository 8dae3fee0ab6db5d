#pragma once
// The CI pipeline checks (domain "ci"), one per file, registered in id order.
// They read the repository's whole pipeline (every GitHub Actions workflow
// and .gitlab-ci.yml) through ci_support, so they are repository-scope.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::ci {

std::unique_ptr<engine::Check> make_build_cache_check();
std::unique_ptr<engine::Check> make_contract_tests_check();
std::unique_ptr<engine::Check> make_parallel_jobs_check();
std::unique_ptr<engine::Check> make_pipeline_stages_check();
std::unique_ptr<engine::Check> make_tests_block_deployment_check();
std::unique_ptr<engine::Check> make_tests_in_pipeline_check();
std::unique_ptr<engine::Check> make_vulnerability_scan_check();

// Every ci check's factory, sorted by check id.
std::vector<engine::CheckFactory> ci_checks();

}  // namespace constable::checks::ci

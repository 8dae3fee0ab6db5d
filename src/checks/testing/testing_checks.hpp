#pragma once
// The testing checks (domain "testing"), registered in id order: the unit
// test coverage gate, end-to-end tests of a web front end, load tests that
// verify a performance baseline and run before releases, and soak tests as
// long as the constitution asks.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::testing {

std::unique_ptr<engine::Check> make_contract_validation_check();
std::unique_ptr<engine::Check> make_coverage_threshold_check();
std::unique_ptr<engine::Check> make_e2e_tests_check();
std::unique_ptr<engine::Check> make_load_target_check();
std::unique_ptr<engine::Check> make_load_tests_check();
std::unique_ptr<engine::Check> make_release_load_tests_check();
std::unique_ptr<engine::Check> make_soak_tests_check();

// Every testing check's factory, sorted by check id.
std::vector<engine::CheckFactory> testing_checks();

}  // namespace constable::checks::testing

#pragma once
// The testing checks (domain "testing"), registered in id order: the unit
// test coverage gate, and the load tests' thresholds against the
// constitution's latency figures.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::testing {

std::unique_ptr<engine::Check> make_coverage_threshold_check();
std::unique_ptr<engine::Check> make_load_tests_check();

// Every testing check's factory, sorted by check id.
std::vector<engine::CheckFactory> testing_checks();

}  // namespace constable::checks::testing

#pragma once
// The mandatory specification components (domain "spec"), one check per
// component, registered in id order. They look at the repository as a whole:
// each finds its component, parses and validates it, and reports what is
// missing at the repository root and what is broken where it is broken.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::spec {

std::unique_ptr<engine::Check> make_architecture_diagrams_check();
std::unique_ptr<engine::Check> make_behavioral_specs_check();
std::unique_ptr<engine::Check> make_data_schemas_check();
std::unique_ptr<engine::Check> make_deployment_specs_check();
std::unique_ptr<engine::Check> make_functional_specs_check();
std::unique_ptr<engine::Check> make_gherkin_scenarios_check();
std::unique_ptr<engine::Check> make_security_specs_check();

// Every spec check's factory, sorted by check id.
std::vector<engine::CheckFactory> spec_checks();

}  // namespace constable::checks::spec

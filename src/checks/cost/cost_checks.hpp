#pragma once
// The cost checks (domain "cost"), registered in id order: the tags every
// cloud resource carries for cost allocation.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::cost {

std::unique_ptr<engine::Check> make_resource_tagging_check();

// Every cost check's factory, sorted by check id.
std::vector<engine::CheckFactory> cost_checks();

}  // namespace constable::checks::cost

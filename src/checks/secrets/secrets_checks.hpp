#pragma once
// The secret checks (domain "secrets"), registered in id order.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::secrets {

std::unique_ptr<engine::Check> make_hardcoded_secret_check();
std::unique_ptr<engine::Check> make_values_file_secret_check();

// Every secrets check's factory, sorted by check id.
std::vector<engine::CheckFactory> secrets_checks();

}  // namespace constable::checks::secrets

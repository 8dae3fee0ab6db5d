#include "checks/secrets/secrets_checks.hpp"

namespace constable::checks::secrets {

std::vector<engine::CheckFactory> secrets_checks() {
  // Sorted by check id.
  return {
      &make_hardcoded_secret_check,    // secrets/hardcoded-secret
      &make_values_file_secret_check,  // secrets/values-file-secret
  };
}

}  // namespace constable::checks::secrets

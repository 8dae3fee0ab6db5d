#include "checks/secrets/secrets_checks.hpp"

namespace constable::checks::secrets {

std::vector<engine::CheckFactory> secrets_checks() {
  // Sorted by check id.
  return {
      &make_hardcoded_secret_check,  // secrets/hardcoded-secret
  };
}

}  // namespace constable::checks::secrets

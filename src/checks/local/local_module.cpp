#include "checks/local/local_checks.hpp"

namespace constable::checks::local {

std::vector<engine::CheckFactory> local_checks() {
  // Sorted by check id.
  return {
      &make_dev_loop_check,          // local/dev-loop
      &make_minikube_version_check,  // local/minikube-version
  };
}

}  // namespace constable::checks::local

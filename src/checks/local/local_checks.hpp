#pragma once
// The local development checks (domain "local"), registered in id order:
// the Skaffold or Tilt development loop, with hot reload and a local
// registry, and Minikube set up as production runs Kubernetes.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::local {

std::unique_ptr<engine::Check> make_dev_loop_check();
std::unique_ptr<engine::Check> make_minikube_version_check();

// Every local development check's factory, sorted by check id.
std::vector<engine::CheckFactory> local_checks();

}  // namespace constable::checks::local

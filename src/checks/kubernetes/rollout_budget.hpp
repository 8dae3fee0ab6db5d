#pragma once
// maxUnavailable and maxSurge share one rule: a Deployment's rolling update
// may not take (or add) more pods than the constitution's percentage allows,
// whether the value is a percentage or an absolute number of pods.

#include <memory>
#include <string_view>

#include "engine/check.hpp"

namespace constable::checks::kubernetes {

struct RolloutBudget {
  std::string_view field;  // "maxUnavailable" or "maxSurge"
  bool round_up = false;   // Kubernetes rounds maxSurge up and maxUnavailable down
  double default_percent = 25;
};

std::unique_ptr<engine::Check> make_rollout_budget_check(const engine::CheckInfo& info, RolloutBudget budget);

}  // namespace constable::checks::kubernetes

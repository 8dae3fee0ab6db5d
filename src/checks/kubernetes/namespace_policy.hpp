#pragma once
// ResourceQuota and NetworkPolicy share one rule: every namespace the
// repository declares or deploys into holds at least one object of the kind.

#include <memory>
#include <string_view>

#include "engine/check.hpp"

namespace constable::checks::kubernetes {

std::unique_ptr<engine::Check> make_namespace_policy_check(const engine::CheckInfo& info,
                                                           std::string_view required_kind);

}  // namespace constable::checks::kubernetes

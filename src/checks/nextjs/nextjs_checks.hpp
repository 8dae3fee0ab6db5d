#pragma once
// Next.js checks (domain "nextjs"): a Next.js project's routing, components,
// configuration, environment exposure and dependencies, judged per project
// (the directory of a package.json declaring `next`, so a monorepo's
// apps/web/ is one).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::nextjs {

std::unique_ptr<engine::Check> make_app_router_check();
std::unique_ptr<engine::Check> make_bundle_budget_check();
std::unique_ptr<engine::Check> make_content_security_policy_check();
std::unique_ptr<engine::Check> make_csrf_protection_check();
std::unique_ptr<engine::Check> make_env_exposure_check();
std::unique_ptr<engine::Check> make_image_component_check();
std::unique_ptr<engine::Check> make_path_aliases_check();
std::unique_ptr<engine::Check> make_rate_limiting_check();
std::unique_ptr<engine::Check> make_server_components_default_check();
std::unique_ptr<engine::Check> make_state_management_check();
std::unique_ptr<engine::Check> make_typescript_strict_check();

// Every nextjs check's factory, sorted by check id.
std::vector<engine::CheckFactory> nextjs_checks();

}  // namespace constable::checks::nextjs

#include "checks/nextjs/nextjs_checks.hpp"

namespace constable::checks::nextjs {

std::vector<engine::CheckFactory> nextjs_checks() {
  // Sorted by check id.
  return {
      &make_app_router_check,                  // nextjs/app-router
      &make_bundle_budget_check,               // nextjs/bundle-budget
      &make_content_security_policy_check,     // nextjs/content-security-policy
      &make_csrf_protection_check,             // nextjs/csrf-protection
      &make_env_exposure_check,                // nextjs/env-exposure
      &make_image_component_check,             // nextjs/image-component
      &make_path_aliases_check,                // nextjs/path-aliases
      &make_rate_limiting_check,               // nextjs/rate-limiting
      &make_server_components_default_check,   // nextjs/server-components-default
      &make_state_management_check,            // nextjs/state-management
      &make_typescript_strict_check,           // nextjs/typescript-strict
  };
}

}  // namespace constable::checks::nextjs

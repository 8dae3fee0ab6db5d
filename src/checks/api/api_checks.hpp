#pragma once
// The API contract checks (domain "api"), one per clause, registered in id
// order. They read OpenAPI 3.x documents (YAML or JSON) and report at the
// path key, the operation key or the response code key that breaks a rule.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::api {

std::unique_ptr<engine::Check> make_error_problem_details_check();
std::unique_ptr<engine::Check> make_etag_caching_check();
std::unique_ptr<engine::Check> make_oauth2_security_check();
std::unique_ptr<engine::Check> make_operation_docs_check();
std::unique_ptr<engine::Check> make_pagination_check();
std::unique_ptr<engine::Check> make_rate_limit_responses_check();
std::unique_ptr<engine::Check> make_resource_naming_check();
std::unique_ptr<engine::Check> make_url_versioning_check();

// Every api check's factory, sorted by check id.
std::vector<engine::CheckFactory> api_checks();

}  // namespace constable::checks::api

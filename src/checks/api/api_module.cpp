#include "checks/api/api_checks.hpp"

namespace constable::checks::api {

std::vector<engine::CheckFactory> api_checks() {
  // Sorted by check id.
  return {
      &make_error_problem_details_check,  // api/error-problem-details
      &make_etag_caching_check,           // api/etag-caching
      &make_oauth2_security_check,        // api/oauth2-security
      &make_operation_docs_check,         // api/operation-docs
      &make_pagination_check,             // api/pagination
      &make_rate_limit_responses_check,   // api/rate-limit-responses
      &make_resource_naming_check,        // api/resource-naming
      &make_url_versioning_check,         // api/url-versioning
  };
}

}  // namespace constable::checks::api

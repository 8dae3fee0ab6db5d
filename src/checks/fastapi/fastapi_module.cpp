#include "checks/fastapi/fastapi_checks.hpp"

namespace constable::checks::fastapi {

std::vector<engine::CheckFactory> fastapi_checks() {
  // Sorted by check id.
  return {
      &make_async_blocking_io_check,            // fastapi/async-blocking-io
      &make_collection_pagination_check,        // fastapi/collection-pagination
      &make_correlation_id_logging_check,       // fastapi/correlation-id-logging
      &make_endpoint_tests_check,               // fastapi/endpoint-tests
      &make_etag_support_check,                 // fastapi/etag-support
      &make_http_methods_check,                 // fastapi/http-methods
      &make_http_status_codes_check,            // fastapi/http-status-codes
      &make_injected_settings_check,            // fastapi/injected-settings
      &make_internal_error_details_check,       // fastapi/internal-error-details
      &make_native_dependency_injection_check,  // fastapi/native-dependency-injection
      &make_operation_docs_check,               // fastapi/operation-docs
      &make_problem_details_handlers_check,     // fastapi/problem-details-handlers
      &make_resource_naming_check,              // fastapi/resource-naming
      &make_session_dependency_check,           // fastapi/session-dependency
      &make_url_versioning_check,               // fastapi/url-versioning
  };
}

}  // namespace constable::checks::fastapi

#include "checks/fastapi/fastapi_checks.hpp"

namespace constable::checks::fastapi {

std::vector<engine::CheckFactory> fastapi_checks() {
  // Sorted by check id.
  return {
      &make_async_blocking_io_check,         // fastapi/async-blocking-io
      &make_collection_pagination_check,     // fastapi/collection-pagination
      &make_correlation_id_logging_check,    // fastapi/correlation-id-logging
      &make_injected_settings_check,         // fastapi/injected-settings
      &make_internal_error_details_check,    // fastapi/internal-error-details
      &make_problem_details_handlers_check,  // fastapi/problem-details-handlers
      &make_session_dependency_check,        // fastapi/session-dependency
  };
}

}  // namespace constable::checks::fastapi

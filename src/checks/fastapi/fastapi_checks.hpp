#pragma once
// The FastAPI checks (domain "fastapi"), one per clause of the constitution's
// FastAPI Backend Standards, registered in id order. They read the Python
// code model (src/code/model.hpp) of repositories that depend on FastAPI:
// routes, their parameters and calls, and the app the code creates.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::fastapi {

std::unique_ptr<engine::Check> make_async_blocking_io_check();
std::unique_ptr<engine::Check> make_collection_pagination_check();
std::unique_ptr<engine::Check> make_correlation_id_logging_check();
std::unique_ptr<engine::Check> make_endpoint_tests_check();
std::unique_ptr<engine::Check> make_etag_support_check();
std::unique_ptr<engine::Check> make_http_methods_check();
std::unique_ptr<engine::Check> make_http_status_codes_check();
std::unique_ptr<engine::Check> make_injected_settings_check();
std::unique_ptr<engine::Check> make_internal_error_details_check();
std::unique_ptr<engine::Check> make_native_dependency_injection_check();
std::unique_ptr<engine::Check> make_operation_docs_check();
std::unique_ptr<engine::Check> make_problem_details_handlers_check();
std::unique_ptr<engine::Check> make_resource_naming_check();
std::unique_ptr<engine::Check> make_session_dependency_check();
std::unique_ptr<engine::Check> make_url_versioning_check();

// Every fastapi check's factory, sorted by check id.
std::vector<engine::CheckFactory> fastapi_checks();

}  // namespace constable::checks::fastapi

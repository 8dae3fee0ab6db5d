#pragma once
// The REST API under /api/v1, documented by docs/api/openapi.yaml (which
// GET /api/v1/openapi.yaml serves):
//   POST /api/v1/checks             files or rendered manifests -> findings (as `check --format json`)
//   GET  /api/v1/clauses            the constitution's clauses, paginated
//   GET  /api/v1/clauses/{id}       one clause, with the checks bound to it
//   GET  /api/v1/checks             the check catalog with each binding, paginated
//   GET  /api/v1/coverage           as `coverage --format json`
// Errors are application/problem+json; cacheable GETs carry an ETag and
// answer 304 to a matching If-None-Match.

#include "serve/http/server.hpp"
#include "serve/snapshot.hpp"

namespace constable::serve {

// Answers a request whose path starts with /api/v1 (404 problem for unknown
// routes, 405 with Allow for a known route and another method).
http::Response handle_api(const http::Request& request, const Snapshot& snapshot, Date today);

}  // namespace constable::serve

#pragma once
// The audit dashboard over HTTP (`constable serve --store URL`): its pages
// at / (index.html, overdue.html, teams/SLUG.html, ...: dashboard/dashboard.hpp)
// and the JSON behind each under /api/v1/audit, documented in
// docs/api/openapi.yaml:
//   GET /api/v1/audit/overview                 fleet totals, by severity, trend, repositories, teams
//   GET /api/v1/audit/overdue                  every overdue violation, most days late first
//   GET /api/v1/audit/clauses                  the clauses with open violations
//   GET /api/v1/audit/clauses/{clause}         which repositories break one, since when
//   GET /api/v1/audit/coverage                 each repository's coverage of the constitution
//   GET /api/v1/audit/teams/{team}             one team
//   GET /api/v1/audit/repositories/{name}      one repository, its violations grouped by clause
// The store is opened for each request (a SQLite connection is cheap, and
// none is shared between the server's threads); a store that cannot be
// opened or read is a 503 problem.

#include <string_view>

#include "core/date.hpp"
#include "serve/http/server.hpp"

namespace constable::serve {

// Whether `path` is one of the dashboard's page paths ("/", "/index.html",
// "/overdue.html", "/repositories/x.html", ...), which handle_dashboard_page answers.
bool is_dashboard_page(std::string_view path);

http::Response handle_dashboard_page(const http::Request& request, std::string_view store_url, Date today);
// A request whose path is /api/v1/audit or under it.
http::Response handle_audit_api(const http::Request& request, std::string_view store_url, Date today);

}  // namespace constable::serve

#pragma once
// The audit dashboard: the store's report (audit/report.hpp) as linked HTML
// pages with inline SVG charts, and the JSON behind each page. The same
// pages are written as static files (`constable audit report --format html
// --output DIR`) and served by `constable serve --store URL`; they load
// nothing from anywhere (no script, font or stylesheet beyond their own
// inline style, which their Content-Security-Policy allows by hash), so they
// work offline and text from the store can never run.
//
// Pages, by path relative to the site's root:
//   index.html                  fleet overview: open and overdue by severity, trend over runs, repositories, teams
//   overdue.html                every overdue violation, most days late first
//   clauses.html                the clauses broken somewhere in the fleet
//   coverage.html               how much of the constitution each repository's run enforced
//   teams/SLUG.html             one team
//   repositories/SLUG.html      one repository: its violations grouped by clause, with file:line
//   clauses/SLUG.html           one clause: which repositories break it, since when

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/report.hpp"

namespace constable::dashboard {

// A name (team, repository, clause id) as a file name and URL path segment:
// letters, digits, '.', '-' and '_' kept, every other byte as ~XX; "" (no
// team, no clause) is "~none"; a long name is shortened and made unique by a
// digest. The same name always gives the same slug.
std::string slug(std::string_view name);

enum class PageKind { overview, overdue, clauses, coverage, team, repository, clause };

struct PageRef {
  PageKind kind = PageKind::overview;
  std::string key;  // the team, repository or clause id (kind team, repository, clause)
  friend bool operator==(const PageRef&, const PageRef&) = default;
};

// "repositories/payments.html" for a repository page, ...
std::string page_path(const PageRef& page);
// The page at `path` ("" and "index.html" are the overview), or nullopt when
// the report has no such page.
std::optional<PageRef> find_page(const audit::AuditReport& report, std::string_view path);
// A team, repository or clause by its name or its slug, as the JSON API's
// paths name them; nullopt when the report has none.
std::optional<PageRef> find_named(const audit::AuditReport& report, PageKind kind, std::string_view name);

// Every page of the report, the overview first.
std::vector<PageRef> all_pages(const audit::AuditReport& report);

std::string render_page(const audit::AuditReport& report, const PageRef& page);
nlohmann::ordered_json page_json(const audit::AuditReport& report, const PageRef& page);

// Writes every page under `directory` (created when missing; pages already
// there are replaced); the number of pages written.
Result<std::size_t> write_site(const audit::AuditReport& report, const std::filesystem::path& directory);

}  // namespace constable::dashboard

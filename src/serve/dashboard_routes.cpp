#include "serve/dashboard_routes.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "audit/report.hpp"
#include "core/digest.hpp"
#include "core/text.hpp"
#include "dashboard/dashboard.hpp"
#include "store/store.hpp"

namespace constable::serve {
namespace {

constexpr std::string_view kApiPrefix = "/api/v1/audit";

// The store as of this request. A SQLite file that does not exist yet is
// refused rather than created: the server only reads.
Result<audit::AuditReport> report_of(std::string_view store_url, Date today) {
  std::string_view file = store_url;
  if (file.starts_with("sqlite://")) file.remove_prefix(std::string_view("sqlite://").size());
  std::error_code ec;
  if (!file.contains("://") && !std::filesystem::exists(std::filesystem::path(file), ec))
    return fail(fmt::format("no audit store at {}: run `constable audit` first", file));
  auto opened = store::open_store(store_url);
  if (!opened) return std::unexpected(opened.error());
  return audit::build_report(**opened, today);
}

http::Response store_unavailable(const Error& error) {
  // The database's own words, but never a password of a URL in them (the
  // store's, or one a driver quotes back).
  const std::string message = error.to_string();
  std::vector<std::string> words;
  for (const auto word : text::split(message, ' '))
    words.push_back(word.find("://") == std::string_view::npos ? std::string(word)
                                                                : text::redact_url(word, /*user_alone_is_secret=*/false));
  http::Response response = http::problem(503, "Audit store unavailable", fmt::format("{}", fmt::join(words, " ")));
  response.headers.emplace_back("Retry-After", "5");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// An ETag of the body: a page changes only when a run changes the store
// (or the day changes lateness).
http::Response cacheable(const http::Request& request, http::Response response) {
  std::string etag = fmt::format("\"{}\"", digest::sha256_hex(response.body).substr(0, 24));
  return http::with_etag(request, std::move(response), std::move(etag), "private, no-cache");
}

}  // namespace

bool is_dashboard_page(std::string_view path) {
  if (path == "/" || path == "/favicon.ico") return true;
  if (!path.starts_with('/') || !path.ends_with(".html")) return false;
  const std::string_view page = path.substr(1);
  return page.find('/') == std::string_view::npos || page.starts_with("teams/") ||
         page.starts_with("repositories/") || page.starts_with("clauses/");
}

http::Response handle_dashboard_page(const http::Request& request, std::string_view store_url, Date today) {
  if (request.method != "GET") return http::method_not_allowed("GET", request.path);
  if (request.path == "/favicon.ico") {
    // Browsers ask for it; the pages have none, and a 404 would be an error in their console.
    http::Response none;
    none.status = 204;
    none.content_type.clear();
    none.headers.emplace_back("Cache-Control", "max-age=86400");
    return none;
  }
  auto report = report_of(store_url, today);
  if (!report) return store_unavailable(report.error());
  const auto page = dashboard::find_page(*report, std::string_view(request.path).substr(1));
  if (!page)
    return http::problem(404, "Not found",
                         fmt::format("no dashboard page {} in the latest audit", text::shorten(request.path, 200)));
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = dashboard::render_page(*report, *page);
  // The page's own meta policy allows its stylesheet; the header adds what a
  // meta element cannot say.
  response.headers.emplace_back("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return cacheable(request, std::move(response));
}

http::Response handle_audit_api(const http::Request& request, std::string_view store_url, Date today) {
  const std::string_view path = request.path;
  if (request.method != "GET") return http::method_not_allowed("GET", path);
  const std::string_view route = path.substr(std::min(path.size(), kApiPrefix.size()));
  struct Named {
    std::string_view prefix;
    dashboard::PageKind kind;
    std::string_view noun;
  };
  std::optional<dashboard::PageKind> kind;
  std::string_view name, noun;
  if (route == "/overview") kind = dashboard::PageKind::overview;
  else if (route == "/overdue") kind = dashboard::PageKind::overdue;
  else if (route == "/clauses") kind = dashboard::PageKind::clauses;
  else if (route == "/coverage") kind = dashboard::PageKind::coverage;
  for (const Named named : {Named{"/teams/", dashboard::PageKind::team, "team"},
                            Named{"/repositories/", dashboard::PageKind::repository, "repository"},
                            Named{"/clauses/", dashboard::PageKind::clause, "clause with open violations"}}) {
    if (!kind && route.starts_with(named.prefix) && route.size() > named.prefix.size()) {
      kind = named.kind;
      name = route.substr(named.prefix.size());
      noun = named.noun;
    }
  }
  if (!kind)
    return http::problem(404, "Not found", fmt::format("no route {} in {}", text::shorten(path, 200), kApiPrefix));
  auto report = report_of(store_url, today);
  if (!report) return store_unavailable(report.error());
  const auto page = dashboard::find_named(*report, *kind, name);
  if (!page)
    return http::problem(404, "Not found",
                         fmt::format("no {} '{}' in the latest audit", noun, text::shorten(name, 200)));
  http::Response response;
  response.body = dashboard::page_json(*report, *page).dump(-1, ' ', false,
                                                            nlohmann::ordered_json::error_handler_t::replace);
  return cacheable(request, std::move(response));
}

}  // namespace constable::serve

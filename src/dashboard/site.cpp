// The dashboard's pages as paths: slugs for names from the store, and which
// page a path names.

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/digest.hpp"
#include "core/text.hpp"
#include "dashboard/dashboard.hpp"
#include "dashboard/markup.hpp"
#include "report/common.hpp"

namespace constable::dashboard {
namespace {

constexpr std::size_t kLongestSlug = 120;  // file names stay far below the usual 255 bytes
constexpr std::string_view kNoName = "~none";

bool kept(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}


// "repositories/payments.html" -> "payments", when `path` is `folder`/SLUG.html.
std::optional<std::string_view> slug_in(std::string_view path, std::string_view folder) {
  if (!path.starts_with(folder) || path.size() <= folder.size() + 6 || path[folder.size()] != '/' ||
      !path.ends_with(".html"))
    return std::nullopt;
  return path.substr(folder.size() + 1, path.size() - folder.size() - 6);
}

}  // namespace

std::string slug(std::string_view name) {
  if (name.empty()) return std::string(kNoName);
  std::string out;
  for (const char c : name) {
    if (kept(c)) out += c;
    else out += fmt::format("~{:02x}", static_cast<unsigned char>(c));
  }
  if (out.size() <= kLongestSlug) return out;
  std::size_t keep = kLongestSlug - 20;
  // Not in the middle of a ~XX.
  if (const auto tilde = out.rfind('~', keep - 1); tilde != std::string::npos && tilde + 3 > keep) keep = tilde;
  return fmt::format("{}~{}", out.substr(0, keep), digest::sha256_hex(name).substr(0, 16));
}

std::string page_path(const PageRef& page) {
  switch (page.kind) {
    case PageKind::overview:
      return "index.html";
    case PageKind::overdue:
      return "overdue.html";
    case PageKind::clauses:
      return "clauses.html";
    case PageKind::coverage:
      return "coverage.html";
    case PageKind::team:
      return fmt::format("teams/{}.html", slug(page.key));
    case PageKind::repository:
      return fmt::format("repositories/{}.html", slug(page.key));
    case PageKind::clause:
      return fmt::format("clauses/{}.html", slug(page.key));
  }
  return "index.html";
}

std::optional<PageRef> find_named(const audit::AuditReport& report, PageKind kind, std::string_view name) {
  const auto matches = [&](const std::string& key) { return key == name || slug(key) == name; };
  switch (kind) {
    case PageKind::team:
      for (const auto& team : report.teams)
        if (matches(team.team)) return PageRef{kind, team.team};
      break;
    case PageKind::repository:
      for (const auto& repository : report.repositories)
        if (matches(repository.name)) return PageRef{kind, repository.name};
      break;
    case PageKind::clause:
      for (const auto& clause : report.clauses)
        if (matches(clause.clause)) return PageRef{kind, clause.clause};
      break;
    default:
      return PageRef{kind, {}};
  }
  return std::nullopt;
}

std::optional<PageRef> find_page(const audit::AuditReport& report, std::string_view path) {
  if (path.empty() || path == "index.html") return PageRef{PageKind::overview, {}};
  if (path == "overdue.html") return PageRef{PageKind::overdue, {}};
  if (path == "clauses.html") return PageRef{PageKind::clauses, {}};
  if (path == "coverage.html") return PageRef{PageKind::coverage, {}};
  // Only slugs name pages: a name with '/' or '..' never reaches a file name.
  if (const auto s = slug_in(path, "teams"))
    for (const auto& team : report.teams)
      if (slug(team.team) == *s) return PageRef{PageKind::team, team.team};
  if (const auto s = slug_in(path, "repositories"))
    for (const auto& repository : report.repositories)
      if (slug(repository.name) == *s) return PageRef{PageKind::repository, repository.name};
  if (const auto s = slug_in(path, "clauses"))
    for (const auto& clause : report.clauses)
      if (slug(clause.clause) == *s) return PageRef{PageKind::clause, clause.clause};
  return std::nullopt;
}

std::vector<PageRef> all_pages(const audit::AuditReport& report) {
  std::vector<PageRef> pages{{PageKind::overview, {}},
                             {PageKind::overdue, {}},
                             {PageKind::clauses, {}},
                             {PageKind::coverage, {}}};
  for (const auto& team : report.teams) pages.push_back({PageKind::team, team.team});
  for (const auto& repository : report.repositories) pages.push_back({PageKind::repository, repository.name});
  for (const auto& clause : report.clauses) pages.push_back({PageKind::clause, clause.clause});
  return pages;
}

Result<std::size_t> write_site(const audit::AuditReport& report, const std::filesystem::path& directory) {
  std::size_t written = 0;
  for (const PageRef& page : all_pages(report)) {
    const std::filesystem::path file = directory / page_path(page);
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return fail(fmt::format("cannot create the directory: {}", ec.message()), file.parent_path().string());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << render_page(report, page);
    out.close();
    if (!out) return fail(fmt::format("cannot write the page: {}", std::strerror(errno)), file.string());
    ++written;
  }
  return written;
}

std::string escape(std::string_view text) { return report::detail::html_escape(text); }

std::string csp_hash(std::string_view block) { return report::detail::csp_hash(block); }

}  // namespace constable::dashboard

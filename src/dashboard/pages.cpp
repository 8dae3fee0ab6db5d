// The dashboard's HTML pages. Every string from the store goes through
// escape(); every figure a reader would compare carries data-metric (and its
// table row data-row), which the browser test reads to compare with the
// store. Links are relative, so the pages work as files and when served.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "dashboard/dashboard.hpp"
#include "dashboard/markup.hpp"

namespace constable::dashboard {
namespace {

// Beyond this many rows the overdue page says how many more there are; the
// JSON lists them all.
constexpr std::size_t kOverdueRows = 2000;

constexpr std::string_view kStyle = R"CSS(
:root { color-scheme: light dark; --critical: #b3261e; --high: #d9480f; --medium: #a86400; --low: #1769aa; --muted: #6b6b6b; --line: #8886; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 76rem; padding: 0.5rem 1.5rem 3rem; }
code { font-family: ui-monospace, monospace; font-size: 0.92em; }
nav { display: flex; gap: 1.2rem; padding: 0.6rem 0; border-bottom: 1px solid var(--line); }
nav a { text-decoration: none; font-weight: 600; }
nav a[aria-current] { text-decoration: underline; }
h1 { margin: 1rem 0 0.2rem; overflow-wrap: anywhere; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.4rem 0 0.4rem; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem; min-width: 7rem; }
.card .figure { display: block; font-size: 1.8rem; font-weight: 700; }
.card .caption { color: var(--muted); }
.card.alert .figure { color: var(--critical); }
table { border-collapse: collapse; margin: 0.6rem 0; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
td { overflow-wrap: break-word; }
td code { overflow-wrap: anywhere; }  /* a long path must not push the message off the page */
table.overdue { table-layout: fixed; }
table.overdue th:nth-child(1) { width: 4rem; } table.overdue th:nth-child(2) { width: 10%; }
table.overdue th:nth-child(3) { width: 17%; } table.overdue th:nth-child(4) { width: 5rem; }
table.overdue th:nth-child(5) { width: 17%; } table.overdue th:nth-child(6) { width: 6.5rem; }
td.message { min-width: 16rem; }
td.date, td.status { white-space: nowrap; }
table.overdue, .clause table { width: 100%; }
.clause-of { display: block; font-size: 0.85em; color: var(--muted); }
.late { color: var(--critical); font-weight: 600; }
.sev { font-weight: 600; }
.sev.critical { color: var(--critical); } .sev.high { color: var(--high); } .sev.medium { color: var(--medium); } .sev.low { color: var(--low); }
.error { color: var(--critical); }
svg text { font: 12px system-ui, sans-serif; fill: currentColor; }
svg .axis { fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
.sev-critical { fill: var(--critical); } .sev-high { fill: var(--high); } .sev-medium { fill: var(--medium); } .sev-low { fill: var(--low); }
.open-bar { opacity: 0.45; }
.overdue-line { fill: none; stroke: currentColor; stroke-width: 2; }
.overdue-point { fill: currentColor; }
.sparkline polyline { fill: none; stroke: currentColor; stroke-width: 1.5; }
.meter-back { fill: var(--line); } .meter-fill { fill: var(--low); }
.legend { display: flex; gap: 1rem; color: var(--muted); margin: 0.2rem 0 0.8rem; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -1px; }
.swatch.critical { background: var(--critical); } .swatch.high { background: var(--high); } .swatch.medium { background: var(--medium); } .swatch.low { background: var(--low); }
.swatch.overdue { background: currentColor; height: 2px; vertical-align: 3px; }
)CSS";

using audit::days_between;

// Escaped, with a line break allowed after each '/' of a path or clause id.
std::string breakable(std::string_view text) {
  std::string out;
  for (const char c : escape(text)) {
    out += c;
    if (c == '/') out += "<wbr>";
  }
  return out;
}

std::string team_name(std::string_view team) { return team.empty() ? std::string("(no team)") : std::string(team); }
std::string clause_name(std::string_view clause) { return clause.empty() ? std::string("(no clause)") : std::string(clause); }

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// A figure the browser test reads: data-metric names it.
std::string metric(std::string_view name, auto value) {
  return fmt::format("<span data-metric=\"{}\">{}</span>", name, value);
}

std::string number_cell(std::string_view name, std::size_t value) {
  return fmt::format("<td class=\"number\" data-metric=\"{}\">{}</td>", name, value);
}

std::string card(std::string_view name, std::size_t value, std::string_view caption, bool alert = false) {
  return fmt::format("<div class=\"card{}\"><span class=\"figure\" data-metric=\"{}\">{}</span><span "
                     "class=\"caption\">{}</span></div>\n",
                     alert && value > 0 ? " alert" : "", name, value, caption);
}

std::string coverage_text(const audit::RepositoryStatus& r) {
  if (r.clauses == 0) return "-";
  return fmt::format("{}/{}", r.clauses_enforced + r.clauses_attested, r.clauses);
}

// Links between pages, relative to the page being written.
class Links {
 public:
  explicit Links(const audit::AuditReport& report, bool nested) : report_(report), up_(nested ? "../" : "") {}
  std::string root(std::string_view page) const { return fmt::format("{}{}", up_, page); }
  std::string to(const PageRef& page) const { return root(page_path(page)); }
  std::string repository(std::string_view name) const {
    return fmt::format("<a href=\"{}\">{}</a>", escape(to({PageKind::repository, std::string(name)})), escape(name));
  }
  std::string team(std::string_view team) const {
    return fmt::format("<a href=\"{}\">{}</a>", escape(to({PageKind::team, std::string(team)})),
                       escape(team_name(team)));
  }
  // A clause has a page while it has open violations; a waived-only one is plain text.
  std::string clause(std::string_view clause) const {
    const bool has_page = std::any_of(report_.clauses.begin(), report_.clauses.end(),
                                      [&](const audit::ClauseStatus& c) { return c.clause == clause; });
    if (!has_page) return fmt::format("<code>{}</code>", breakable(clause_name(clause)));
    return fmt::format("<a href=\"{}\"><code>{}</code></a>", escape(to({PageKind::clause, std::string(clause)})),
                       breakable(clause_name(clause)));
  }

 private:
  const audit::AuditReport& report_;
  std::string up_;
};

std::string severity_cell(Severity severity) {
  return fmt::format("<td class=\"sev {0}\">{0}</td>", to_string(severity));
}

// Percent-encodes a path for a URL, keeping its slashes.
std::string url_path(std::string_view path) {
  std::string out;
  for (const char c : path) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                       c == '.' || c == '-' || c == '_' || c == '~';
    out += plain ? std::string(1, c) : fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

// file:line, linked to the line at the audited commit when the repository
// was cloned from an https URL (GitHub, GitLab and Gitea all answer
// /blob/COMMIT/PATH); a URL with credentials in it is never shown.
std::string location(const audit::RepositoryStatus* repository, const store::Violation& v) {
  const std::string text = v.line > 0 ? fmt::format("{}:{}", v.path, v.line) : v.path;
  if (repository == nullptr || !repository->source.starts_with("https://") || repository->commit.empty() ||
      v.path.empty())
    return fmt::format("<code>{}</code>", breakable(text));
  std::string_view base = repository->source;
  const std::string_view authority = base.substr(8, base.find('/', 8) - 8);
  if (authority.find('@') != std::string_view::npos || base.find_first_of("?#") != std::string_view::npos)
    return fmt::format("<code>{}</code>", breakable(text));
  if (base.ends_with(".git")) base.remove_suffix(4);
  while (base.ends_with('/')) base.remove_suffix(1);
  const std::string url = fmt::format("{}/blob/{}/{}{}", base, url_path(repository->commit), url_path(v.path),
                                      v.line > 0 ? fmt::format("#L{}", v.line) : std::string());
  return fmt::format("<a href=\"{}\"><code>{}</code></a>", escape(url), breakable(text));
}

std::string status_text(const store::Violation& v, Date today) {
  if (v.status == store::Status::waived)
    return fmt::format("waived by {}{}", escape(v.waiver_owner.empty() ? "?" : v.waiver_owner),
                       v.waiver_expires ? " until " + v.waiver_expires->to_string() : std::string());
  if (v.overdue(today)) {
    const long late = days_between(v.due, today);
    return fmt::format("<span class=\"late\">{} day{} late</span>", late, late == 1 ? "" : "s");
  }
  if (v.transition_until && today < *v.transition_until)
    return fmt::format("warning until {}", v.transition_until->to_string());
  return "open";
}

class PageWriter {
 public:
  PageWriter(const audit::AuditReport& report, const PageRef& page)
      : report_(report),
        page_(page),
        links_(report, page.kind == PageKind::team || page.kind == PageKind::repository || page.kind == PageKind::clause) {}

  std::string write() {
    std::string body;
    std::string title;
    if (!report_.latest) {
      title = "Constitution audit";
      body = "<p>No audit recorded yet: run <code>constable audit SOURCES...</code> first.</p>\n";
    } else {
      switch (page_.kind) {
        case PageKind::overview: title = "Constitution audit"; body = overview(); break;
        case PageKind::overdue: title = "Overdue violations"; body = overdue_page(); break;
        case PageKind::clauses: title = "Clauses broken in the fleet"; body = clauses_page(); break;
        case PageKind::coverage: title = "Coverage of the constitution"; body = coverage_page(); break;
        case PageKind::team: title = "Team " + team_name(page_.key); body = team_page(); break;
        case PageKind::repository: title = "Repository " + page_.key; body = repository_page(); break;
        case PageKind::clause: title = "Clause " + clause_name(page_.key); body = clause_page(); break;
      }
    }
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // Nothing may load from anywhere, not even from the page's own origin:
    // the page is complete as it is.
    out += fmt::format(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; base-uri 'none'; "
        "form-action 'none'\">\n",
        csp_hash(kStyle));
    out += fmt::format("<title>{} · constable</title>\n<style>{}</style>\n</head>\n<body>\n", escape(title), kStyle);
    out += "<nav>";
    for (const auto& [kind, label] : {std::pair{PageKind::overview, "Overview"}, std::pair{PageKind::overdue, "Overdue"},
                                      std::pair{PageKind::clauses, "Clauses"}, std::pair{PageKind::coverage, "Coverage"}})
      out += fmt::format("<a href=\"{}\"{}>{}</a>", links_.to({kind, {}}),
                         kind == page_.kind ? " aria-current=\"page\"" : "", label);
    out += fmt::format("</nav>\n<header>\n<h1>{}</h1>\n", escape(title));
    if (report_.latest) {
      const store::Run& run = *report_.latest;
      out += fmt::format(
          "<p class=\"meta\">Run {} on {} ({}) · constitution <code>{}</code>{} · as of {}</p>\n", metric("run", run.id),
          run.run_date.to_string(), plural(report_.runs, "run stored", "runs stored"), escape(run.constitution_path),
          run.constitution_version.empty() ? std::string() : " " + escape(run.constitution_version),
          report_.today.to_string());
    }
    out += "</header>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    return out;
  }

 private:
  const audit::RepositoryStatus* repository_named(std::string_view name) const {
    for (const auto& r : report_.repositories)
      if (r.name == name) return &r;
    return nullptr;
  }

  std::string repositories_table(const std::vector<const audit::RepositoryStatus*>& rows) const {
    std::string out =
        "<table class=\"repositories\">\n<tr><th>Repository</th><th>Team</th><th class=\"number\">Open</th><th "
        "class=\"number\">Overdue</th><th class=\"number\">New</th><th class=\"number\">Fixed</th><th>Coverage</th>"
        "<th>Open over the last runs</th></tr>\n";
    for (const auto* r : rows) {
      out += fmt::format("<tr data-row=\"repository:{}\"><td>{}</td><td>{}</td>", escape(r->name),
                         links_.repository(r->name), links_.team(r->team));
      if (!r->error.empty()) {
        out += fmt::format("<td colspan=\"6\" class=\"error\">not audited: {}</td></tr>\n", escape(r->error));
        continue;
      }
      out += number_cell("open", r->open) + number_cell("overdue", r->overdue) +
             number_cell("new", r->new_since_last) + number_cell("fixed", r->fixed_since_last);
      out += fmt::format("<td>{}</td><td>{}</td></tr>\n", coverage_text(*r), sparkline(r->trend));
    }
    return out + "</table>\n";
  }

  std::string overdue_table(const std::vector<const store::Violation*>& rows, std::size_t limit) const {
    std::string out =
        "<table class=\"overdue\">\n<tr><th class=\"number\">Days late</th><th>Repository</th><th>Location</th>"
        "<th>Severity</th><th>Check and clause</th><th>Due</th><th>Message</th></tr>\n";
    for (std::size_t i = 0; i < std::min(limit, rows.size()); ++i) {
      const store::Violation& v = *rows[i];
      out += fmt::format("<tr class=\"violation\">{}<td>{}</td><td>{}</td>{}<td><code>{}</code><span "
                         "class=\"clause-of\">{}</span></td><td class=\"date\">{}</td><td class=\"message\">{}</td></tr>\n",
                         number_cell("days_late", static_cast<std::size_t>(days_between(v.due, report_.today))),
                         links_.repository(v.repository), location(repository_named(v.repository), v),
                         severity_cell(v.severity), breakable(v.check_id), links_.clause(v.clause_id), v.due.to_string(),
                         escape(v.message));
    }
    out += "</table>\n";
    if (rows.size() > limit)
      out += fmt::format("<p>And {} more: the JSON (<code>/api/v1/audit/overdue</code>, or <code>constable audit "
                         "report --format json</code>) lists them all.</p>\n",
                         rows.size() - limit);
    return out;
  }

  std::string overview() const {
    const audit::FleetTotals totals = audit::fleet_totals(report_);
    std::string out = "<section class=\"cards\">\n";
    out += card("repositories", report_.repositories.size(), "repositories");
    out += card("open", totals.open, "open violations");
    out += card("overdue", totals.overdue, "overdue", true);
    out += card("new", totals.new_since_last, "new since the last run");
    out += card("fixed", totals.fixed_since_last, "fixed since the last run");
    out += card("waived", totals.waived, "waived");
    out += "</section>\n";
    if (totals.in_transition > 0)
      out += fmt::format("<p>{} of the open violations are deprecation warnings: their clauses are in their transition "
                         "period; the first becomes a violation on {}.</p>\n",
                         totals.in_transition, totals.first_transition_end->to_string());

    out += "<h2>Open and overdue by severity</h2>\n<table class=\"severities\">\n<tr><th>Severity</th><th "
           "class=\"number\">Open</th><th class=\"number\">Overdue</th></tr>\n";
    for (std::size_t s = 0; s < 4; ++s)
      out += fmt::format("<tr data-row=\"severity:{0}\"><td class=\"sev {0}\">{0}</td>{1}{2}</tr>\n",
                         to_string(kAllSeverities[s]), number_cell("open", totals.open_by_severity[s]),
                         number_cell("overdue", totals.overdue_by_severity[s]));
    out += "</table>\n" + severity_chart(totals.open_by_severity, totals.overdue_by_severity) + "\n";

    out += fmt::format("<h2>Trend over the last {}</h2>\n", plural(report_.fleet_trend.size(), "run", "runs"));
    out += "<div class=\"legend\"><span><span class=\"swatch critical\"></span>critical</span><span><span "
           "class=\"swatch high\"></span>high</span><span><span class=\"swatch medium\"></span>medium</span><span>"
           "<span class=\"swatch low\"></span>low</span><span><span class=\"swatch overdue\"></span>overdue</span>"
           "</div>\n";
    out += trend_chart(report_.fleet_trend) + "\n";

    out += "<h2>Repositories</h2>\n";
    std::vector<const audit::RepositoryStatus*> rows;
    for (const auto& r : report_.repositories) rows.push_back(&r);
    out += repositories_table(rows);

    out += "<h2>Teams</h2>\n<table class=\"teams\">\n<tr><th>Team</th><th class=\"number\">Repositories</th><th "
           "class=\"number\">Open</th><th class=\"number\">Overdue</th><th class=\"number\">New</th><th "
           "class=\"number\">Fixed</th></tr>\n";
    for (const auto& t : report_.teams)
      out += fmt::format("<tr data-row=\"team:{}\"><td>{}</td>{}{}{}{}{}</tr>\n", escape(t.team), links_.team(t.team),
                         number_cell("repositories", t.repositories), number_cell("open", t.open),
                         number_cell("overdue", t.overdue), number_cell("new", t.new_since_last),
                         number_cell("fixed", t.fixed_since_last));
    out += "</table>\n";

    out += "<h2>Mean time to remediate</h2>\n<table class=\"remediation\">\n<tr><th>Severity</th><th "
           "class=\"number\">Fixed</th><th class=\"number\">Mean days</th></tr>\n";
    for (std::size_t s = 0; s < 4; ++s) {
      const audit::Remediation& r = report_.remediation[s];
      out += fmt::format("<tr data-row=\"remediation:{0}\"><td class=\"sev {0}\">{0}</td>{1}<td class=\"number\">{2}"
                         "</td></tr>\n",
                         to_string(kAllSeverities[s]), number_cell("fixed", r.fixed),
                         r.fixed > 0 ? fmt::format("{:.1f}", r.mean_days) : std::string("-"));
    }
    out += "</table>\n";
    if (!report_.overdue.empty())
      out += fmt::format("<p><a href=\"{}\">All {} overdue violations, most days late first</a></p>\n",
                         links_.root("overdue.html"), report_.overdue.size());
    return out;
  }

  std::string team_page() const {
    const audit::TeamStatus* team = nullptr;
    for (const auto& t : report_.teams)
      if (t.team == page_.key) team = &t;
    if (team == nullptr) return "<p>No such team.</p>\n";
    std::string out = "<section class=\"cards\">\n";
    out += card("repositories", team->repositories, "repositories");
    out += card("open", team->open, "open violations");
    out += card("overdue", team->overdue, "overdue", true);
    out += card("new", team->new_since_last, "new since the last run");
    out += card("fixed", team->fixed_since_last, "fixed since the last run");
    out += "</section>\n<h2>Repositories</h2>\n";
    std::vector<const audit::RepositoryStatus*> rows;
    for (const auto& r : report_.repositories)
      if (r.team == page_.key) rows.push_back(&r);
    out += repositories_table(rows);
    std::vector<const store::Violation*> late;
    for (const auto& v : report_.overdue) {
      const auto* r = repository_named(v.repository);
      if (r != nullptr && r->team == page_.key) late.push_back(&v);
    }
    out += fmt::format("<h2>Overdue ({})</h2>\n", late.size());
    out += late.empty() ? "<p>Nothing overdue.</p>\n" : overdue_table(late, kOverdueRows);
    return out;
  }

  std::string repository_page() const {
    const audit::RepositoryStatus* r = repository_named(page_.key);
    if (r == nullptr) return "<p>No such repository.</p>\n";
    std::string out = fmt::format("<p class=\"meta\">Team {} · commit <code>{}</code> · last audited in run {}</p>\n",
                                  links_.team(r->team), escape(r->commit.empty() ? "-" : r->commit.substr(0, 12)),
                                  r->last_run);
    if (!r->error.empty()) out += fmt::format("<p class=\"error\">Not audited: {}</p>\n", escape(r->error));
    out += "<section class=\"cards\">\n";
    out += card("open", r->open, "open violations");
    out += card("overdue", r->overdue, "overdue", true);
    out += card("waived", r->waived, "waived");
    out += card("new", r->new_since_last, "new since the last run");
    out += card("fixed", r->fixed_since_last, "fixed since the last run");
    out += fmt::format("<div class=\"card\"><span class=\"figure\" data-metric=\"coverage\">{}</span><span "
                       "class=\"caption\">clauses enforced</span></div>\n",
                       coverage_text(*r));
    out += "</section>\n";
    if (!r->trend.empty())
      out += fmt::format("<p>Open over its last runs: {} {}</p>\n", sparkline(r->trend),
                         escape(fmt::format("{}", fmt::join(r->trend, " "))));
    out += "<h2>Violations by clause</h2>\n";
    if (r->violations.empty()) return out + "<p>No open violation.</p>\n";
    std::size_t i = 0;
    while (i < r->violations.size()) {
      const std::string& clause = r->violations[i].clause_id;
      std::size_t end = i;
      while (end < r->violations.size() && r->violations[end].clause_id == clause) ++end;
      out += fmt::format("<section class=\"clause\" data-row=\"clause:{}\">\n<h3>{} <span class=\"meta\">({})</span>"
                         "</h3>\n",
                         escape(clause), links_.clause(clause), metric("violations", end - i));
      out += "<table>\n<tr><th>Severity</th><th>Location</th><th>Check</th><th>Message</th><th>First seen</th>"
             "<th>Due</th><th>Status</th></tr>\n";
      for (; i < end; ++i) {
        const store::Violation& v = r->violations[i];
        out += fmt::format("<tr class=\"violation\">{}<td>{}</td><td><code>{}</code></td><td class=\"message\">{}</td>"
                           "<td class=\"date\">{} (run {})</td><td class=\"date\">{}</td><td class=\"status\">{}</td></tr>\n",
                           severity_cell(v.severity), location(r, v), breakable(v.check_id), escape(v.message),
                           v.first_seen.to_string(), v.first_seen_run, v.due.to_string(),
                           status_text(v, report_.today));
      }
      out += "</table>\n</section>\n";
    }
    return out;
  }

  std::string clauses_page() const {
    if (report_.clauses.empty()) return "<p>No clause has an open violation.</p>\n";
    std::string out = fmt::format("<p>{} broken in {}.</p>\n",
                                  metric("clauses", report_.clauses.size()) +
                                      (report_.clauses.size() == 1 ? " clause is" : " clauses are"),
                                  plural(report_.repositories.size(), "repository", "repositories"));
    out += "<table class=\"clauses\">\n<tr><th>Clause</th><th>Severity</th><th>Checks</th><th "
           "class=\"number\">Repositories</th><th class=\"number\">Open</th><th class=\"number\">Overdue</th><th>Since"
           "</th></tr>\n";
    for (const auto& c : report_.clauses) {
      std::vector<std::string> checks;
      for (const auto& check : c.checks) checks.push_back(fmt::format("<code>{}</code>", escape(check)));
      const Date since = c.repositories.empty() ? report_.today : c.repositories.front().since;
      out += fmt::format("<tr data-row=\"clause:{}\"><td>{}</td>{}<td>{}</td>{}{}{}<td>{}</td></tr>\n",
                         escape(c.clause), links_.clause(c.clause), severity_cell(c.severity),
                         fmt::join(checks, ", "), number_cell("repositories", c.repositories.size()),
                         number_cell("open", c.open), number_cell("overdue", c.overdue), since.to_string());
    }
    return out + "</table>\n";
  }

  std::string clause_page() const {
    const audit::ClauseStatus* clause = nullptr;
    for (const auto& c : report_.clauses)
      if (c.clause == page_.key) clause = &c;
    if (clause == nullptr) return "<p>No open violation of this clause.</p>\n";
    std::vector<std::string> checks;
    for (const auto& check : clause->checks) checks.push_back(fmt::format("<code>{}</code>", escape(check)));
    std::string out = fmt::format("<p class=\"meta\">Found by {} · most severe: <span class=\"sev {}\">{}</span></p>\n",
                                  fmt::join(checks, ", "), to_string(clause->severity), to_string(clause->severity));
    out += "<section class=\"cards\">\n";
    out += card("repositories", clause->repositories.size(), "repositories break it");
    out += card("open", clause->open, "open violations");
    out += card("overdue", clause->overdue, "overdue", true);
    out += "</section>\n<h2>Which repositories break it, since when</h2>\n";
    out += "<table class=\"breaches\">\n<tr><th>Repository</th><th>Team</th><th class=\"number\">Open</th><th "
           "class=\"number\">Overdue</th><th>Since</th></tr>\n";
    for (const auto& b : clause->repositories)
      out += fmt::format("<tr data-row=\"repository:{}\"><td>{}</td><td>{}</td>{}{}<td data-metric=\"since\">{}</td>"
                         "</tr>\n",
                         escape(b.repository), links_.repository(b.repository), links_.team(b.team),
                         number_cell("open", b.open), number_cell("overdue", b.overdue), b.since.to_string());
    return out + "</table>\n";
  }

  std::string overdue_page() const {
    std::string out = fmt::format("<p>{} overdue, most days late first.</p>\n",
                                  metric("overdue", report_.overdue.size()));
    if (report_.overdue.empty()) return out;
    std::vector<const store::Violation*> rows;
    for (const auto& v : report_.overdue) rows.push_back(&v);
    return out + overdue_table(rows, kOverdueRows);
  }

  std::string coverage_page() const {
    std::string out =
        "<p>How many of the constitution's clauses each repository's latest run enforced with a check or an "
        "attestation.</p>\n<table class=\"coverage\">\n<tr><th>Repository</th><th>Team</th><th "
        "class=\"number\">Clauses</th><th class=\"number\">Enforced</th><th class=\"number\">Attested</th><th>Covered"
        "</th></tr>\n";
    for (const auto& r : report_.repositories) {
      out += fmt::format("<tr data-row=\"repository:{}\"><td>{}</td><td>{}</td>", escape(r.name),
                         links_.repository(r.name), links_.team(r.team));
      if (!r.error.empty()) {
        out += fmt::format("<td colspan=\"4\" class=\"error\">not audited: {}</td></tr>\n", escape(r.error));
        continue;
      }
      const std::size_t covered = r.clauses_enforced + r.clauses_attested;
      out += number_cell("clauses", r.clauses) + number_cell("enforced", r.clauses_enforced) +
             number_cell("attested", r.clauses_attested);
      out += fmt::format("<td>{} {}%</td></tr>\n", meter(covered, r.clauses),
                         r.clauses == 0 ? 0 : (covered * 100 + r.clauses / 2) / r.clauses);
    }
    return out + "</table>\n";
  }

  const audit::AuditReport& report_;
  const PageRef& page_;
  Links links_;
};

}  // namespace

std::string render_page(const audit::AuditReport& report, const PageRef& page) {
  return PageWriter(report, page).write();
}

}  // namespace constable::dashboard

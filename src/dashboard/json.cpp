// The JSON behind each dashboard page (GET /api/v1/audit/...): the same
// figures the page shows, from the same report, with each page's path so a
// client can link to it.

#include <fmt/format.h>

#include "dashboard/dashboard.hpp"

namespace constable::dashboard {
namespace {

using Json = nlohmann::ordered_json;

using audit::days_between;
using audit::violation_json;


Json by_severity(const std::array<std::size_t, 4>& counts) {
  Json out = Json::object();
  for (const Severity s : kAllSeverities) out[std::string(to_string(s))] = counts[static_cast<std::size_t>(s)];
  return out;
}

Json repository_row(const audit::RepositoryStatus& r) {
  return {{"name", r.name},
          {"page", page_path({PageKind::repository, r.name})},
          {"team", r.team},
          {"commit", r.commit},
          {"error", r.error},
          {"last_run", r.last_run},
          {"open", r.open},
          {"overdue", r.overdue},
          {"waived", r.waived},
          {"new_since_last_run", r.new_since_last},
          {"fixed_since_last_run", r.fixed_since_last},
          {"open_by_severity", by_severity(r.open_by_severity)},
          {"coverage", {{"clauses", r.clauses}, {"enforced", r.clauses_enforced}, {"attested", r.clauses_attested}}},
          {"trend", r.trend}};
}

Json team_row(const audit::TeamStatus& t) {
  return {{"team", t.team},
          {"page", page_path({PageKind::team, t.team})},
          {"repositories", t.repositories},
          {"open", t.open},
          {"overdue", t.overdue},
          {"new_since_last_run", t.new_since_last},
          {"fixed_since_last_run", t.fixed_since_last}};
}

Json clause_row(const audit::ClauseStatus& c) {
  return {{"clause", c.clause},
          {"page", page_path({PageKind::clause, c.clause})},
          {"severity", std::string(to_string(c.severity))},
          {"checks", c.checks},
          {"repositories", c.repositories.size()},
          {"open", c.open},
          {"overdue", c.overdue},
          {"since", c.repositories.empty() ? Json(nullptr) : Json(c.repositories.front().since.to_string())}};
}

Json overview(const audit::AuditReport& report) {
  Json doc;
  const audit::FleetTotals totals = audit::fleet_totals(report);
  doc["totals"] = {{"repositories", report.repositories.size()},
                   {"open", totals.open},
                   {"overdue", totals.overdue},
                   {"new_since_last_run", totals.new_since_last},
                   {"fixed_since_last_run", totals.fixed_since_last},
                   {"waived", totals.waived}};
  doc["open_by_severity"] = by_severity(totals.open_by_severity);
  doc["overdue_by_severity"] = by_severity(totals.overdue_by_severity);
  Json trend = Json::array();
  for (const auto& point : report.fleet_trend)
    trend.push_back({{"run", point.run},
                     {"date", point.date.to_string()},
                     {"open", point.open},
                     {"overdue", point.overdue},
                     {"open_by_severity", by_severity(point.open_by_severity)}});
  doc["trend"] = std::move(trend);
  doc["repositories"] = Json::array();
  for (const auto& r : report.repositories) doc["repositories"].push_back(repository_row(r));
  doc["teams"] = Json::array();
  for (const auto& t : report.teams) doc["teams"].push_back(team_row(t));
  Json remediation = Json::object();
  for (const Severity s : kAllSeverities) {
    const audit::Remediation& r = report.remediation[static_cast<std::size_t>(s)];
    remediation[std::string(to_string(s))] = {{"fixed", r.fixed},
                                              {"mean_days", r.fixed > 0 ? Json(r.mean_days) : Json(nullptr)}};
  }
  doc["mean_time_to_remediate"] = std::move(remediation);
  return doc;
}

}  // namespace

nlohmann::ordered_json page_json(const audit::AuditReport& report, const PageRef& page) {
  Json doc = {{"page", page_path(page)}, {"today", report.today.to_string()}, {"runs", report.runs}};
  if (report.latest)
    doc["latest_run"] = {{"id", report.latest->id},
                         {"run_date", report.latest->run_date.to_string()},
                         {"finished", report.latest->finished},
                         {"constitution",
                          {{"path", report.latest->constitution_path},
                           {"version", report.latest->constitution_version},
                           {"sha256", report.latest->constitution_sha256}}}};
  else
    doc["latest_run"] = nullptr;
  switch (page.kind) {
    case PageKind::overview:
      doc.update(overview(report));
      break;
    case PageKind::overdue:
      doc["total"] = report.overdue.size();
      doc["items"] = Json::array();
      for (const auto& v : report.overdue) doc["items"].push_back(violation_json(v, report.today));
      break;
    case PageKind::clauses:
      doc["clauses"] = Json::array();
      for (const auto& c : report.clauses) doc["clauses"].push_back(clause_row(c));
      break;
    case PageKind::coverage:
      doc["repositories"] = Json::array();
      for (const auto& r : report.repositories)
        doc["repositories"].push_back({{"name", r.name},
                                       {"page", page_path({PageKind::repository, r.name})},
                                       {"team", r.team},
                                       {"error", r.error},
                                       {"clauses", r.clauses},
                                       {"enforced", r.clauses_enforced},
                                       {"attested", r.clauses_attested}});
      break;
    case PageKind::team:
      for (const auto& t : report.teams)
        if (t.team == page.key) doc.update(team_row(t));
      doc["page"] = page_path(page);
      doc["repositories_of_team"] = Json::array();
      doc["overdue"] = Json::array();
      for (const auto& r : report.repositories)
        if (r.team == page.key) doc["repositories_of_team"].push_back(repository_row(r));
      for (const auto& v : report.overdue)
        for (const auto& r : report.repositories)
          if (r.name == v.repository && r.team == page.key) doc["overdue"].push_back(violation_json(v, report.today));
      break;
    case PageKind::repository:
      for (const auto& r : report.repositories) {
        if (r.name != page.key) continue;
        doc.update(repository_row(r));
        Json clauses = Json::array();
        for (const auto& v : r.violations) {
          if (clauses.empty() || clauses.back()["clause"] != v.clause_id)
            clauses.push_back({{"clause", v.clause_id}, {"violations", Json::array()}});
          clauses.back()["violations"].push_back(violation_json(v, report.today));
        }
        doc["clauses"] = std::move(clauses);
      }
      break;
    case PageKind::clause:
      for (const auto& c : report.clauses) {
        if (c.clause != page.key) continue;
        doc.update(clause_row(c));
        Json breaches = Json::array();
        for (const auto& b : c.repositories)
          breaches.push_back({{"repository", b.repository},
                              {"page", page_path({PageKind::repository, b.repository})},
                              {"team", b.team},
                              {"open", b.open},
                              {"overdue", b.overdue},
                              {"since", b.since.to_string()},
                              {"since_run", b.since_run}});
        doc["broken_by"] = std::move(breaches);
      }
      break;
  }
  return doc;
}

}  // namespace constable::dashboard

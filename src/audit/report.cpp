#include "audit/report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace constable::audit {

namespace {

// Text and Markdown list this many overdue violations; JSON lists them all.
constexpr std::size_t kOverdueListed = 25;

bool wanted(const ReportFilter& filter, std::string_view repository, std::string_view team) {
  return (!filter.repository || *filter.repository == repository) && (!filter.team || *filter.team == team);
}

// Open after run `run`: first seen by then and not fixed (or closed) by then.
bool open_after(const store::Violation& v, std::int64_t run) {
  return v.first_seen_run <= run && (v.fixed_run == 0 || v.fixed_run > run) && v.status != store::Status::waived;
}

std::string coverage_cell(const RepositoryStatus& r) {
  if (r.clauses == 0) return "-";
  return fmt::format("{}/{}", r.clauses_enforced + r.clauses_attested, r.clauses);
}

std::string trend_cell(const RepositoryStatus& r) {
  std::vector<std::string> parts;
  for (const std::size_t n : r.trend) parts.push_back(std::to_string(n));
  return parts.empty() ? std::string("-") : fmt::format("{}", fmt::join(parts, " "));
}

std::string late_text(const store::Violation& v, Date today) {
  const long late = days_between(v.due, today);
  return fmt::format("due {}, {} day{} late", v.due.to_string(), late, late == 1 ? "" : "s");
}

std::string heading(const AuditReport& report) {
  const store::Run& run = *report.latest;
  std::size_t errors = 0;
  for (const auto& r : report.repositories) errors += r.error.empty() ? 0 : 1;
  return fmt::format("run {} on {} ({} run{} stored), constitution {}{}, {} repositor{}{}", run.id,
                     run.run_date.to_string(), report.runs, report.runs == 1 ? "" : "s", run.constitution_path,
                     run.constitution_version.empty() ? std::string() : " " + run.constitution_version,
                     report.repositories.size(), report.repositories.size() == 1 ? "y" : "ies",
                     errors > 0 ? fmt::format(" ({} could not be audited)", errors) : std::string());
}

}  // namespace

Result<AuditReport> build_report(store::Store& store, Date today, const ReportFilter& filter) {
  AuditReport report;
  report.today = today;
  auto runs = store.runs();
  if (!runs) return std::unexpected(runs.error());
  report.runs = runs->size();
  if (runs->empty()) return report;
  report.latest = runs->back();
  auto audited = store.repository_runs();
  if (!audited) return std::unexpected(audited.error());
  auto violations = store.all_violations();
  if (!violations) return std::unexpected(violations.error());

  // Each repository's runs, oldest first.
  std::map<std::string, std::vector<const store::RepositoryRun*>> runs_of;
  for (const auto& r : *audited) runs_of[r.repository].push_back(&r);
  std::map<std::string, std::vector<const store::Violation*>> violations_of;
  for (const auto& v : *violations) violations_of[v.repository].push_back(&v);

  std::map<std::string, TeamStatus> teams;
  std::vector<const store::Violation*> considered;  // the violations of the repositories the filter keeps
  std::map<std::string, ClauseStatus> clauses;
  for (const auto& [name, history] : runs_of) {
    const store::RepositoryRun& last = *history.back();
    if (!wanted(filter, name, last.team)) continue;
    RepositoryStatus status;
    status.name = name;
    status.team = last.team;
    status.commit = last.commit;
    status.source = last.source;
    status.error = last.error;
    status.last_run = last.run;
    status.clauses = last.clauses;
    status.clauses_enforced = last.clauses_enforced;
    status.clauses_attested = last.clauses_attested;
    const auto& found = violations_of[name];
    considered.insert(considered.end(), found.begin(), found.end());
    std::map<std::string, ClauseBreach> breaches;  // by clause
    for (const store::Violation* v : found) {
      if (v->status == store::Status::open || v->status == store::Status::waived) status.violations.push_back(*v);
      if (v->status == store::Status::open) {
        ClauseStatus& clause = clauses[v->clause_id];
        clause.clause = v->clause_id;
        if (std::find(clause.checks.begin(), clause.checks.end(), v->check_id) == clause.checks.end())
          clause.checks.push_back(v->check_id);
        if (clause.open == 0 || v->severity < clause.severity) clause.severity = v->severity;
        ++clause.open;
        ClauseBreach& breach = breaches[v->clause_id];
        if (breach.open == 0 || v->first_seen < breach.since) {
          breach.since = v->first_seen;
          breach.since_run = v->first_seen_run;
        }
        ++breach.open;
        if (v->overdue(today)) {
          ++breach.overdue;
          ++clause.overdue;
        }
      }
      if (v->status == store::Status::open && v->transition_until && today < *v->transition_until) {
        ++status.in_transition;
        if (!status.first_transition_end || *v->transition_until < *status.first_transition_end)
          status.first_transition_end = v->transition_until;
      }
      if (v->status == store::Status::open) {
        ++status.open;
        ++status.open_by_severity[static_cast<std::size_t>(v->severity)];
        if (v->overdue(today)) {
          ++status.overdue;
          report.overdue.push_back(*v);
        }
      }
      if (v->status == store::Status::waived) ++status.waived;
      const bool active = v->status == store::Status::open || v->status == store::Status::waived;
      if (active && v->first_seen_run == last.run && history.size() > 1) ++status.new_since_last;
      if (v->status == store::Status::fixed && v->fixed_run == last.run) ++status.fixed_since_last;
      if (v->status == store::Status::fixed && v->fixed_on) {
        Remediation& r = report.remediation[static_cast<std::size_t>(v->severity)];
        r.mean_days += static_cast<double>(days_between(v->first_seen, *v->fixed_on));
        ++r.fixed;
      }
    }
    const std::size_t first = history.size() > kTrendRuns ? history.size() - kTrendRuns : 0;
    for (std::size_t i = first; i < history.size(); ++i)
      status.trend.push_back(static_cast<std::size_t>(
          std::count_if(found.begin(), found.end(), [&](const auto* v) { return open_after(*v, history[i]->run); })));
    for (auto& [clause, breach] : breaches) {
      breach.repository = name;
      breach.team = status.team;
      clauses[clause].repositories.push_back(std::move(breach));
    }
    std::stable_sort(status.violations.begin(), status.violations.end(), [](const auto& a, const auto& b) {
      return std::tie(a.clause_id, a.path, a.line, a.check_id) < std::tie(b.clause_id, b.path, b.line, b.check_id);
    });
    TeamStatus& team = teams[status.team];
    team.team = status.team;
    ++team.repositories;
    team.open += status.open;
    team.overdue += status.overdue;
    team.new_since_last += status.new_since_last;
    team.fixed_since_last += status.fixed_since_last;
    report.repositories.push_back(std::move(status));
  }
  for (auto& [name, team] : teams) report.teams.push_back(std::move(team));
  for (Remediation& r : report.remediation)
    if (r.fixed > 0) r.mean_days /= static_cast<double>(r.fixed);
  std::stable_sort(report.overdue.begin(), report.overdue.end(), [](const auto& a, const auto& b) {
    return std::tie(a.due, a.severity, a.repository) < std::tie(b.due, b.severity, b.repository);
  });
  for (auto& [id, clause] : clauses) {
    std::sort(clause.checks.begin(), clause.checks.end());
    std::stable_sort(clause.repositories.begin(), clause.repositories.end(), [](const auto& a, const auto& b) {
      return std::tie(a.since, a.repository) < std::tie(b.since, b.repository);
    });
    report.clauses.push_back(std::move(clause));
  }
  std::stable_sort(report.clauses.begin(), report.clauses.end(), [](const auto& a, const auto& b) {
    return std::tie(b.open, a.clause) < std::tie(a.open, b.clause);
  });
  const std::size_t first_run = runs->size() > kFleetTrendRuns ? runs->size() - kFleetTrendRuns : 0;
  for (std::size_t i = first_run; i < runs->size(); ++i) {
    const store::Run& run = (*runs)[i];
    RunPoint point{.run = run.id, .date = run.run_date};
    for (const store::Violation* v : considered) {
      if (!open_after(*v, run.id)) continue;
      ++point.open;
      ++point.open_by_severity[static_cast<std::size_t>(v->severity)];
      // Overdue on that run's date, as the report of that day would have said.
      if (v->due < run.run_date && (!v->transition_until || *v->transition_until <= run.run_date)) ++point.overdue;
    }
    report.fleet_trend.push_back(point);
  }
  return report;
}

std::string render_report_text(const AuditReport& report) {
  if (!report.latest) return "No audit recorded yet: run `constable audit SOURCES...` first.\n";
  std::string out = fmt::format("Audit report: {}\n\n", heading(report));
  std::size_t name_width = 10, team_width = 4;
  for (const auto& r : report.repositories) {
    name_width = std::max(name_width, r.name.size());
    team_width = std::max(team_width, r.team.size());
  }
  out += fmt::format("  {:<{}}  {:<{}}  {:>5}  {:>7}  {:>4}  {:>5}  {:>8}  {}\n", "repository", name_width, "team",
                     team_width, "open", "overdue", "new", "fixed", "coverage", "open over the last runs");
  for (const auto& r : report.repositories) {
    if (!r.error.empty()) {
      out += fmt::format("  {:<{}}  {:<{}}  not audited: {}\n", r.name, name_width, r.team, team_width, r.error);
      continue;
    }
    out +=
        fmt::format("  {:<{}}  {:<{}}  {:>5}  {:>7}  {:>4}  {:>5}  {:>8}  {}\n", r.name, name_width, r.team, team_width,
                    r.open, r.overdue, r.new_since_last, r.fixed_since_last, coverage_cell(r), trend_cell(r));
  }
  std::size_t warnings = 0;
  std::optional<Date> first_end;
  for (const auto& r : report.repositories) {
    warnings += r.in_transition;
    if (r.first_transition_end && (!first_end || *r.first_transition_end < *first_end)) first_end = r.first_transition_end;
  }
  if (warnings > 0)
    out += fmt::format("\n{} of the open violations are deprecation warnings: their clauses are in their transition "
                       "period; the first becomes a violation on {}.\n",
                       warnings, first_end->to_string());
  if (report.teams.size() > 1 || (report.teams.size() == 1 && !report.teams.front().team.empty())) {
    out += "\nBy team:\n";
    for (const auto& t : report.teams)
      out += fmt::format("  {}: {} repositor{}, {} open, {} overdue, {} new, {} fixed\n",
                         t.team.empty() ? "(no team)" : t.team, t.repositories, t.repositories == 1 ? "y" : "ies",
                         t.open, t.overdue, t.new_since_last, t.fixed_since_last);
  }
  if (!report.overdue.empty()) {
    out += fmt::format("\nOverdue ({}), most days late first:\n", report.overdue.size());
    for (std::size_t i = 0; i < std::min(kOverdueListed, report.overdue.size()); ++i) {
      const store::Violation& v = report.overdue[i];
      out += fmt::format("  {}  {}:{}  {}  {}  {}: {}\n", v.repository, v.path, v.line, to_string(v.severity),
                         v.check_id, late_text(v, report.today), text::shorten(v.message, 100));
    }
    if (report.overdue.size() > kOverdueListed)
      out += fmt::format("  and {} more (--format json lists them all)\n", report.overdue.size() - kOverdueListed);
  }
  std::vector<std::string> mttr;
  for (const Severity s : kAllSeverities) {
    const Remediation& r = report.remediation[static_cast<std::size_t>(s)];
    if (r.fixed > 0) mttr.push_back(fmt::format("{} {:.1f} days ({} fixed)", to_string(s), r.mean_days, r.fixed));
  }
  out += fmt::format("\nMean time to remediate: {}.\n",
                     mttr.empty() ? std::string("nothing fixed yet") : fmt::format("{}", fmt::join(mttr, ", ")));
  return out;
}

std::string render_report_markdown(const AuditReport& report) {
  if (!report.latest) return "No audit recorded yet.\n";
  std::string out = fmt::format("## Constitution audit\n\n{}\n\n", heading(report));
  out += "| Repository | Team | Open | Overdue | New | Fixed | Coverage | Open over the last runs |\n";
  out += "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : report.repositories) {
    if (!r.error.empty()) {
      out += fmt::format("| {} | {} | not audited: {} | | | | | |\n", r.name, r.team, r.error);
      continue;
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", r.name, r.team, r.open, r.overdue,
                       r.new_since_last, r.fixed_since_last, coverage_cell(r), trend_cell(r));
  }
  if (!report.overdue.empty()) {
    out += fmt::format(
        "\n### Overdue ({})\n\n| Repository | Location | Severity | Check | Due | Message |\n"
        "|---|---|---|---|---|---|\n",
        report.overdue.size());
    for (std::size_t i = 0; i < std::min(kOverdueListed, report.overdue.size()); ++i) {
      const store::Violation& v = report.overdue[i];
      out += fmt::format("| {} | `{}:{}` | {} | `{}` | {} | {} |\n", v.repository, v.path, v.line,
                         to_string(v.severity), v.check_id, late_text(v, report.today), text::shorten(v.message, 120));
    }
    if (report.overdue.size() > kOverdueListed)
      out += fmt::format("\nand {} more (`constable audit report --format json` lists them all).\n",
                         report.overdue.size() - kOverdueListed);
  }
  return out;
}

std::string render_report_json(const AuditReport& report) {
  using Json = nlohmann::ordered_json;
  Json doc = {{"version", 1}, {"today", report.today.to_string()}, {"runs", report.runs}};
  if (report.latest) {
    doc["latest_run"] = {{"id", report.latest->id},
                         {"run_date", report.latest->run_date.to_string()},
                         {"started_at", report.latest->started_at},
                         {"finished", report.latest->finished},
                         {"constitution",
                          {{"path", report.latest->constitution_path},
                           {"version", report.latest->constitution_version},
                           {"sha256", report.latest->constitution_sha256}}}};
  }
  Json repositories = Json::array();
  for (const auto& r : report.repositories) {
    Json by_severity = Json::object();
    for (const Severity s : kAllSeverities)
      by_severity[std::string(to_string(s))] = r.open_by_severity[static_cast<std::size_t>(s)];
    repositories.push_back(
        {{"name", r.name},
         {"team", r.team},
         {"commit", r.commit},
         {"error", r.error},
         {"last_run", r.last_run},
         {"open", r.open},
         {"open_by_severity", by_severity},
         {"overdue", r.overdue},
         {"waived", r.waived},
         {"deprecation_warnings", r.in_transition},
         {"first_warning_until", r.first_transition_end ? Json(r.first_transition_end->to_string()) : Json(nullptr)},
         {"new_since_last_run", r.new_since_last},
         {"fixed_since_last_run", r.fixed_since_last},
         {"coverage", {{"clauses", r.clauses}, {"enforced", r.clauses_enforced}, {"attested", r.clauses_attested}}},
         {"trend", r.trend}});
  }
  doc["repositories"] = std::move(repositories);
  Json teams = Json::array();
  for (const auto& t : report.teams)
    teams.push_back({{"team", t.team},
                     {"repositories", t.repositories},
                     {"open", t.open},
                     {"overdue", t.overdue},
                     {"new_since_last_run", t.new_since_last},
                     {"fixed_since_last_run", t.fixed_since_last}});
  doc["teams"] = std::move(teams);
  Json overdue = Json::array();
  for (const auto& v : report.overdue) overdue.push_back(violation_json(v, report.today));
  doc["overdue"] = std::move(overdue);
  Json remediation = Json::object();
  for (const Severity s : kAllSeverities) {
    const Remediation& r = report.remediation[static_cast<std::size_t>(s)];
    remediation[std::string(to_string(s))] = {{"fixed", r.fixed},
                                              {"mean_days", r.fixed > 0 ? Json(r.mean_days) : Json(nullptr)}};
  }
  doc["mean_time_to_remediate"] = std::move(remediation);
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

FleetTotals fleet_totals(const AuditReport& report) {
  FleetTotals t;
  for (const auto& r : report.repositories) {
    t.open += r.open;
    t.overdue += r.overdue;
    t.new_since_last += r.new_since_last;
    t.fixed_since_last += r.fixed_since_last;
    t.waived += r.waived;
    t.in_transition += r.in_transition;
    for (std::size_t s = 0; s < t.open_by_severity.size(); ++s) t.open_by_severity[s] += r.open_by_severity[s];
    if (r.first_transition_end && (!t.first_transition_end || *r.first_transition_end < *t.first_transition_end))
      t.first_transition_end = r.first_transition_end;
  }
  for (const auto& v : report.overdue) ++t.overdue_by_severity[static_cast<std::size_t>(v.severity)];
  return t;
}

long days_between(Date from, Date to) { return to.days_since_epoch() - from.days_since_epoch(); }

nlohmann::ordered_json violation_json(const store::Violation& v, Date today) {
  const auto optional_date = [](const std::optional<Date>& date) {
    return date ? nlohmann::ordered_json(date->to_string()) : nlohmann::ordered_json(nullptr);
  };
  return {{"repository", v.repository},
          {"check", v.check_id},
          {"clause", v.clause_id},
          {"severity", std::string(to_string(v.severity))},
          {"path", v.path},
          {"line", v.line},
          {"message", v.message},
          {"status", std::string(to_string(v.status))},
          {"overdue", v.overdue(today)},
          {"days_late", v.overdue(today) ? days_between(v.due, today) : 0},
          {"first_seen", v.first_seen.to_string()},
          {"first_seen_run", v.first_seen_run},
          {"due", v.due.to_string()},
          {"warning_until", optional_date(v.transition_until)},
          {"waiver_owner", v.waiver_owner},
          {"waiver_expires", optional_date(v.waiver_expires)},
          {"reopened", v.reopened},
          {"fingerprint", v.fingerprint}};
}

}  // namespace constable::audit

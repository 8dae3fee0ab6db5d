#include <cmath>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "app/app.hpp"
#include "core/text.hpp"

namespace constable::app {

namespace {

enum class ClauseStatus { enforced, not_applicable, disabled, not_enforced };

std::string_view label(ClauseStatus s) {
  switch (s) {
    case ClauseStatus::enforced: return "enforced";
    case ClauseStatus::not_applicable: return "not applicable";
    case ClauseStatus::disabled: return "disabled";
    case ClauseStatus::not_enforced: return "not enforced";
  }
  return "not enforced";
}

struct Row {
  const constitution::Clause* clause;
  ClauseStatus status;
  std::vector<std::string> checks;  // checks bound to it (any status)
  std::vector<std::string> parameters;
};

struct Totals {
  std::size_t clauses = 0, enforced = 0, not_applicable = 0, disabled = 0, not_enforced = 0;
  double bound_percent() const {
    return clauses == 0 ? 0.0 : 100.0 * static_cast<double>(clauses - not_enforced) / static_cast<double>(clauses);
  }
};

std::vector<Row> rows_of(const Session& s, Totals& totals) {
  std::vector<Row> rows;
  for (const auto& clause : s.constitution.clauses) {
    Row row{&clause, ClauseStatus::not_enforced, {}, {}};
    bool any_active = false, any_applicable_elsewhere = false, any_disabled = false;
    for (const auto* b : s.plan.for_clause(clause.id)) {
      row.checks.emplace_back(b->check->info().id);
      if (!b->parameters.empty()) row.parameters.push_back(b->parameters);
      any_active = any_active || b->status == engine::BindingStatus::active;
      any_applicable_elsewhere = any_applicable_elsewhere || b->status == engine::BindingStatus::not_applicable;
      any_disabled = any_disabled || b->status == engine::BindingStatus::deselected;
    }
    if (any_active) row.status = ClauseStatus::enforced;
    else if (any_applicable_elsewhere) row.status = ClauseStatus::not_applicable;
    else if (any_disabled) row.status = ClauseStatus::disabled;
    ++totals.clauses;
    switch (row.status) {
      case ClauseStatus::enforced: ++totals.enforced; break;
      case ClauseStatus::not_applicable: ++totals.not_applicable; break;
      case ClauseStatus::disabled: ++totals.disabled; break;
      case ClauseStatus::not_enforced: ++totals.not_enforced; break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string summary_line(const Totals& t) {
  return fmt::format("{} clauses: {} enforced, {} not applicable to this repository, {} disabled, {} not enforced; "
                     "{:.1f}% bound to checks",
                     t.clauses, t.enforced, t.not_applicable, t.disabled, t.not_enforced, t.bound_percent());
}

std::string heading(const Session& s) {
  return s.constitution.version ? fmt::format("{} (version {})", s.constitution.path, s.constitution.version->version)
                                : s.constitution.path;
}

std::string render_text(const Session& s, const std::vector<Row>& rows, const Totals& totals) {
  std::string out = fmt::format("Coverage of {}\n", heading(s));
  std::string section;
  for (const auto& row : rows) {
    if (row.clause->section_joined() != section) {
      section = row.clause->section_joined();
      out += fmt::format("\n{}\n", section);
    }
    out += fmt::format("  {:<15} L{:<4} {}\n", label(row.status), row.clause->line, row.clause->id);
    if (!row.checks.empty())
      out += fmt::format("  {:<15}       by {}{}\n", "", join(row.checks, ", "),
                         row.parameters.empty() ? "" : " (" + join(row.parameters, "; ") + ")");
  }
  out += fmt::format("\n{}\n", summary_line(totals));
  return out;
}

std::string md_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string render_markdown(const Session& s, const std::vector<Row>& rows, const Totals& totals) {
  std::string out = fmt::format("# Constitution coverage\n\n{}\n\n", md_escape(heading(s)));
  out += "| Status | Clauses |\n|---|---:|\n";
  out += fmt::format("| enforced | {} |\n| not applicable | {} |\n| disabled | {} |\n| not enforced | {} |\n| **total** "
                     "| **{}** |\n\n{:.1f}% of clauses are bound to checks.\n",
                     totals.enforced, totals.not_applicable, totals.disabled, totals.not_enforced, totals.clauses,
                     totals.bound_percent());
  std::string section;
  for (const auto& row : rows) {
    if (row.clause->section_joined() != section) {
      section = row.clause->section_joined();
      out += fmt::format("\n## {}\n\n| Status | Line | Clause | Checks |\n|---|---:|---|---|\n", md_escape(section));
    }
    out += fmt::format("| {} | {} | `{}`<br>{} | {} |\n", label(row.status), row.clause->line, row.clause->id,
                       md_escape(row.clause->text.substr(0, 200)), md_escape(join(row.checks, ", ")));
  }
  return out;
}

std::string render_json(const Session& s, const std::vector<Row>& rows, const Totals& totals) {
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["constitution"] = {{"path", s.constitution.path},
                         {"version", s.constitution.version ? s.constitution.version->version : ""}};
  doc["totals"] = {{"clauses", totals.clauses},
                   {"enforced", totals.enforced},
                   {"not_applicable", totals.not_applicable},
                   {"disabled", totals.disabled},
                   {"not_enforced", totals.not_enforced},
                   {"bound_percent", std::round(totals.bound_percent() * 10.0) / 10.0}};
  auto& clauses = doc["clauses"] = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    clauses.push_back({{"id", row.clause->id},
                       {"line", row.clause->line},
                       {"section", row.clause->section_joined()},
                       {"text", row.clause->text},
                       {"modality", to_string(row.clause->modality)},
                       {"modality_inherited", row.clause->modality_inherited},
                       {"status", label(row.status)},
                       {"checks", row.checks},
                       {"parameters", row.parameters}});
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

Outcome coverage(const CoverageOptions& options) {
  using Renderer = std::string (*)(const Session&, const std::vector<Row>&, const Totals&);
  Renderer renderer = nullptr;
  if (options.format == "text") renderer = render_text;
  else if (options.format == "markdown") renderer = render_markdown;
  else if (options.format == "json") renderer = render_json;
  else return usage_error(fmt::format("coverage --format must be text, markdown or json, got '{}'", options.format));
  auto session = open_session(options);
  if (!session) return usage_error(session.error().to_string());
  Totals totals;
  const auto rows = rows_of(*session, totals);
  return Outcome{kExitClean, renderer(*session, rows, totals), {}};
}

}  // namespace constable::app

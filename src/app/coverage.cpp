#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "app/app.hpp"
#include "core/text.hpp"
#include "engine/attestation.hpp"

namespace constable::app {

namespace {

using engine::ClauseEnforcement;

std::string_view label(ClauseEnforcement e) {
  switch (e) {
    case ClauseEnforcement::by_check:
    case ClauseEnforcement::by_engine: return "enforced";
    case ClauseEnforcement::attested: return "attested";
    case ClauseEnforcement::not_applicable: return "not applicable";
    case ClauseEnforcement::disabled: return "disabled";
    case ClauseEnforcement::not_enforced: return "not enforced";
  }
  return "not enforced";
}

struct Row {
  const constitution::Clause* clause;
  ClauseEnforcement status;
  std::vector<std::string> checks;  // checks bound to it (any status)
  std::vector<std::string> parameters;
  const engine::Attestation* attestation = nullptr;  // any, valid or not
  engine::AttestationState attestation_state = engine::AttestationState::valid;
  std::vector<std::string> not_run;  // why its not-applicable checks do not run here
};

// What a not-applicable check waits for, said as what this workspace lacks.
std::string not_run_reason(std::string_view stack) {
  if (stack == kGitRepositoryFact) return "no git repository";
  return fmt::format("the repository does not use {}", stack);
}

struct Totals {
  std::size_t clauses = 0, by_checks = 0, by_engine = 0, attested = 0, not_applicable = 0, disabled = 0,
              not_enforced = 0, bound = 0;
  static double percent(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  }
  std::size_t enforced() const { return by_checks + by_engine; }
  // Clauses that something verifies in this repository: a check, constable itself or an attestation.
  double enforced_percent() const { return percent(enforced() + attested, clauses); }
  double bound_percent() const { return percent(bound, clauses); }
};

// Attestations whose clause is not in the constitution: they attest nothing.
std::vector<const engine::Attestation*> stray_attestations(const Session& s) {
  std::vector<const engine::Attestation*> out;
  for (const auto& a : s.config.attestations)
    if (s.constitution.find(a.clause) == nullptr) out.push_back(&a);
  return out;
}

std::vector<Row> rows_of(const Session& s, Totals& totals) {
  std::vector<Row> rows;
  for (const auto& clause : s.constitution.clauses) {
    Row row{&clause,
            engine::enforcement_of(clause, s.constitution, s.plan, s.config, s.workspace.root, s.today),
            {},
            {},
            engine::attestation_for(s.config, clause.id),
            engine::AttestationState::valid,
            {}};
    if (row.attestation != nullptr)
      row.attestation_state = engine::assess(*row.attestation, s.constitution, s.workspace.root, s.today);
    for (const auto* b : s.plan.for_clause(clause.id)) {
      row.checks.emplace_back(b->check->info().id);
      if (!b->parameters.empty()) row.parameters.push_back(b->parameters);
      if (const std::string_view stack = b->check->info().stack;
          b->status == engine::BindingStatus::not_applicable && !stack.empty()) {
        std::string reason = not_run_reason(stack);
        if (std::find(row.not_run.begin(), row.not_run.end(), reason) == row.not_run.end())
          row.not_run.push_back(std::move(reason));
      }
    }
    ++totals.clauses;
    if (!row.checks.empty()) ++totals.bound;
    switch (row.status) {
      case ClauseEnforcement::by_check: ++totals.by_checks; break;
      case ClauseEnforcement::by_engine: ++totals.by_engine; break;
      case ClauseEnforcement::attested: ++totals.attested; break;
      case ClauseEnforcement::not_applicable: ++totals.not_applicable; break;
      case ClauseEnforcement::disabled: ++totals.disabled; break;
      case ClauseEnforcement::not_enforced: ++totals.not_enforced; break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

constexpr std::string_view kItemsEnforce = "the checks of the items it introduces";
constexpr std::string_view kEngineApplies = "constable (severity policy: sets every finding's severity and due date)";

std::string attestation_summary(const Row& row) {
  const engine::Attestation& a = *row.attestation;
  const std::string what = fmt::format("owner {}, attested {}, expires {}, evidence {}", a.owner, a.date.to_string(),
                                       a.expires.to_string(), a.evidence);
  if (row.attestation_state == engine::AttestationState::valid) return what;
  return fmt::format("{} ({})", what, to_string(row.attestation_state));
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
  return fmt::format("{} clauses: {} enforced ({} by checks, {} by constable), {} attested, {} not applicable to this "
                     "repository, {} disabled, {} not enforced; {:.1f}% enforced or attested, {:.1f}% bound to checks",
                     t.clauses, t.enforced(), t.by_checks, t.by_engine, t.attested, t.not_applicable, t.disabled,
                     t.not_enforced, t.enforced_percent(), t.bound_percent());
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
    if (row.status == ClauseEnforcement::by_engine) out += fmt::format("  {:<15}       by {}\n", "", kEngineApplies);
    if (row.status == ClauseEnforcement::by_check && row.checks.empty())
      out += fmt::format("  {:<15}       by {}\n", "", kItemsEnforce);
    if (row.attestation != nullptr)
      out += fmt::format("  {:<15}       attestation: {}\n", "", attestation_summary(row));
    if (row.status == ClauseEnforcement::not_applicable && !row.not_run.empty())
      out += fmt::format("  {:<15}       not run: {}\n", "", join(row.not_run, "; "));
  }
  for (const auto* a : stray_attestations(s))
    out += fmt::format("\nattestation at {}:{} names no clause of this constitution: {}\n", s.config.source, a->line,
                       a->clause);
  if (!s.notes.empty()) out += '\n';
  for (const auto& note : s.notes) out += fmt::format("note: {}: {}\n", note.path, note.message);
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
  out += fmt::format("| enforced by checks | {} |\n| enforced by constable | {} |\n| attested | {} |\n| not applicable | "
                     "{} |\n| disabled | {} |\n| not enforced | {} |\n| **total** | **{}** |\n\n{:.1f}% of clauses are "
                     "enforced or attested; {:.1f}% are bound to checks.\n",
                     totals.by_checks, totals.by_engine, totals.attested, totals.not_applicable, totals.disabled,
                     totals.not_enforced, totals.clauses, totals.enforced_percent(), totals.bound_percent());
  for (const auto* a : stray_attestations(s))
    out += fmt::format("\nThe attestation at {}:{} names no clause of this constitution: `{}`.\n",
                       md_escape(s.config.source), a->line, md_escape(a->clause));
  if (!s.notes.empty()) out += "\nNotes:\n\n";
  for (const auto& note : s.notes) out += fmt::format("- `{}`: {}\n", md_escape(note.path), md_escape(note.message));
  std::string section;
  for (const auto& row : rows) {
    if (row.clause->section_joined() != section) {
      section = row.clause->section_joined();
      out += fmt::format("\n## {}\n\n| Status | Line | Clause | Checks |\n|---|---:|---|---|\n", md_escape(section));
    }
    std::string by = join(row.checks, ", ");
    if (row.status == ClauseEnforcement::by_engine) by = std::string(kEngineApplies);
    if (row.status == ClauseEnforcement::by_check && row.checks.empty()) by = std::string(kItemsEnforce);
    if (row.attestation != nullptr) by += (by.empty() ? "" : "<br>") + ("attestation: " + attestation_summary(row));
    if (row.status == ClauseEnforcement::not_applicable && !row.not_run.empty())
      by += (by.empty() ? "" : "<br>") + ("not run: " + join(row.not_run, "; "));
    out += fmt::format("| {} | {} | `{}`<br>{} | {} |\n", label(row.status), row.clause->line, row.clause->id,
                       md_escape(row.clause->text.substr(0, 200)), md_escape(by));
  }
  return out;
}

std::string render_json(const Session& s, const std::vector<Row>& rows, const Totals& totals) {
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["constitution"] = {{"path", s.constitution.path},
                         {"version", s.constitution.version ? s.constitution.version->version : ""}};
  const auto rounded = [](double percent) { return std::round(percent * 10.0) / 10.0; };
  doc["totals"] = {{"clauses", totals.clauses},
                   {"enforced", totals.enforced()},
                   {"enforced_by_checks", totals.by_checks},
                   {"enforced_by_constable", totals.by_engine},
                   {"attested", totals.attested},
                   {"not_applicable", totals.not_applicable},
                   {"disabled", totals.disabled},
                   {"not_enforced", totals.not_enforced},
                   {"enforced_percent", rounded(totals.enforced_percent())},
                   {"bound_percent", rounded(totals.bound_percent())}};
  auto& clauses = doc["clauses"] = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    nlohmann::ordered_json entry = {{"id", row.clause->id},
                                    {"line", row.clause->line},
                                    {"section", row.clause->section_joined()},
                                    {"text", row.clause->text},
                                    {"modality", to_string(row.clause->modality)},
                                    {"modality_inherited", row.clause->modality_inherited},
                                    {"status", label(row.status)},
                                    {"checks", row.checks},
                                    {"parameters", row.parameters}};
    if (row.status == ClauseEnforcement::by_engine) entry["enforced_by"] = "constable";
    if (row.status == ClauseEnforcement::by_check && row.checks.empty()) entry["enforced_by"] = "items";
    if (row.status == ClauseEnforcement::not_applicable && !row.not_run.empty()) entry["not_run"] = row.not_run;
    if (row.attestation != nullptr) {
      const auto& a = *row.attestation;
      entry["attestation"] = {{"state", to_string(row.attestation_state)}, {"evidence", a.evidence},
                              {"owner", a.owner},  {"date", a.date.to_string()},
                              {"expires", a.expires.to_string()}, {"note", a.note},
                              {"line", a.line}};
    }
    clauses.push_back(std::move(entry));
  }
  auto& stray = doc["unknown_attestations"] = nlohmann::ordered_json::array();
  for (const auto* a : stray_attestations(s)) stray.push_back({{"clause", a->clause}, {"line", a->line}});
  auto& notes = doc["notes"] = nlohmann::ordered_json::array();
  for (const auto& note : s.notes) notes.push_back({{"path", note.path}, {"message", note.message}});
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

using Renderer = std::string (*)(const Session&, const std::vector<Row>&, const Totals&);

Result<Renderer> renderer_of(std::string_view format) {
  if (format == "text") return render_text;
  if (format == "markdown") return render_markdown;
  if (format == "json") return render_json;
  return fail(fmt::format("coverage --format must be text, markdown or json, got '{}'", format));
}

}  // namespace

Result<std::string> coverage_report(const Session& session, std::string_view format) {
  auto renderer = renderer_of(format);
  if (!renderer) return std::unexpected(renderer.error());
  Totals totals;
  const auto rows = rows_of(session, totals);
  return (*renderer)(session, rows, totals);
}

Outcome coverage(const CoverageOptions& options) {
  // The format first: a typo should not wait for the constitution to load.
  if (auto renderer = renderer_of(options.format); !renderer) return usage_error(renderer.error().to_string());
  auto session = open_session(options);
  if (!session) return usage_error(session.error().to_string());
  auto report = coverage_report(*session, options.format);
  if (!report) return usage_error(report.error().to_string());
  return Outcome{kExitClean, std::move(*report), {}};
}

}  // namespace constable::app

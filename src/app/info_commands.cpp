#include <algorithm>
#include <fstream>

#include <cmark-gfm.h>
#include <fmt/format.h>
#include <git2.h>
#include <hs/hs.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <yaml.h>
#include <zlib.h>

#include "app/app.hpp"
#include "app/check_pages.hpp"
#include "constable_build_info.hpp"
#include "core/files.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"
#include "engine/catalog.hpp"

namespace constable::app {

namespace fs = std::filesystem;

namespace {

std::vector<const engine::CheckInfo*> all_infos() {
  std::vector<const engine::CheckInfo*> infos = engine::Catalog::builtin().infos();
  for (const auto* info : engine::rules::all()) infos.push_back(info);
  std::sort(infos.begin(), infos.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  return infos;
}

std::string clause_block(const constitution::Clause& clause, const std::string& constitution_path) {
  std::string out = fmt::format("Clause {}\n  {}:{}\n  section: {}\n  modality: {}{}\n  text: {}\n", clause.id,
                                constitution_path, clause.line, clause.section_joined(), to_string(clause.modality),
                                clause.modality_inherited ? fmt::format(" (from the lead-in \"{}\")", clause.lead_in) : "",
                                clause.text);
  return out;
}

}  // namespace

Outcome explain(const CommonOptions& options, const std::string& id) {
  Outcome outcome;
  // A constitution is optional for explaining a check, required for a clause.
  auto session = open_session(options);
  if (const auto* info = engine::Catalog::builtin().find(id)) {
    outcome.out = check_page(*info);
    if (session) {
      if (const auto* binding = session->plan.find(id)) {
        outcome.out += fmt::format("\n## In this repository\n\nStatus: {}\n", to_string(binding->status));
        if (binding->clause != nullptr) {
          outcome.out += '\n';
          outcome.out += clause_block(*binding->clause, session->constitution.path);
          if (!binding->parameters.empty()) outcome.out += fmt::format("  parameters: {}\n", binding->parameters);
        }
      }
    }
    return outcome;
  }
  std::vector<std::string_view> candidates;
  for (const auto* info : all_infos()) candidates.push_back(info->id);
  if (!session) {
    const auto closest = text::closest_match(id, candidates);
    return usage_error(fmt::format("'{}' is not a check{}, and clauses need a constitution: {}", id,
                                   closest ? fmt::format(" (did you mean '{}'?)", *closest) : "",
                                   session.error().to_string()));
  }
  if (const auto* clause = session->constitution.find(id)) {
    outcome.out = clause_block(*clause, session->constitution.path);
    const auto bindings = session->plan.for_clause(id);
    if (bindings.empty()) outcome.out += "  enforced by: no check\n";
    for (const auto* b : bindings)
      outcome.out += fmt::format("  enforced by: {} ({}){}\n", b->check->info().id, to_string(b->status),
                                 b->parameters.empty() ? "" : ", " + b->parameters);
    const auto& schedule = session->transitions.schedule;
    if (const auto* t = schedule.find(id); t != nullptr && schedule.period && session->today < t->ends)
      outcome.out += fmt::format("  transition: findings are deprecation warnings until {} ({})\n",
                                 t->ends.to_string(), t->reason(*schedule.period));
    return outcome;
  }
  std::string suggestions;
  for (const auto& clause : session->constitution.clauses) {
    candidates.push_back(clause.id);
    if (text::icontains(clause.id, id) && suggestions.size() < 600) suggestions += fmt::format("\n  {}", clause.id);
  }
  return usage_error(fmt::format("no check or clause '{}'{}{}", id, text::did_you_mean(id, candidates),
                                 suggestions.empty() ? "" : "; clauses containing it:" + suggestions));
}

Outcome list_checks(const CommonOptions& options, const std::string& format) {
  Outcome outcome;
  auto session = open_session(options);  // optional: adds each check's status
  auto status_of = [&](std::string_view id) -> std::string {
    if (!session) return "";
    const auto* b = session->plan.find(id);
    return b ? std::string(to_string(b->status)) : std::string("active");
  };
  const auto policy = session ? session->constitution.severity : constitution::SeverityPolicy::defaults();
  if (format == "json") {
    nlohmann::ordered_json doc = nlohmann::ordered_json::array();
    for (const auto* info : all_infos()) {
      nlohmann::ordered_json entry{{"id", info->id},
                                   {"domain", info->domain},
                                   {"nature", to_string(info->nature)},
                                   {"severity", to_string(policy.severity_for(info->nature))},
                                   {"summary", info->summary}};
      if (session) {
        entry["status"] = status_of(info->id);
        if (const auto* b = session->plan.find(info->id); b && b->clause) entry["clause"] = b->clause->id;
      }
      doc.push_back(std::move(entry));
    }
    outcome.out = doc.dump(2) + "\n";
    return outcome;
  }
  if (format != "text") {
    return usage_error(fmt::format("checks --format must be text or json, got '{}'", format));
  }
  for (const auto* info : all_infos()) {
    outcome.out += fmt::format("{:<36} {:<9} {:<16}{}{}\n", info->id, to_string(policy.severity_for(info->nature)),
                               to_string(info->nature), session ? fmt::format("{:<15}", status_of(info->id)) : "",
                               info->summary);
  }
  if (!session) outcome.err = fmt::format("constable: statuses not shown: {}\n", session.error().to_string());
  return outcome;
}

Outcome print_config(const CommonOptions& options) {
  Outcome outcome;
  std::error_code ec;
  if (!fs::exists(options.path, ec)) return usage_error(fmt::format("{}: no such file or directory", options.path.string()));
  // Without a constitution this still shows the configuration, and where
  // the constitution was looked for.
  auto loaded = load_configuration(options);
  if (!loaded) return usage_error(loaded.error().to_string());
  const fs::path root = root_of(options.path);
  ConstitutionSearch search;
  if (!options.constitution) search = search_constitution(root, *loaded);
  std::optional<Session> session;
  if (options.constitution || !search.found.empty()) {
    auto opened = open_session(options);
    if (!opened) return usage_error(opened.error().to_string());
    session = std::move(*opened);
  }
  const engine::Config& c = session ? session->config : *loaded;
  auto list = [](const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i != 0) out += ", ";
      out += fmt::format("\"{}\"", items[i]);
    }
    return out + "]";
  };
  outcome.out += fmt::format("# effective configuration (defaults < {} < command line)\n",
                             c.source.empty() ? "no .constable.yaml" : c.source);
  if (session) {
    outcome.out += fmt::format("constitution: {}\n", session->constitution.path);
  } else {
    outcome.out += "constitution: null  # none found: `constable check` needs one\n";
  }
  if (options.constitution) {
    outcome.out += "# from --constitution\n";
  } else {
    outcome.out += "# looked for the constitution in (in order):\n";
    for (const auto& place : search.looked) outcome.out += fmt::format("#   {}\n", place);
    if (!search.found.empty()) outcome.out += fmt::format("#   {}  (found)\n", search.found.string());
    for (const auto& file : search.several)
      outcome.out += fmt::format("#   {}  (one of several: choose with --constitution or 'constitution:')\n",
                                 file.string());
  }
  outcome.out += fmt::format("exclude: {}\ninclude: {}\nselect: {}\nignore: {}\n", list(c.exclude), list(c.include),
                             list(options.select.empty() ? c.select : options.select), list(c.ignore));
  outcome.out += fmt::format("fail_on: {}\nmax_file_size: {}\nsprint_days: {}\n",
                             c.fail_on_none ? "none" : c.fail_on ? to_string(*c.fail_on) : "low", c.max_file_size,
                             c.sprint_days);
  outcome.out += fmt::format("docker:\n  approved_registries: {}\n  official_registries: {}\n",
                             list(c.docker.approved_registries), list(c.docker.official_registries));
  outcome.out += fmt::format("production:\n  paths: {}\n  namespaces: {}\n", list(c.production.paths),
                             list(c.production.namespaces));
  const auto& admission = c.admission;
  outcome.out += fmt::format(
      "admission:\n  enforcement: {{critical: {}, high: {}, medium: {}, low: {}}}\n  exempt_namespaces: {}\n"
      "  exempt_users: {}\n  exempt_groups: {}\n",
      to_string(admission.action_for(Severity::critical)), to_string(admission.action_for(Severity::high)),
      to_string(admission.action_for(Severity::medium)), to_string(admission.action_for(Severity::low)),
      list(admission.exempt_namespaces), list(admission.exempt_users), list(admission.exempt_groups));
  outcome.out += fmt::format("waivers: {}\n", c.waivers.size());
  for (const auto& w : c.waivers)
    outcome.out += fmt::format("  - {{check: {}, path: \"{}\", owner: {}, expires: {}, reason: \"{}\"}}\n", w.check,
                               w.path, w.owner, w.expires.to_string(), w.reason);
  const auto policy = session ? session->constitution.severity : constitution::SeverityPolicy::defaults();
  outcome.out += fmt::format("severity_policy: {}\n", policy.from_constitution ? "from the constitution" : "defaults");
  for (Severity s : kAllSeverities)
    outcome.out += fmt::format("  {}: {}\n", to_string(s), policy.deadlines[static_cast<std::size_t>(s)].text);
  return outcome;
}

Outcome generate_docs(const fs::path& dir, bool check_only) {
  Outcome outcome;
  std::vector<std::pair<fs::path, std::string>> pages;
  const auto infos = all_infos();
  pages.emplace_back(dir / "README.md", checks_index(infos));
  for (const auto* info : infos) pages.emplace_back(dir / check_page_path(*info), check_page(*info));

  std::vector<std::string> stale;
  for (const auto& [path, content] : pages) {
    // A page that cannot be read (missing, not a file, far too large) is stale.
    if (const auto current = files::read(path); current && *current == content) continue;
    if (check_only) {
      stale.push_back(path.string());
      continue;
    }
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) {
      outcome.exit_code = kExitUsage;
      outcome.err += fmt::format("constable: cannot write {}\n", path.string());
    } else {
      outcome.out += fmt::format("wrote {}\n", path.string());
    }
  }
  if (!stale.empty()) {
    outcome.exit_code = kExitViolations;
    for (const auto& s : stale) outcome.err += fmt::format("stale: {}\n", s);
    outcome.err += "constable: check pages are out of date; run `constable docs` (or `make docs`)\n";
  }
  return outcome;
}

std::string version_report(const std::vector<LibraryVersion>& linked_by_caller) {
  int git_major = 0, git_minor = 0, git_revision = 0;
  git_libgit2_version(&git_major, &git_minor, &git_revision);
  // hs_version() is "5.4.9 2023-02-03": the date adds nothing.
  const std::string_view vectorscan = hs_version();
  // RE2 publishes no version, in its headers or at run time.
  std::vector<LibraryVersion> libraries = {
      {"cmark-gfm", cmark_version_string()},
      {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"libgit2", fmt::format("{}.{}.{}", git_major, git_minor, git_revision)},
      {"libyaml", yaml_get_version_string()},
      {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                    NLOHMANN_JSON_VERSION_PATCH)},
      {"OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING)},
      {"Vectorscan", std::string(vectorscan.substr(0, vectorscan.find(' ')))},
      {"zlib", zlibVersion()},
  };
  libraries.insert(libraries.end(), linked_by_caller.begin(), linked_by_caller.end());
  std::sort(libraries.begin(), libraries.end(),
            [](const auto& a, const auto& b) { return text::to_lower(a.name) < text::to_lower(b.name); });
  std::string out = fmt::format("constable {}\ncommit: {}\nlibraries:\n", version_string(), CONSTABLE_COMMIT);
  for (const auto& library : libraries) out += fmt::format("  {:<14} {}\n", library.name, library.version);
  return out;
}

}  // namespace constable::app

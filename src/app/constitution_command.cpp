// `constable constitution lint|diff|amend`: the constitution as a versioned
// document (src/constitution/lint.hpp, diff.hpp, amend.hpp do the work).

#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "app/app.hpp"
#include "constitution/amend.hpp"
#include "constitution/diff.hpp"
#include "constitution/lint.hpp"
#include "constitution/transition.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "engine/catalog.hpp"
#include "git/repository.hpp"
#include "store/store.hpp"

namespace constable::app {

namespace fs = std::filesystem;

namespace {

// FILE as given, else the constitution `constable check` would use here.
Result<fs::path> constitution_file(const ConstitutionOptions& options) {
  if (options.file) return *options.file;
  CommonOptions common;
  common.path = options.root;
  auto config = load_configuration(common);
  if (!config) return std::unexpected(config.error());
  auto found = find_constitution(root_of(options.root), *config);
  if (!found) return found;
  return found->lexically_normal();  // "./.specify/..." reads as ".specify/..."
}

// The clauses some check of the catalog enforces, with the default
// configuration and whatever the stack: those a check can show.
std::set<std::string, std::less<>> enforced_clauses(const constitution::Constitution& constitution) {
  std::set<std::string, std::less<>> ids;
  workspace::StackFacts every_stack;
  auto plan = engine::bind(engine::Catalog::builtin(), constitution, engine::Config{}, every_stack, {});
  if (!plan) return ids;
  for (const engine::Binding& binding : plan->bindings) {
    if (binding.clause != nullptr) ids.insert(binding.clause->id);
    for (const constitution::Clause* also : binding.also_enforces) ids.insert(also->id);
  }
  return ids;
}

std::string lint_text(const std::string& path, const constitution::LintResult& result) {
  std::string out;
  std::array<int, 3> counts{};
  for (const auto& f : result.findings) {
    ++counts[static_cast<std::size_t>(f.rule->level)];
    const std::string where = f.column > 0 ? fmt::format("{}:{}:{}", path, f.line, f.column)
                                           : fmt::format("{}:{}", path, f.line);
    out += fmt::format("{}: {}: {} [{}]\n", where, constitution::to_string(f.rule->level),
                       text::sanitize_utf8(f.message), f.rule->id);
  }
  const auto plural = [](int n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  out += fmt::format("constitution lint: {}, {}, {}", plural(counts[0], "error"), plural(counts[1], "warning"),
                     plural(counts[2], "note"));
  if (result.constitution) {
    out += fmt::format(" in {} clauses", result.constitution->clauses.size());
    if (result.constitution->version) out += fmt::format(" (version {})", result.constitution->version->version);
  }
  out += "\n";
  return out;
}

std::string lint_json(const std::string& path, const constitution::LintResult& result) {
  nlohmann::ordered_json doc;
  doc["path"] = path;
  doc["version"] = result.constitution && result.constitution->version
                       ? nlohmann::ordered_json(result.constitution->version->version)
                       : nlohmann::ordered_json(nullptr);
  doc["clauses"] = result.constitution ? result.constitution->clauses.size() : 0;
  auto& findings = doc["findings"] = nlohmann::ordered_json::array();
  std::array<int, 3> counts{};
  for (const auto& f : result.findings) {
    ++counts[static_cast<std::size_t>(f.rule->level)];
    nlohmann::ordered_json entry = {{"rule", f.rule->id},
                                    {"level", constitution::to_string(f.rule->level)},
                                    {"line", f.line},
                                    {"column", f.column},
                                    {"message", f.message}};
    if (!f.clause_id.empty()) entry["clause"] = f.clause_id;
    findings.push_back(std::move(entry));
  }
  doc["summary"] = {{"errors", counts[0]}, {"warnings", counts[1]}, {"notes", counts[2]}};
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// The findings of a run that fail it, by where they are and what they
// judge: the same problem keeps its key whichever constitution judged it.
std::set<std::string> failing_keys(const CheckRun& run, std::optional<Severity> failing) {
  std::set<std::string> keys;
  if (!failing) return keys;
  for (const auto& f : run.result.findings)
    if (!f.suppressed() && f.severity <= *failing) keys.insert(f.path + '\0' + f.check_id + '\0' + f.fingerprint);
  return keys;
}

// A file holding `content` while it lives: `check` reads a constitution from a file.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    std::string name = (fs::temp_directory_path() / "constable-constitution-XXXXXX.md").string();
    const int fd = mkstemps(name.data(), 3);
    if (fd < 0) return;
    ::close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Version {
  std::string label;  // "constitution.md", "HEAD:constitution.md"
  std::string text;
};

Result<std::string> read_constitution(const fs::path& file) {
  files::ReadOptions read;
  read.max_size = constitution::kMaxSize;
  auto content = files::read(file, read);
  if (!content) return fail(fmt::format("cannot read the constitution: {}", content.error().error.to_string()));
  return std::move(*content);
}

// `file` as it was at `revision` in its git repository.
Result<Version> at_revision(const fs::path& file, const std::string& revision) {
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(file, ec), ec);
  auto repository = git::Repository::discover(absolute.parent_path());
  if (!repository) return fail(fmt::format("--rev needs a git repository: {}", repository.error().message), file.string());
  const fs::path workdir = fs::weakly_canonical(repository->workdir(), ec);
  const std::string relative = fs::relative(absolute, workdir, ec).generic_string();
  if (ec || relative.starts_with("..")) return fail("the constitution is outside its git repository", file.string());
  auto content = repository->read_at(revision, relative);
  if (!content) return std::unexpected(content.error());
  if (!*content) return fail(fmt::format("{} has no {}", revision, relative), file.string());
  if ((*content)->size() > constitution::kMaxSize) return fail(fmt::format("{}:{} is too large", revision, relative));
  return Version{fmt::format("{}:{}", revision, relative), std::move(**content)};
}

Result<constitution::Constitution> parse_version(const Version& version) {
  return constitution::parse(version.text, version.label);
}

// The two versions a diff or an amendment compares.
struct Versions {
  Version before, after;
  fs::path after_file;  // on disk
};

Result<Versions> versions_of(const ConstitutionChangeOptions& options) {
  Versions v;
  if (options.old_file && options.revision) return fail("give OLD or --rev, not both");
  ConstitutionOptions where = options;
  if (options.old_file && !options.file) return fail("give the new version too: OLD NEW");
  auto file = constitution_file(where);
  if (!file) return std::unexpected(file.error());
  v.after_file = *file;
  auto after = read_constitution(*file);
  if (!after) return std::unexpected(after.error());
  v.after = {file->string(), std::move(*after)};
  if (options.old_file) {
    auto before = read_constitution(*options.old_file);
    if (!before) return std::unexpected(before.error());
    v.before = {options.old_file->string(), std::move(*before)};
    return v;
  }
  auto before = at_revision(*file, options.revision.value_or("HEAD"));
  if (!before) return std::unexpected(before.error());
  v.before = std::move(*before);
  return v;
}

// Both versions read and parsed; a diff of them points into `before` and
// `after`, so it is made by the caller, from this object where it stays.
struct Parsed {
  Versions versions;
  constitution::Constitution before, after;
};

Result<Parsed> parse_versions(const ConstitutionChangeOptions& options) {
  auto versions = versions_of(options);
  if (!versions) return std::unexpected(versions.error());
  auto before = parse_version(versions->before);
  if (!before) return std::unexpected(before.error());
  auto after = parse_version(versions->after);
  if (!after) return std::unexpected(after.error());
  return Parsed{std::move(*versions), std::move(*before), std::move(*after)};
}

// The directories the audit store's latest run audited (those it could not
// audit, or that are gone since, included: fleet_impact says why for each).
Result<std::vector<fs::path>> audited_repositories(const std::string& url) {
  std::error_code ec;
  if (!url.contains("://") && !fs::exists(url, ec))
    return fail(fmt::format("no audit store at {}: run `constable audit` first", url));
  auto store = store::open_store(url);
  if (!store) return std::unexpected(store.error());
  auto runs = (*store)->runs();
  if (!runs) return std::unexpected(runs.error());
  if (runs->empty()) return fail(fmt::format("the audit store {} holds no run yet", url));
  auto audited = (*store)->repository_runs();
  if (!audited) return std::unexpected(audited.error());
  std::vector<fs::path> paths;
  for (const auto& r : *audited)
    if (r.run == runs->back().id && !r.source.contains("://")) paths.emplace_back(r.source);
  return paths;
}

// The transitions the change starts: counted from the new version's Last
// Amended date when it has a new one, else from `today` (the merge).
constitution::TransitionSchedule transitions_of(const constitution::Constitution& before,
                                                const constitution::Constitution& after, Date today) {
  const std::vector<constitution::ConstitutionVersion> versions{{&after, std::nullopt, "today"},
                                                                {&before, std::nullopt, "the old version"}};
  return constitution::schedule_transitions(versions, today);
}

std::string render_transitions_text(const constitution::TransitionSchedule& schedule) {
  if (schedule.empty()) return {};
  const constitution::Transition& first = schedule.by_clause.begin()->second;
  std::string out = fmt::format(
      "\nTransition: the constitution's {} transition period (line {}) makes the new findings of {} clause{} "
      "deprecation warnings until {}, then violations:\n",
      schedule.period->text, schedule.period->line, schedule.by_clause.size(),
      schedule.by_clause.size() == 1 ? "" : "s", first.ends.to_string());
  for (const auto& [id, t] : schedule.by_clause)
    out += fmt::format("  {:<10} {}{}\n", constitution::to_string(t.cause), id,
                       t.cause == constitution::TransitionCause::added ? std::string() : " (" + t.change + ")");
  return out;
}

nlohmann::ordered_json transitions_json(const constitution::TransitionSchedule& schedule) {
  nlohmann::ordered_json doc = {{"period", schedule.period ? nlohmann::ordered_json(schedule.period->text) : nullptr}};
  auto& clauses = doc["clauses"] = nlohmann::ordered_json::array();
  for (const auto& [id, t] : schedule.by_clause)
    clauses.push_back({{"id", id},
                       {"cause", std::string(constitution::to_string(t.cause))},
                       {"change", t.change},
                       {"starts", t.starts.to_string()},
                       {"until", t.ends.to_string()}});
  return doc;
}

}  // namespace

Outcome constitution_diff(const ConstitutionChangeOptions& options) {
  if (options.format != "text" && options.format != "json")
    return usage_error(fmt::format("--format must be text or json, got '{}'", options.format));
  auto parsed = parse_versions(options);
  if (!parsed) return usage_error(parsed.error().to_string());
  const Versions& versions = parsed->versions;
  const constitution::ConstitutionDiff change = constitution::diff(parsed->before, parsed->after);
  const auto transitions = transitions_of(parsed->before, parsed->after, options.today.value_or(Date::today()));
  Outcome outcome;
  if (options.format == "json") {
    auto doc = nlohmann::ordered_json::parse(constitution::render_diff_json(change));
    doc["transition"] = transitions_json(transitions);
    outcome.out = doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  } else {
    outcome.out = constitution::render_diff_text(change) + render_transitions_text(transitions);
    const std::string to = !change.version_after.empty() && change.enough()
                               ? change.version_after
                               : constitution::bumped(change.version_before, change.required).value_or("X.Y.Z");
    if (change.required != constitution::Bump::none)
      outcome.out += "\nThe Sync Impact Report it implies:\n" + constitution::render_sync_impact_report(change, to);
  }
  std::vector<fs::path> repositories = options.impact;
  if (options.impact_store) {
    auto audited = audited_repositories(*options.impact_store);
    if (!audited) return usage_error(audited.error().to_string());
    repositories.insert(repositories.end(), audited->begin(), audited->end());
  }
  if (!repositories.empty()) {
    // Both versions as files, as `check` reads a constitution.
    TempFile old_copy(versions.before.text);
    if (old_copy.path().empty()) return usage_error("cannot write a temporary copy of the old constitution");
    const auto impacts = fleet_impact(old_copy.path(), versions.after_file, repositories, options.common);
    if (options.format == "json") {
      auto doc = nlohmann::ordered_json::parse(outcome.out);
      auto& list = doc["impact"] = nlohmann::ordered_json::array();
      for (const RepositoryImpact& impact : impacts) {
        nlohmann::ordered_json entry = {{"repository", impact.repository}};
        if (!impact.error.empty()) {
          entry["error"] = impact.error;
        } else {
          entry["newly_fails"] = impact.newly_fails();
          entry["failing_before"] = impact.failing_before;
          entry["failing_after"] = impact.failing_after;
          entry["new_findings"] = impact.new_findings;
          entry["resolved_findings"] = impact.resolved_findings;
          entry["new_by_check"] = impact.new_by_check;
        }
        list.push_back(std::move(entry));
      }
      outcome.out = doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    } else {
      outcome.out += "\n" + render_impact_text(impacts);
      if (!transitions.empty())
        outcome.out += fmt::format("(Failing counts the new findings as violations; the transition makes them "
                                   "warnings until {}.)\n",
                                   transitions.by_clause.begin()->second.ends.to_string());
    }
  }
  // Under-bumped is the problem a constitution's pull request should fail
  // on; without both versions there is no bump to judge (lint says so).
  outcome.exit_code = change.made && !change.enough() ? kExitViolations : kExitClean;
  return outcome;
}

Outcome constitution_amend(const ConstitutionChangeOptions& options) {
  auto parsed = parse_versions(options);
  if (!parsed) return usage_error(parsed.error().to_string());
  const Versions& versions = parsed->versions;
  const constitution::ConstitutionDiff change = constitution::diff(parsed->before, parsed->after);
  // The previous version's footer, raised by the bump the change requires,
  // unless --to says otherwise. Without a footer constable reads there is
  // nothing to raise: --to names the version.
  if (change.version_before.empty() && !options.to)
    return usage_error(fmt::format("{} has no version footer constable can read (**Version**: X.Y.Z | ...): "
                                   "give the new version with --to X.Y.Z",
                                   versions.before.label));
  const std::string base = change.version_before.empty() ? std::string("0.0.0") : change.version_before;
  std::string to;
  if (options.to) to = *options.to;
  else if (auto suggested = constitution::bumped(base, change.required == constitution::Bump::none
                                                              ? constitution::Bump::patch
                                                              : change.required))
    to = *suggested;
  else
    return usage_error(fmt::format("cannot read the version '{}': give --to X.Y.Z", base));
  constitution::ConstitutionDiff from_previous = change;
  from_previous.version_after.clear();  // the footer is rewritten from the previous version, not the edited one
  if (const auto made = constitution::bump_between(base, to); !made || *made == constitution::Bump::none)
    return usage_error(fmt::format("--to {} is not above the previous version {}", to, base));
  auto amended = constitution::amend(versions.after.text, from_previous, to,
                                     options.today.value_or(Date::today()));
  if (!amended) return usage_error(amended.error().to_string());
  std::string note;
  if (const auto made = constitution::bump_between(base, to); made && *made < change.required)
    note = fmt::format("constable: warning: {} is a {} bump, the change requires {} ({})\n", to,
                       constitution::to_string(*made), constitution::to_string(change.required),
                       change.required_because);
  if (options.dry_run) return Outcome{kExitClean, std::move(*amended), note};
  std::ofstream out(versions.after_file, std::ios::binary | std::ios::trunc);
  out << *amended;
  out.close();
  if (!out) return usage_error(fmt::format("cannot write {}", versions.after_file.string()));
  return Outcome{kExitClean,
                 fmt::format("amended {}: version {} → {} ({} required), Sync Impact Report written\n",
                             versions.after_file.string(), base, to, constitution::to_string(change.required)),
                 note};
}

std::vector<RepositoryImpact> fleet_impact(const fs::path& before, const fs::path& after,
                                           const std::vector<fs::path>& repositories, const CommonOptions& common) {
  std::vector<RepositoryImpact> impacts;
  for (const fs::path& repository : repositories) {
    RepositoryImpact impact;
    impact.repository = repository.string();
    std::array<std::set<std::string>, 2> keys;
    for (std::size_t side = 0; side < 2; ++side) {
      CheckOptions options;
      static_cast<CommonOptions&>(options) = common;
      options.path = repository;
      options.constitution = side == 0 ? before : after;
      auto run = run_check(options);
      if (!run) {
        impact.error = run.error().to_string();
        break;
      }
      keys[side] = failing_keys(*run, failing_severity(options, run->session.config));
    }
    if (impact.error.empty()) {
      impact.failing_before = keys[0].size();
      impact.failing_after = keys[1].size();
      for (const std::string& key : keys[1]) {
        if (keys[0].contains(key)) continue;
        ++impact.new_findings;
        const auto check = key.substr(key.find('\0') + 1);
        ++impact.new_by_check[check.substr(0, check.find('\0'))];
      }
      for (const std::string& key : keys[0]) impact.resolved_findings += keys[1].contains(key) ? 0 : 1;
    }
    impacts.push_back(std::move(impact));
  }
  return impacts;
}

std::string render_impact_text(const std::vector<RepositoryImpact>& impacts) {
  std::string out = fmt::format("Fleet impact ({} repositor{}):\n", impacts.size(), impacts.size() == 1 ? "y" : "ies");
  std::size_t newly_failing = 0;
  for (const RepositoryImpact& impact : impacts) {
    if (!impact.error.empty()) {
      out += fmt::format("  {}: not checked: {}\n", impact.repository, impact.error);
      continue;
    }
    newly_failing += impact.newly_fails() ? 1 : 0;
    std::string by_check;
    for (const auto& [check, count] : impact.new_by_check)
      by_check += fmt::format("{}{} {}", by_check.empty() ? "" : ", ", check, count);
    const std::string verdict = impact.newly_fails()      ? "would newly fail"
                                : impact.new_findings > 0 ? "still fails, with more"
                                : impact.failing_after == 0 ? "passes"
                                                            : "no new failure";
    out += fmt::format("  {}: {}: {} new finding{}{}, {} resolved ({} failing before, {} after)\n", impact.repository,
                       verdict, impact.new_findings, impact.new_findings == 1 ? "" : "s",
                       by_check.empty() ? std::string{} : fmt::format(" ({})", by_check), impact.resolved_findings,
                       impact.failing_before, impact.failing_after);
  }
  out += fmt::format("{} of {} repositor{} would newly fail.\n", newly_failing, impacts.size(),
                     impacts.size() == 1 ? "y" : "ies");
  return out;
}

Outcome constitution_lint(const ConstitutionOptions& options) {
  if (options.format != "text" && options.format != "json")
    return usage_error(fmt::format("--format must be text or json, got '{}'", options.format));
  auto file = constitution_file(options);
  if (!file) return usage_error(file.error().to_string());
  auto content = read_constitution(*file);
  if (!content) return usage_error(content.error().to_string());
  const std::string path = file->string();
  constitution::LintOptions lint_options;
  lint_options.today = options.today.value_or(Date::today());
  // Bound against a first parse: only then is it known which clauses checks enforce.
  std::set<std::string, std::less<>> enforced;
  constitution::ConstitutionDiff since_committed;
  if (auto current = constitution::parse(*content, path)) {
    enforced = enforced_clauses(*current);
    lint_options.enforced_clause_ids = &enforced;
    // Edited since the last commit: what the edit changed, to judge its version and report.
    if (auto before = at_revision(*file, "HEAD"); before && before->text != *content) {
      if (auto committed = constitution::parse(before->text, before->label)) {
        since_committed = constitution::diff(*committed, *current);
        lint_options.since_committed = &since_committed;
        lint_options.committed_label = before->label;
      }
    }
  }
  auto result = constitution::lint(*content, path, lint_options);
  if (!result) return usage_error(result.error().to_string());
  const bool failing = std::any_of(result->findings.begin(), result->findings.end(), [](const auto& f) {
    return f.rule->level != constitution::LintLevel::note;
  });
  return Outcome{failing ? kExitViolations : kExitClean,
                 options.format == "json" ? lint_json(path, *result) : lint_text(path, *result),
                 {}};
}

}  // namespace constable::app

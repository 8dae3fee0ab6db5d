#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/app.hpp"
#include "app/gate.hpp"
#include "app/targets.hpp"
#include "core/files.hpp"
#include "core/memory.hpp"
#include "core/text.hpp"
#include "engine/attestation.hpp"
#include "engine/baseline.hpp"
#include "engine/catalog.hpp"
#include "engine/run.hpp"

namespace constable::app {

namespace {

// Rules reporters describe: every active check, plus the engine's own rules.
std::vector<report::Rule> report_rules(const Session& session, const engine::Plan& plan) {
  std::vector<report::Rule> rules;
  for (const auto& b : plan.bindings) {
    if (b.status != engine::BindingStatus::active) continue;
    const auto& info = b.check->info();
    rules.push_back({&info, b.clause, session.constitution.severity.severity_for(info.nature), b.parameters});
  }
  for (const auto* info : engine::rules::all())
    rules.push_back({info, nullptr, session.constitution.severity.severity_for(info->nature), {}});
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.info->id < b.info->id; });
  return rules;
}


// --min-severity: findings below it leave the report (every format); the
// caller still counts those that fail the run.
report::HiddenFindings hide_below(std::optional<Severity> min_severity, bool never_fail, Severity threshold,
                                  engine::RunResult& result) {
  report::HiddenFindings hidden{.below = min_severity};
  if (!min_severity) return hidden;
  std::erase_if(result.findings, [&](const engine::Finding& f) {
    if (f.severity <= *min_severity) return false;  // Severity orders the most severe first
    if (!f.suppressed()) {
      ++hidden.findings;
      if (!never_fail && f.severity <= threshold && f.enforced()) ++hidden.failing;
    }
    return true;
  });
  return hidden;
}

// Rendered manifests join the workspace as YAML files with their content in
// memory, named as given ("<stdin>" for "-"), so findings point into them.
// Each is read as any file is: a regular file (or standard input) of at most
// `max_size` bytes, the repository's file size limit. Their names join `added`.
Result<void> add_manifests(const std::vector<std::string>& sources, std::uintmax_t max_size,
                           workspace::Workspace& workspace, std::set<std::string>& added) {
  for (const auto& source : sources) {
    const bool standard_input = source == "-";
    const std::string name = standard_input ? "<stdin>" : source;
    std::error_code ec;
    if (!standard_input && std::filesystem::is_directory(source, ec))
      return fail("--manifests takes a file, not a directory", source);
    auto read = standard_input ? files::read_descriptor(STDIN_FILENO, max_size, name)
                               : files::read(source, {.max_size = max_size, .confine_to = {}, .display = source});
    if (!read) {
      Error error = std::move(read.error().error);
      error.message = fmt::format("cannot read the manifests: {}{}", error.message,
                                  read.error().problem == files::Problem::too_large
                                      ? " (raise max_file_size in .constable.yaml to read more)"
                                      : "");
      return std::unexpected(std::move(error));
    }
    std::string content = std::move(*read);
    workspace::File file{name, standard_input ? std::filesystem::path{} : std::filesystem::path(source), content.size(),
                         FileKind::yaml, std::move(content)};
    std::erase_if(workspace.files, [&](const workspace::File& f) { return f.path == name; });
    added.insert(name);
    workspace.files.push_back(std::move(file));
  }
  std::sort(workspace.files.begin(), workspace.files.end(),
            [](const workspace::File& a, const workspace::File& b) { return a.path < b.path; });
  return {};
}

}  // namespace

report::ClauseCoverage clause_coverage(const Session& session, const engine::Plan& plan) {
  report::ClauseCoverage coverage{.known = true, .clauses = session.constitution.clauses.size()};
  for (const auto& clause : session.constitution.clauses) {
    switch (engine::enforcement_of(clause, session.constitution, plan, session.config, session.workspace.root,
                                   session.today)) {
      case engine::ClauseEnforcement::by_check:
      case engine::ClauseEnforcement::by_engine: ++coverage.enforced; break;
      case engine::ClauseEnforcement::attested: ++coverage.attested; break;
      default: break;
    }
  }
  return coverage;
}

Result<CheckRun> run_check(const CheckOptions& options) {
  auto targets = resolve_targets(options.paths.empty() ? std::vector{options.path} : options.paths,
                                 options.constitution || options.config);
  if (!targets) return std::unexpected(targets.error());
  // Files named on the command line (pre-commit): only their findings.
  const bool named_files = !targets->named.empty();
  if (named_files && !options.all &&
      (options.history || !options.commits.empty() || options.all_branches || options.require_attestations))
    return fail("--commits, --all-branches, --history and --require-attestations are about the whole repository: "
                "add --all to use them with file paths");
  CheckOptions at_root = options;
  at_root.path = targets->root;
  auto session = open_session(at_root);
  if (!session) return std::unexpected(session.error());
  CheckRun run{std::move(*session), {}};
  std::set<std::string> reported;
  if (named_files) reported = reported_files(*targets, run.session.workspace, run.session.notes);
  if (auto added = add_manifests(options.manifests, run.session.config.max_file_size, run.session.workspace, reported);
      !added)
    return std::unexpected(added.error());

  // Repository-scope checks use git when there is a repository; the git
  // options require one.
  const auto& repository = run.session.repository;
  if (!repository && (options.diff_base || !options.commits.empty() || options.history))
    return fail(fmt::format("--diff, --commits and --history need a git repository: {}", repository.error().message),
                run.session.workspace.root.string());

  engine::RunOptions run_options;
  run_options.jobs = options.jobs;
  run_options.today = run.session.today;
  run_options.repository = repository ? &*repository : nullptr;
  run_options.git = {options.commits, options.all_branches};
  run_options.require_attestations = options.require_attestations;
  run_options.progress = options.progress;
  if (options.cache) run_options.cache_directory = *options.cache;
  run_options.report_only = named_files ? &reported : nullptr;
  run_options.repository_checks = !named_files || options.all;
  const engine::Stopwatch check_time;
  run.result = run_plan(run.session.plan, run.session, run.session.workspace, run_options);
  run.result.notes.insert(run.result.notes.end(), run.session.notes.begin(), run.session.notes.end());
  std::sort(run.result.notes.begin(), run.result.notes.end());
  if (options.history) {
    if (auto ok = add_history_findings(run.session, *repository, run_options, run.result); !ok)
      return std::unexpected(ok.error());
  }
  if (options.diff_base) {
    if (auto ok = keep_findings_new_since(run.session, *repository, *options.diff_base, run_options, run.result);
        !ok)
      return std::unexpected(ok.error());
  }
  if (options.baseline) {
    if (auto ok = keep_findings_not_in_baseline(*options.baseline, run.result, run_options.report_only); !ok)
      return std::unexpected(ok.error());
  }
  engine::PhaseTimes& times = run.result.stats.times;  // the run filled in the phases within check
  times.constitution = run.session.times.constitution;
  times.discover = run.session.times.discover;
  times.bind = run.session.times.bind;
  times.check = check_time.elapsed();
  return run;
}

std::optional<Severity> failing_severity(const CheckOptions& options, const engine::Config& config) {
  // --fail-on beats the config's fail_on (validated when the config was read); "none" never fails.
  const std::string fail_on = options.fail_on.value_or(config.fail_on_none ? std::string("none")
                                                        : config.fail_on    ? std::string(to_string(*config.fail_on))
                                                                            : std::string("low"));
  if (text::to_lower(text::trim(fail_on)) == "none") return std::nullopt;
  return parse_severity(fail_on).value_or(Severity::low);
}

namespace {

// The report files' targets are checked before the run, so a 15-second run
// does not end in "cannot write": each must be a file in an existing directory,
// named once.
Result<void> check_report_files(const CheckOptions& options) {
  std::vector<std::filesystem::path> targets;
  if (options.output) targets.push_back(*options.output);
  for (const ReportFile& file : options.report_files) targets.push_back(file.path);
  std::set<std::filesystem::path> seen;
  for (const auto& target : targets) {
    std::error_code ec;
    const auto normal = std::filesystem::weakly_canonical(std::filesystem::absolute(target, ec), ec);
    if (!seen.insert(ec ? target : normal).second)
      return fail("several reports would be written to the same file", target.string());
    if (std::filesystem::is_directory(target, ec)) return fail("cannot write a report: it is a directory", target.string());
    const auto directory = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(directory, ec))
      return fail(fmt::format("cannot write a report: no directory {}", directory.string()), target.string());
  }
  return {};
}

Result<void> write_report(const std::filesystem::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return fail(fmt::format("cannot write the report: {}", std::strerror(errno)), file.string());
  return {};
}

// The constitution relative to the root, "" when it lies outside: formats that
// need a file of the repository point findings about the repository there.
std::string constitution_in_root(const Session& session) {
  std::error_code ec;
  const auto root = std::filesystem::weakly_canonical(session.workspace.root, ec);
  const auto file = std::filesystem::weakly_canonical(session.constitution.path, ec);
  if (ec || !files::is_within(root, file)) return {};
  return std::filesystem::relative(file, root, ec).generic_string();
}

report::RenderOptions render_options_of(const CheckOptions& options) {
  report::RenderOptions render{.colour = options.colour,
                               .stats = options.stats,
                               .summary_first = options.summary_first,
                               .sort = options.sort,
                               .quiet = options.quiet};
  if (options.markdown_max_bytes) render.markdown_max_bytes = *options.markdown_max_bytes;
  if (options.sarif_max_results) render.sarif_max_results = *options.sarif_max_results;
  return render;
}

}  // namespace

Result<ReportFile> parse_report_file(std::string_view spec) {
  const auto equals = spec.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == spec.size())
    return fail(fmt::format("--output-format takes FORMAT=FILE (e.g. sarif=out.sarif), got '{}'", spec));
  const auto format = report::parse_format(spec.substr(0, equals));
  if (!format)
    return fail(fmt::format("--output-format: the format must be {}, got '{}'", report::format_names(),
                            spec.substr(0, equals)));
  return ReportFile{*format, std::filesystem::path(spec.substr(equals + 1))};
}

Outcome write_baseline(const CheckOptions& options, const std::filesystem::path& file) {
  CheckOptions all = options;
  all.baseline.reset();  // a baseline records everything the run finds
  auto run = run_check(all);
  if (!run) return usage_error(run.error().to_string());
  std::ofstream out(file, std::ios::binary);
  out << engine::baseline_json(run->result.findings, run->session.today);
  if (!out) return usage_error(fmt::format("cannot write {}", file.string()));
  const auto recorded = std::count_if(run->result.findings.begin(), run->result.findings.end(),
                                      [](const auto& f) { return !f.suppressed(); });
  return Outcome{kExitClean, fmt::format("wrote {} finding(s) to {}\n", recorded, file.string()), {}};
}

std::string render_findings(const Session& session, const engine::Plan& plan, const engine::RunResult& result,
                            report::Format format, Date run_date) {
  report::Report rep;
  rep.tool_version = version_string();
  rep.root = session.root_display;
  rep.constitution_path = session.constitution.path;
  rep.constitution_version = session.constitution.version ? session.constitution.version->version : "";
  rep.constitution_in_root = constitution_in_root(session);
  rep.run_date = run_date;
  if (session.config.fail_on) rep.fail_on = *session.config.fail_on;
  rep.fail_on_none = session.config.fail_on_none;
  rep.rules = report_rules(session, plan);
  rep.result = &result;
  rep.coverage = clause_coverage(session, plan);
  return report::render(rep, format, {});
}

Outcome check(const CheckOptions& options) {
  memory::tune_for_batch_runs();
  if (options.fail_on && text::to_lower(text::trim(*options.fail_on)) != "none" && !parse_severity(*options.fail_on))
    return usage_error(fmt::format("--fail-on must be critical, high, medium, low or none, got '{}'", *options.fail_on));
  if (auto ok = check_report_files(options); !ok) return usage_error(ok.error().to_string());
  auto run = run_check(options);
  if (!run) return usage_error(run.error().to_string());
  // The run's files, parses and renders are freed now; what the report is
  // built from is a small part of it (not in serve: a trim per review costs).
  memory::release_free_pages();
  const Session& session = run->session;
  engine::RunResult& result = run->result;
  const std::optional<Severity> failing = failing_severity(options, session.config);
  const bool never_fail = !failing;
  const Severity threshold = failing.value_or(Severity::low);

  Outcome outcome;
  report::Report rep;
  rep.tool_version = version_string();
  rep.root = session.root_display;
  rep.constitution_path = session.constitution.path;
  rep.constitution_version = session.constitution.version ? session.constitution.version->version : "";
  rep.constitution_in_root = constitution_in_root(session);
  rep.run_date = session.today;
  rep.fail_on = threshold;
  rep.fail_on_none = never_fail;
  rep.rules = report_rules(session, session.plan);
  rep.result = &result;
  rep.coverage = clause_coverage(session, session.plan);
  rep.hidden = hide_below(options.min_severity, never_fail, threshold, result);
  if (options.progress != nullptr) options.progress->phase_started(engine::Phase::report, 0);
  const engine::Stopwatch report_time;
  const report::RenderOptions render_options = render_options_of(options);
  outcome.out = report::render(rep, options.format, render_options);
  result.stats.times.report = report_time.elapsed();
  if (options.stats) {
    // The report phase's time is only known after rendering: render again so the block is complete.
    outcome.out = report::render(rep, options.format, render_options);
  }

  if (options.progress != nullptr) options.progress->phase_finished(engine::Phase::report, 0);

  if (!never_fail) {
    for (const auto& f : result.findings) {
      if (f.enforced() && f.severity <= threshold) {
        outcome.exit_code = kExitViolations;
        break;
      }
    }
  }
  if (rep.hidden.failing > 0) outcome.exit_code = kExitViolations;

  // Reports to files; every one that can be written is, and a file that
  // cannot is a usage error (exit 2).
  std::vector<std::string> written;
  const auto write = [&](const std::filesystem::path& file, const std::string& content) {
    if (auto ok = write_report(file, content); !ok) {
      outcome.err += fmt::format("constable: {}\n", ok.error().to_string());
      outcome.exit_code = kExitUsage;
    } else {
      written.push_back(file.string());
    }
  };
  if (options.output) {
    write(*options.output, outcome.out);
    outcome.out.clear();
  }
  for (const ReportFile& file : options.report_files) {
    // -q is about the terminal: a report file is always whole.
    report::RenderOptions file_options = render_options;
    file_options.colour = false;
    file_options.quiet = false;
    write(file.path, report::render(rep, file.format, file_options));
  }
  if (!written.empty()) {
    // Whoever reads the log still learns the outcome, and where to look.
    const std::string hidden =
        rep.hidden.findings > 0 ? fmt::format(" ({} more below --min-severity)", rep.hidden.findings) : "";
    outcome.err += fmt::format("constable: {}{} in {} file{}; report{} written to {}\n",
                               report::violations_summary(rep), hidden, result.stats.files_checked,
                               result.stats.files_checked == 1 ? "" : "s", written.size() == 1 ? "" : "s",
                               fmt::join(written, ", "));
  }
  return outcome;
}

}  // namespace constable::app

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include <fmt/format.h>

#include "app/app.hpp"
#include "app/gate.hpp"
#include "core/files.hpp"
#include "engine/baseline.hpp"
#include "engine/catalog.hpp"
#include "engine/run.hpp"

namespace constable::app {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::microseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

// Rules reporters describe: every active check, plus the engine's own rules.
std::vector<report::Rule> report_rules(const Session& session) {
  std::vector<report::Rule> rules;
  for (const auto& b : session.plan.bindings) {
    if (b.status != engine::BindingStatus::active) continue;
    const auto& info = b.check->info();
    rules.push_back({&info, b.clause, session.constitution.severity.severity_for(info.nature), b.parameters});
  }
  for (const auto* info : engine::rules::all())
    rules.push_back({info, nullptr, session.constitution.severity.severity_for(info->nature), {}});
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.info->id < b.info->id; });
  return rules;
}

// A finished run with the --diff and --baseline filters applied.
struct CheckRun {
  Session session;
  std::optional<git::Repository> repository;
  engine::RunResult result;
};

// Rendered manifests join the workspace as YAML files with their content in
// memory, named as given ("<stdin>" for "-"), so findings point into them.
// Each is read as any file is: a regular file (or standard input) of at most
// `max_size` bytes, the repository's file size limit.
Result<void> add_manifests(const std::vector<std::string>& sources, std::uintmax_t max_size,
                           workspace::Workspace& workspace) {
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
    workspace.files.push_back(std::move(file));
  }
  std::sort(workspace.files.begin(), workspace.files.end(),
            [](const workspace::File& a, const workspace::File& b) { return a.path < b.path; });
  return {};
}

Result<CheckRun> run_check(const CheckOptions& options) {
  auto session = open_session(options);
  if (!session) return std::unexpected(session.error());
  CheckRun run{std::move(*session), std::nullopt, {}};
  if (auto added = add_manifests(options.manifests, run.session.config.max_file_size, run.session.workspace); !added)
    return std::unexpected(added.error());

  // Repository-scope checks use git when there is a repository; the git
  // options require one.
  if (auto repository = git::Repository::discover(run.session.workspace.root)) {
    run.repository = std::move(*repository);
  } else if (options.diff_base || !options.commits.empty() || options.history) {
    return fail(fmt::format("--diff, --commits and --history need a git repository: {}", repository.error().message),
                run.session.workspace.root.string());
  }

  engine::RunOptions run_options;
  run_options.jobs = options.jobs;
  run_options.today = run.session.today;
  run_options.repository = run.repository ? &*run.repository : nullptr;
  run_options.git = {options.commits, options.all_branches};
  run_options.require_attestations = options.require_attestations;
  const auto check_start = Clock::now();
  run.result = engine::run(run.session.plan, run.session.constitution, run.session.config, run.session.workspace,
                           run_options);
  run.result.notes.insert(run.result.notes.end(), run.session.notes.begin(), run.session.notes.end());
  std::sort(run.result.notes.begin(), run.result.notes.end());
  if (options.history) {
    if (auto ok = add_history_findings(run.session, *run.repository, run_options, run.result); !ok)
      return std::unexpected(ok.error());
  }
  if (options.diff_base) {
    if (auto ok = keep_findings_new_since(run.session, *run.repository, *options.diff_base, run_options, run.result);
        !ok)
      return std::unexpected(ok.error());
  }
  if (options.baseline) {
    if (auto ok = keep_findings_not_in_baseline(*options.baseline, run.result); !ok) return std::unexpected(ok.error());
  }
  run.result.stats.times = run.session.times;
  run.result.stats.times.check = since(check_start);
  return run;
}

}  // namespace

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

Outcome check(const CheckOptions& options) {
  if (options.fail_on && *options.fail_on != "none" && !parse_severity(*options.fail_on))
    return usage_error(fmt::format("--fail-on must be critical, high, medium, low or none, got '{}'", *options.fail_on));
  auto run = run_check(options);
  if (!run) return usage_error(run.error().to_string());
  const Session& session = run->session;
  engine::RunResult& result = run->result;
  // --fail-on beats the config's fail_on (validated when the config was read); "none" never fails.
  const std::string fail_on = options.fail_on.value_or(
      session.config.fail_on ? std::string(to_string(*session.config.fail_on)) : std::string("low"));
  const bool never_fail = fail_on == "none";
  const Severity threshold = parse_severity(fail_on).value_or(Severity::low);

  Outcome outcome;
  report::Report rep;
  rep.tool_version = version_string();
  rep.root = session.root_display;
  rep.constitution_path = session.constitution.path;
  rep.constitution_version = session.constitution.version ? session.constitution.version->version : "";
  rep.run_date = session.today;
  rep.fail_on = threshold;
  rep.fail_on_none = never_fail;
  rep.rules = report_rules(session);
  rep.result = &result;
  const auto report_start = Clock::now();
  outcome.out = report::render(rep, options.format, {options.colour, options.stats});
  result.stats.times.report = since(report_start);
  if (options.stats) {
    // The report phase's time is only known after rendering: render again so the block is complete.
    outcome.out = report::render(rep, options.format, {options.colour, options.stats});
  }

  if (!never_fail) {
    for (const auto& f : result.findings) {
      if (!f.suppressed() && f.severity <= threshold) {
        outcome.exit_code = kExitViolations;
        break;
      }
    }
  }
  return outcome;
}

}  // namespace constable::app

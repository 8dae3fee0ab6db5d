// `constable audit` and `constable audit report`: many repositories checked
// with the engine `check` uses, remembered in a store across runs.

#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "app/app.hpp"
#include "audit/fleet.hpp"
#include "audit/recorder.hpp"
#include "audit/report.hpp"
#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/memory.hpp"
#include "dashboard/dashboard.hpp"
#include "engine/parallel.hpp"
#include "git/mirror.hpp"
#include "store/store.hpp"

namespace constable::app {

namespace {

constexpr std::chrono::seconds kQuietFor{2};
constexpr std::chrono::minutes kCloneTimeout{15};  // a first clone of a large repository over a slow link

// The run's record of the constitution: the one --constitution names, or
// none when each repository brings its own.
Result<store::Run> run_record(const AuditOptions& options, Date today) {
  store::Run run;
  run.started_at = utc_timestamp_now();
  run.run_date = today;
  run.constable_version = version_string();
  if (!options.constitution) {
    run.constitution_path = "(each repository's own)";
    return run;
  }
  auto text = files::read(*options.constitution);
  if (!text) return std::unexpected(text.error().error);
  auto parsed = constitution::parse(*text, options.constitution->string());
  if (!parsed) return std::unexpected(parsed.error());
  run.constitution_path = options.constitution->string();
  run.constitution_version = parsed->version ? parsed->version->version : "";
  run.constitution_sha256 = digest::sha256_hex(*text);
  return run;
}

}  // namespace

Outcome audit(const AuditOptions& options) {
  if (options.sources.empty()) return usage_error("audit needs at least one directory, git URL or fleet file");
  std::optional<audit::Shard> shard;
  if (options.shard) {
    auto parsed = audit::parse_shard(*options.shard);
    if (!parsed) return usage_error(parsed.error().to_string());
    shard = *parsed;
  }
  const std::filesystem::path clones =
      options.clones ? *options.clones
                     : (options.store.contains("://") ? std::filesystem::path(".constable")
                                                      : std::filesystem::path(options.store).parent_path()) /
                           "repos";
  auto fleet = audit::resolve_sources(options.sources, clones);
  if (!fleet) return usage_error(fleet.error().to_string());
  if (shard) std::erase_if(*fleet, [&](const audit::Repository& r) { return !audit::in_shard(r.name, *shard); });
  const Date today = options.today.value_or(Date::today());
  auto record = run_record(options, today);
  if (!record) return usage_error(record.error().to_string());
  auto opened = store::open_store(options.store);
  if (!opened) return usage_error(opened.error().to_string());
  store::Store& store = **opened;
  auto run_id = store.begin_run(*record);
  if (!run_id) return usage_error(run_id.error().to_string());

  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  const unsigned workers = std::min<unsigned>(options.jobs == 0 ? cores : options.jobs,
                                              static_cast<unsigned>(std::max<std::size_t>(1, fleet->size())));
  const unsigned jobs_each = std::max(1U, cores / workers);
  const auto started = std::chrono::steady_clock::now();
  audit::Recorder recorder(store, *run_id, today);
  std::mutex progress_mutex;
  std::size_t done = 0;
  std::optional<Error> store_error;

  engine::parallel_for(fleet->size(), workers, [&](std::size_t i) {
    memory::use_own_arena();
    const audit::Repository& repository = (*fleet)[i];
    store::RepositoryRun audited{.run = *run_id,
                                 .repository = repository.name,
                                 .team = repository.team,
                                 .source = repository.source,
                                 .commit = {},
                                 .error = repository.error};
    std::vector<engine::Finding> findings;
    std::optional<constitution::Constitution> constitution;
    int sprint_days = 14;
    if (audited.error.empty() && !repository.url.empty()) {
      // A remote repository: its clone, brought up to date.
      auto commit = git::clone_or_update_in_child(repository.url, repository.path, repository.branch, kCloneTimeout);
      if (!commit) audited.error = commit.error().to_string();
    }
    if (audited.error.empty()) {
      try {
        CheckOptions check;
        check.path = repository.path;
        check.constitution = repository.constitution ? repository.constitution : options.constitution;
        check.jobs = jobs_each;
        check.today = today;
        auto run = run_check(check);
        if (!run) {
          audited.error = run.error().to_string();
        } else {
          if (run->session.repository) audited.commit = run->session.repository->resolve("HEAD").value_or("");
          const report::ClauseCoverage coverage = clause_coverage(run->session, run->session.plan);
          audited.clauses = coverage.clauses;
          audited.clauses_enforced = coverage.enforced;
          audited.clauses_attested = coverage.attested;
          audited.files_checked = run->result.stats.files_checked;
          findings = std::move(run->result.findings);
          constitution = std::move(run->session.constitution);
          sprint_days = run->session.config.sprint_days;
        }
      } catch (const std::exception& e) {
        audited.error = fmt::format("constable failed on it: {}", e.what());
      }
    }
    if (auto ok = recorder.record(audited, findings, constitution ? &*constitution : nullptr, sprint_days); !ok) {
      const std::lock_guard lock(progress_mutex);
      store_error = ok.error();
      return;
    }
    const std::lock_guard lock(progress_mutex);
    ++done;
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (options.progress && elapsed >= kQuietFor)
      options.progress(fmt::format("audit: {}/{} repositories, {:.1f} s: {}", done, fleet->size(),
                                   std::chrono::duration<double>(elapsed).count(), repository.name));
  });
  if (store_error) return usage_error(fmt::format("{} (run {} is left unfinished)", store_error->to_string(), *run_id));
  if (auto ok = store.finish_run(*run_id); !ok) return usage_error(ok.error().to_string());

  Outcome outcome;
  outcome.out = recorder.summary(fleet->size(), "repository", "repositories",
                                 shard ? fmt::format(" (shard {}/{})", shard->index, shard->count) : std::string());
  outcome.exit_code = recorder.totals().errors.empty() ? kExitClean : kExitViolations;
  return outcome;
}

Outcome audit_report(const AuditReportOptions& options) {
  if (options.format != "text" && options.format != "markdown" && options.format != "json" && options.format != "html")
    return usage_error(fmt::format("--format must be text, markdown, json or html, got '{}'", options.format));
  if (options.format == "html" && !options.output)
    return usage_error("--format html writes a directory of linked pages: give --output DIR");
  std::error_code ec;
  if (!options.store.contains("://") && !std::filesystem::exists(options.store, ec))
    return usage_error(fmt::format("no store at {}: run `constable audit` first, or give --store", options.store));
  auto opened = store::open_store(options.store);
  if (!opened) return usage_error(opened.error().to_string());
  auto report = audit::build_report(**opened, options.today.value_or(Date::today()),
                                    {.team = options.team, .repository = options.repository});
  if (!report) return usage_error(report.error().to_string());
  Outcome outcome;
  if (options.format == "html") {
    auto written = dashboard::write_site(*report, *options.output);
    if (!written) return usage_error(written.error().to_string());
    outcome.err = fmt::format("constable: {} dashboard page{} written to {}; open {}\n", *written,
                              *written == 1 ? "" : "s", options.output->string(),
                              (*options.output / "index.html").string());
    return outcome;
  }
  if (options.format == "json")
    outcome.out = audit::render_report_json(*report);
  else if (options.format == "markdown")
    outcome.out = audit::render_report_markdown(*report);
  else
    outcome.out = audit::render_report_text(*report);
  if (options.output) {
    std::ofstream file(*options.output, std::ios::binary | std::ios::trunc);
    file << outcome.out;
    file.close();
    if (!file) return usage_error(fmt::format("{}: cannot write the report", options.output->string()));
    outcome.out.clear();
  }
  return outcome;
}

}  // namespace constable::app

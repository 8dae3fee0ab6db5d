#pragma once
// The commands behind the CLI, as functions from options to an outcome
// (output text, messages, exit code) so that they are testable without a
// process. Exit codes: 0 clean below the threshold, 1 violations, 2 usage or
// configuration error.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/transitions.hpp"
#include "constitution/model.hpp"
#include "core/date.hpp"
#include "engine/config.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "git/repository.hpp"
#include "report/report.hpp"
#include "workspace/workspace.hpp"

namespace constable::app {

inline constexpr int kExitClean = 0;
inline constexpr int kExitViolations = 1;
inline constexpr int kExitUsage = 2;

struct Outcome {
  int exit_code = kExitClean;
  std::string out;  // for stdout (or --output)
  std::string err;  // messages for stderr
};

// Exit code 2 with "constable: <message>" for stderr.
Outcome usage_error(std::string_view message);

struct CommonOptions {
  std::filesystem::path path = ".";           // repository root (or one file)
  std::optional<std::filesystem::path> constitution;
  std::optional<std::filesystem::path> config;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::optional<Date> today;
  unsigned jobs = 0;  // -j: threads for discovery and checking; 0 = one per core
  // Hears of each phase, file and chart (app/progress.hpp); null = silent.
  engine::ProgressListener* progress = nullptr;
};

// A report written to a file, besides the one on standard output
// (--output-format FORMAT=FILE).
struct ReportFile {
  report::Format format = report::Format::text;
  std::filesystem::path path;
};
// "sarif=out.sarif" -> {sarif, "out.sarif"}; an error saying what is wrong otherwise.
Result<ReportFile> parse_report_file(std::string_view spec);

struct CheckOptions : CommonOptions {
  // The PATHs of `check` (pre-commit passes the staged files). Empty, or a
  // single directory: that directory is the repository and all of it is
  // reported. Files or several paths: the repository is found from them
  // (app/targets.hpp) and only their findings are reported, those of the
  // repository-scope checks too only with `all`.
  std::vector<std::filesystem::path> paths;
  bool all = false;
  report::Format format = report::Format::text;
  std::optional<std::filesystem::path> baseline;  // report only findings not in it
  std::optional<std::string> diff_base;            // report only findings new since this revision
  std::string commits;                             // "BASE..HEAD": check these commit messages
  bool all_branches = false;                       // branch naming for every local branch
  bool history = false;                            // also scan every blob in git history
  // Rendered manifests to check with the repository's ("-" for standard
  // input), e.g. the output of `helm template`; findings point into them.
  std::vector<std::string> manifests;
  bool require_attestations = false;               // unenforced, unattested clauses are findings
  std::optional<std::string> fail_on;  // critical|high|medium|low|none
  bool stats = false;
  // Where results are kept between runs (engine/result_cache.hpp); none by default.
  std::optional<std::filesystem::path> cache;
  bool colour = false;
  // What the report shows (every format): findings at or above this
  // severity; the exit code still counts every finding (--fail-on).
  std::optional<Severity> min_severity;
  bool summary_first = false;                       // text: --summary first
  report::SortOrder sort = report::SortOrder::path;  // text: --sort
  bool quiet = false;                               // text: only the summary line
  // The report goes to this file instead of standard output (--output); a
  // one-line summary goes to standard error then.
  std::optional<std::filesystem::path> output;
  std::vector<ReportFile> report_files;  // more reports, each to its file
  // Platform limits; nullopt keeps report::RenderOptions' defaults, 0 lifts them.
  std::optional<std::size_t> markdown_max_bytes;  // --max-bytes
  std::optional<std::size_t> sarif_max_results;   // --max-results
};

struct CoverageOptions : CommonOptions {
  std::string format = "text";  // text|markdown|json
};

// Everything a command needs, resolved once: configuration layers merged,
// constitution found and parsed, workspace discovered, checks bound.
struct Session {
  engine::Config config;
  constitution::Constitution constitution;
  workspace::Workspace workspace;
  engine::Plan plan;
  Date today;
  std::string root_display;
  engine::PhaseTimes times;  // constitution, discover and bind are filled in
  // About the run itself, for every report: warnings about the constitution
  // (at its path:line) and checks that cannot run here.
  std::vector<workspace::Note> notes;
  // The git repository the workspace is in, or why there is none.
  Result<git::Repository> repository = std::unexpected(Error{"no repository looked for", {}, 0, 0});
  // The constitution's earlier versions and the clauses in their transition period.
  TransitionHistory transitions;
};

// engine::run with the session's constitution, configuration and transition
// periods: findings of clauses in transition are deprecation warnings, except
// a tightened clause's findings the earlier wording also had.
engine::RunResult run_plan(const engine::Plan& plan, const Session& session, const workspace::Workspace& workspace,
                           engine::RunOptions options);

// The stack fact of a workspace inside a git repository: the git checks
// (branches, tags, commits) apply only there.
inline constexpr std::string_view kGitRepositoryFact = "git";

// Where the constitution is looked for, in order, given the root and config.
std::vector<std::filesystem::path> constitution_candidates(const std::filesystem::path& root,
                                                           const engine::Config& config);

// The repository root a command's PATH names: the directory itself, or a
// file's directory.
std::filesystem::path root_of(const std::filesystem::path& path);

// The configuration layers (defaults, then --config or the root's
// .constable.yaml), without the command line's.
Result<engine::Config> load_configuration(const CommonOptions& options);

// Where the constitution is (without --constitution), and everywhere that
// was looked at to find it, in order, as `constable config` and the "no
// constitution found" error list them.
struct ConstitutionSearch {
  std::filesystem::path found;                 // empty when none (or several)
  std::vector<std::string> looked;             // "--constitution FILE", "'constitution:' in ...", paths, globs
  std::vector<std::filesystem::path> several;  // nested projects' constitutions, when more than one
};
ConstitutionSearch search_constitution(const std::filesystem::path& root, const engine::Config& config);
// The search's result, or the error that says where it looked or which
// projects' constitutions to choose from.
Result<std::filesystem::path> find_constitution(const std::filesystem::path& root, const engine::Config& config);

// Every check id and domain a --select, --ignore or waiver may name.
std::vector<std::string> known_selectors();

Result<Session> open_session(const CommonOptions& options);

// A session for files that are not on disk (the server's requests): the
// configuration and constitution `options` name (--config, --constitution or
// the config's `constitution:`; no repository is searched), an empty
// workspace with stack facts `stack`, and the checks bound for that stack.
Result<Session> open_detached_session(const CommonOptions& options, const workspace::StackFacts& stack);

// The checks bound for `stack` with the session's constitution and
// configuration and the options' --select and --ignore.
Result<engine::Plan> bind_checks(const Session& session, const CommonOptions& options,
                                 const workspace::StackFacts& stack);

// The report of a finished run as `check --format FORMAT` renders it (no
// --min-severity, the configuration's fail_on), for `plan`: the session's, or
// one bound for other files (the server binds per request), run on `run_date`.
std::string render_findings(const Session& session, const engine::Plan& plan, const engine::RunResult& result,
                            report::Format format, Date run_date);
// How many of the session's clauses `plan` enforces or an attestation covers,
// for every report's summary and the audit's record.
report::ClauseCoverage clause_coverage(const Session& session, const engine::Plan& plan);
// `coverage --format FORMAT` (text, markdown or json) of a session.
Result<std::string> coverage_report(const Session& session, std::string_view format);

// A finished check run, with the --diff and --baseline filters applied.
struct CheckRun {
  Session session;  // its repository, when there is one, is the run's
  engine::RunResult result;
};
Result<CheckRun> run_check(const CheckOptions& options);
// The severity at and above which findings fail a run (--fail-on, else the
// configuration's fail_on, else low), or nullopt when nothing fails it.
std::optional<Severity> failing_severity(const CheckOptions& options, const engine::Config& config);

Outcome check(const CheckOptions& options);
// Writes the findings of a check run to `file` as a baseline.
Outcome write_baseline(const CheckOptions& options, const std::filesystem::path& file);
Outcome coverage(const CoverageOptions& options);
Outcome explain(const CommonOptions& options, const std::string& id);
Outcome list_checks(const CommonOptions& options, const std::string& format);
Outcome print_config(const CommonOptions& options);

// `constable init [PATH]`: writes a commented .constable.yaml for the
// repository (app/init_command.cpp).
struct InitOptions {
  std::filesystem::path path = ".";
  std::optional<std::filesystem::path> constitution;  // else discovered
  bool force = false;                                 // overwrite an existing .constable.yaml
  std::optional<std::filesystem::path> baseline;      // also write a baseline of today's findings
  std::optional<Date> today;
};
Outcome init(const InitOptions& options);
// `constable constitution lint|diff|amend` (app/constitution_command.cpp).
struct ConstitutionOptions {
  std::optional<std::filesystem::path> file;  // else the one `check` would find under root
  std::filesystem::path root = ".";
  std::string format = "text";                // text|json
  std::optional<Date> today;
};
// Exit 0 with notes only, 1 with errors or warnings, 2 when the file cannot be read.
Outcome constitution_lint(const ConstitutionOptions& options);

// `constitution diff OLD NEW`, `constitution diff [FILE] --rev REV`, and
// `constitution amend [FILE] [--to X.Y.Z]`: the newer version is `file` (else
// the one `check` would use), the older `old_file` or the newer's path at
// `revision` (default HEAD).
struct ConstitutionChangeOptions : ConstitutionOptions {
  std::optional<std::filesystem::path> old_file;
  std::optional<std::string> revision;
  std::vector<std::filesystem::path> impact;  // diff: repositories to check with both versions
  std::optional<std::string> impact_store;    // diff: and those the audit store's latest run audited
  CommonOptions common;                       // diff --impact: how they are checked
  std::optional<std::string> to;              // amend: the new version (default: the bump required)
  bool dry_run = false;                       // amend: print the file instead of writing it
};
// Exit 1 when the version bump made is less than the change requires.
Outcome constitution_diff(const ConstitutionChangeOptions& options);
Outcome constitution_amend(const ConstitutionChangeOptions& options);

// What an amendment would do to a repository's gate: its failing findings
// checked with the old constitution and with the new one, matched by file,
// check and fingerprint.
struct RepositoryImpact {
  std::string repository;
  std::string error;  // why it could not be checked; the others still are
  std::size_t failing_before = 0;
  std::size_t failing_after = 0;
  std::size_t new_findings = 0;       // failing after, not before
  std::size_t resolved_findings = 0;  // failing before, not after
  std::map<std::string, std::size_t> new_by_check;
  bool newly_fails() const { return error.empty() && failing_before == 0 && failing_after > 0; }
};
std::vector<RepositoryImpact> fleet_impact(const std::filesystem::path& before, const std::filesystem::path& after,
                                           const std::vector<std::filesystem::path>& repositories,
                                           const CommonOptions& common);
std::string render_impact_text(const std::vector<RepositoryImpact>& impacts);

// `constable audit SOURCES...` (app/audit_command.cpp): each repository
// checked as `check` checks it, every finding tracked in the store across
// runs (audit/tracking.hpp). Exit 0 when every repository was audited, 1 when
// some could not be (each recorded with why), 2 on a usage or store error.
struct AuditOptions {
  std::vector<std::string> sources;  // directories, fleet files
  std::string store = ".constable/audit.db";
  // Where remote repositories are cloned and kept between audits; default:
  // repos/ beside the store.
  std::optional<std::filesystem::path> clones;
  std::optional<std::filesystem::path> constitution;  // else each repository's own
  unsigned jobs = 0;                                  // repositories at once; 0 = one per core
  std::optional<std::string> shard;                   // "I/N"
  std::optional<Date> today;
  // Hears "3/10 repositories, 4.2 s: payments" lines once the audit has taken two seconds.
  std::function<void(std::string_view)> progress;
};
Outcome audit(const AuditOptions& options);

// `constable audit report`: the store's latest state (audit/report.hpp).
struct AuditReportOptions {
  std::string store = ".constable/audit.db";
  std::string format = "text";  // text|markdown|json|html
  // html: the directory the dashboard's pages go to (dashboard/dashboard.hpp);
  // other formats: the file the report goes to instead of stdout.
  std::optional<std::filesystem::path> output;
  std::optional<std::string> team;
  std::optional<std::string> repository;
  std::optional<Date> today;
};
Outcome audit_report(const AuditReportOptions& options);

// Writes (or with check_only compares) one Markdown page per check under `dir`.
Outcome generate_docs(const std::filesystem::path& dir, bool check_only);

// `policy eval --cases`: test cases in OPA's YAML format; exit 1 when one fails.
Outcome policy_eval_cases(const std::vector<std::string>& files, bool verbose);
// `policy test DIR`: every test_ rule of the .rego files under DIR, as `opa test` runs them.
Outcome policy_test(const std::filesystem::path& directory, bool verbose);
// `policy verify PATH...`: Gatekeeper's suite.yaml files (gator verify), per case and per template.
Outcome policy_verify(const std::vector<std::filesystem::path>& paths, bool verbose);
// `policy export --format gatekeeper DIR`: the built-in checks with a Gatekeeper form, bound to this constitution.
Outcome policy_export(const CommonOptions& options, const std::filesystem::path& directory);

std::string version_string();

struct LibraryVersion {
  std::string name;
  std::string version;
};
// `constable version`: the version, the commit it was built from and the
// version of every library it links, read from their headers or at run time;
// `linked_by_caller` adds those only the caller links (CLI11 for the CLI).
std::string version_report(const std::vector<LibraryVersion>& linked_by_caller = {});

}  // namespace constable::app

// The command-line edge: parses arguments with CLI11, calls the app layer,
// writes its output and turns everything into an exit code. Exceptions stop
// here.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/app.hpp"
#include "app/progress.hpp"
#include "cli/cli_model.hpp"
#include "cluster/cluster_audit.hpp"
#include "core/text.hpp"
#include "git/mirror.hpp"
#include "mcp/command.hpp"
#include "serve/command.hpp"

namespace {

using namespace constable;

// `check` takes several PATHs instead of the one `path` (single_path false).
void add_common(CLI::App& cmd, app::CommonOptions& o, std::string& today, bool single_path = true) {
  if (single_path) cmd.add_option("path", o.path, "Repository root (or a single file) to check")->capture_default_str();
  cmd.add_option("--constitution", o.constitution, "Constitution Markdown file (else discovered)");
  cmd.add_option("--config", o.config, "Configuration file (default: PATH/.constable.yaml)");
  cmd.add_option("--select", o.select, "Only these checks or domains (comma-separated)")->delimiter(',');
  cmd.add_option("--ignore", o.ignore, "Skip these checks or domains (comma-separated)")->delimiter(',');
  cmd.add_option("--today", today, "Date to compute due dates and expiries from (YYYY-MM-DD; or CONSTABLE_TODAY)");
}

int emit(const app::Outcome& outcome, const std::string& output_file) {
  if (!outcome.err.empty()) std::cerr << outcome.err;
  if (output_file.empty() || output_file == "-") {
    std::cout << outcome.out;
    std::cout.flush();
    return outcome.exit_code;
  }
  std::ofstream out(output_file, std::ios::binary);
  out << outcome.out;
  if (!out) {
    std::cerr << fmt::format("constable: cannot write {}\n", output_file);
    return app::kExitUsage;
  }
  return outcome.exit_code;
}

// `constable completion SHELL` and `constable man`: written from the CLI11
// definitions themselves, with the check ids for --select and friends.
int generated_docs(const CLI::App& cli, const CLI::App* completion_cmd, const std::string& shell,
                   const std::string& man_output, bool man_check) {
  const cli::CommandModel model = cli::describe(cli);
  if (*completion_cmd) {
    const std::vector<std::string> selectors = app::known_selectors();
    std::vector<std::string> check_ids;
    for (const auto& s : selectors)
      if (s.find('/') != std::string::npos) check_ids.push_back(s);
    const cli::ValueHints hints{{"--select", selectors}, {"--ignore", selectors}, {"id", check_ids}};
    const auto script = cli::completion_script(model, shell, hints);
    if (!script) return app::kExitUsage;  // CLI11 validated the shell already
    std::cout << *script;
    return 0;
  }
  const std::string page = cli::man_page(model);
  if (man_output.empty() || man_output == "-") {
    if (man_check) {
      std::cerr << "constable: man --check compares with a file: give it with --output\n";
      return app::kExitUsage;
    }
    std::cout << page;
    return 0;
  }
  if (man_check) {
    std::ifstream in(man_output, std::ios::binary);
    const std::string current((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (current == page) return 0;
    std::cerr << fmt::format("constable: {} is out of date; run `constable man -o {}`\n", man_output, man_output);
    return app::kExitViolations;
  }
  std::ofstream out(man_output, std::ios::binary);
  out << page;
  if (!out) {
    std::cerr << fmt::format("constable: cannot write {}\n", man_output);
    return app::kExitUsage;
  }
  return 0;
}

int run(int argc, char** argv) {
  CLI::App cli{"constable: makes a project's constitution executable"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", app::version_string());

  app::CheckOptions check;
  std::string check_today, format = "text", output, colour = "auto";
  auto* check_cmd = cli.add_subcommand("check", "Check a repository against its constitution");
  add_common(*check_cmd, check, check_today, false);
  check_cmd->add_option("path", check.paths,
                        "Repository root (default .), or files and directories in it (pre-commit's staged files): "
                        "the repository is found from them and only their findings are reported");
  check_cmd->add_flag("--all", check.all,
                      "With file paths: also report the repository-scope checks (git, required documents, "
                      "attestations)");
  check_cmd->add_option("--format", format, std::string(report::format_names()))
      ->capture_default_str();
  check_cmd->add_option("--output,-o", output, "Write the report to this file instead of standard output");
  std::vector<std::string> report_files;
  check_cmd->add_option("--output-format", report_files,
                        "Also write the report in FORMAT to FILE, as FORMAT=FILE (repeatable), e.g. sarif=out.sarif")
      ->allow_extra_args(false);
  check_cmd->add_option("--max-bytes", check.markdown_max_bytes,
                        "Markdown: keep the report under N bytes (default 60000, for a PR comment; 0: no limit)")
      ->check(CLI::NonNegativeNumber);
  check_cmd->add_option("--max-results", check.sarif_max_results,
                        "SARIF: keep the N most severe results (default 25000, code scanning's limit; 0: no limit)")
      ->check(CLI::NonNegativeNumber);
  check_cmd->add_option("--fail-on", check.fail_on, "Exit 1 at or above: critical, high, medium, low (default) or none")
      ->type_name("critical|high|medium|low|none");
  check_cmd->add_option("-j,--jobs", check.jobs, "Parallel jobs (default: one per core)");
  check_cmd->add_flag("--stats", check.stats, "Show per-phase timings and counts");
  check_cmd->add_option("--cache", check.cache,
                        "Keep results in DIR and reuse them for files, phases and charts unchanged since (off by "
                        "default)")
      ->type_name("DIR");
  cli::choices(check_cmd->add_option("--color", colour,
                                     "Colours in the text report (auto: on a terminal, unless NO_COLOR is set)"),
               {"auto", "always", "never"})
      ->capture_default_str();
  check_cmd->add_option("--baseline", check.baseline, "Report only findings not in this baseline file");
  check_cmd->add_option("--diff", check.diff_base, "Report only findings new since this git revision (PR gate)");
  check_cmd->add_option("--commits", check.commits, "Check these commits' messages, as BASE..HEAD");
  check_cmd->add_flag("--all-branches", check.all_branches, "Check the names of all local branches");
  check_cmd->add_flag("--history", check.history, "Also scan every blob in git history for secrets, once each");
  check_cmd->add_option("--manifests", check.manifests,
                        "Also check these rendered Kubernetes manifests (e.g. helm template output); - for stdin")
      ->allow_extra_args(false);
  check_cmd->add_flag("--require-attestations", check.require_attestations,
                      "Report every clause no check enforces and no attestation covers (low)");
  // Completion and the man page offer the formats by name.
  check_cmd->get_option("--format")->type_name(cli::alternatives(report::format_names()));
  // Triage and feedback (issue 12).
  std::string summary_position = "last", sort_order = "path", min_severity;
  bool verbose = false, debug = false, force_progress = false;
  cli::choices(check_cmd->add_option("--summary", summary_position,
                                     "Text: the summary (totals, checks, most severe findings) before or after "
                                     "the findings"),
               {"first", "last"})
      ->capture_default_str();
  cli::choices(check_cmd->add_option("--sort", sort_order, "Text: findings grouped by file, or by severity then file"),
               {"path", "severity"})
      ->capture_default_str();
  cli::choices(check_cmd->add_option("--min-severity", min_severity,
                                     "Show only findings at or above this severity (every format; the exit code "
                                     "still follows --fail-on)"),
               {"critical", "high", "medium", "low"});
  check_cmd->add_flag("-q,--quiet", check.quiet, "Text: print only the summary line (and errors)");
  check_cmd->add_flag("-v,--verbose", verbose, "Say on stderr what each phase does and which file or chart it is on");
  check_cmd->add_flag("--debug", debug, "As --verbose, with how long each phase and file took");
  check_cmd->add_flag("--progress", force_progress,
                      "Progress on stderr even when it is not a terminal or the run is short (CI logs)");

  app::CheckOptions baseline;
  std::string baseline_today, baseline_file;
  auto* baseline_cmd = cli.add_subcommand("baseline", "Record the current findings so later runs report only new ones");
  baseline_cmd->require_subcommand(1);
  auto* baseline_write_cmd = baseline_cmd->add_subcommand("write", "Write the current findings to FILE");
  baseline_write_cmd->add_option("file", baseline_file, "Baseline file to write (JSON)")->required();
  add_common(*baseline_write_cmd, baseline, baseline_today);

  app::CoverageOptions coverage;
  std::string coverage_today, coverage_output;
  auto* coverage_cmd = cli.add_subcommand("coverage", "List every clause and the checks that enforce it");
  add_common(*coverage_cmd, coverage, coverage_today);
  coverage_cmd->add_option("--format", coverage.format, "text, markdown or json")
      ->type_name("text|markdown|json")
      ->capture_default_str();
  coverage_cmd->add_option("--output,-o", coverage_output, "Write to this file instead of standard output");

  app::CommonOptions explain;
  std::string explain_today, explain_id;
  auto* explain_cmd = cli.add_subcommand("explain", "Explain a check or a clause");
  explain_cmd->add_option("id", explain_id, "Check id (docker/non-root-user) or clause id")->required();
  explain_cmd->add_option("path", explain.path, "Repository root")->capture_default_str();
  explain_cmd->add_option("--constitution", explain.constitution, "Constitution Markdown file");
  explain_cmd->add_option("--config", explain.config, "Configuration file");

  app::CommonOptions checks;
  std::string checks_today, checks_format = "text";
  auto* checks_cmd = cli.add_subcommand("checks", "List the checks constable ships");
  add_common(*checks_cmd, checks, checks_today);
  checks_cmd->add_option("--format", checks_format, "text or json")->type_name("text|json")->capture_default_str();

  app::CommonOptions config;
  std::string config_today;
  auto* config_cmd = cli.add_subcommand("config", "Print the effective configuration");
  add_common(*config_cmd, config, config_today);

  std::string docs_dir = "docs/checks";
  bool docs_check = false;
  auto* docs_cmd = cli.add_subcommand("docs", "Generate one Markdown page per check");
  docs_cmd->add_option("--output,-o", docs_dir, "Directory for the pages")->capture_default_str();
  docs_cmd->add_flag("--check", docs_check, "Fail if the pages are out of date instead of writing them");

  auto* version_cmd = cli.add_subcommand("version", "Print the version");

  app::InitOptions init;
  std::string init_today;
  auto* init_cmd = cli.add_subcommand("init", "Write a commented .constable.yaml for an existing repository");
  init_cmd->add_option("path", init.path, "Repository root")->capture_default_str();
  init_cmd->add_option("--constitution", init.constitution, "Constitution Markdown file (else discovered)");
  init_cmd->add_flag("--force", init.force, "Replace an existing .constable.yaml");
  init_cmd->add_option("--baseline", init.baseline, "Also record today's findings in this baseline file");
  init_cmd->add_option("--today", init_today, "Date for the baseline's due dates (YYYY-MM-DD; or CONSTABLE_TODAY)");

  app::ConstitutionOptions constitution_lint;
  std::string constitution_today;
  auto* constitution_cmd =
      cli.add_subcommand("constitution", "The constitution as a versioned document: lint, diff, amend");
  constitution_cmd->require_subcommand(1);
  auto* constitution_lint_cmd =
      constitution_cmd->add_subcommand("lint", "Find the constitution's own problems (exit 1 on errors or warnings)");
  constitution_lint_cmd->add_option("file", constitution_lint.file, "Constitution Markdown file (else discovered)");
  constitution_lint_cmd->add_option("--format", constitution_lint.format, "text or json")
      ->type_name("text|json")
      ->capture_default_str();
  constitution_lint_cmd->add_option("--today", constitution_today,
                                    "Date footer dates must not be after (YYYY-MM-DD; or CONSTABLE_TODAY)");

  app::ConstitutionChangeOptions constitution_diff;
  std::string constitution_diff_old, constitution_diff_new;
  auto* constitution_diff_cmd = constitution_cmd->add_subcommand(
      "diff", "Compare two versions clause by clause, with the SemVer bump the change requires (exit 1 if under-bumped)");
  constitution_diff_cmd->add_option("old", constitution_diff_old, "The older version (or, with --rev, the file)");
  constitution_diff_cmd->add_option("new", constitution_diff_new, "The newer version");
  constitution_diff_cmd->add_option("--rev", constitution_diff.revision,
                                    "Compare the file with itself at this git revision (e.g. HEAD~1, origin/main)");
  constitution_diff_cmd->add_option("--format", constitution_diff.format, "text or json")
      ->type_name("text|json")
      ->capture_default_str();
  constitution_diff_cmd->add_option("--impact", constitution_diff.impact,
                                    "Check these repositories with both versions: which would newly fail");
  constitution_diff_cmd->add_option("--impact-store", constitution_diff.impact_store,
                                    "Also check every repository the audit store's latest run audited");

  app::ConstitutionChangeOptions constitution_amend;
  std::string constitution_amend_today;
  auto* constitution_amend_cmd = constitution_cmd->add_subcommand(
      "amend", "Write the Sync Impact Report and the version footer of an edited constitution");
  constitution_amend_cmd->add_option("file", constitution_amend.file, "Constitution Markdown file (else discovered)");
  constitution_amend_cmd->add_option("--to", constitution_amend.to, "The new version (default: the bump the change requires)");
  constitution_amend_cmd->add_option("--rev", constitution_amend.revision,
                                     "The previous version is the file at this git revision (default HEAD)");
  constitution_amend_cmd->add_option("--from", constitution_amend.old_file, "The previous version is this file");
  constitution_amend_cmd->add_flag("--dry-run", constitution_amend.dry_run, "Print the amended file instead of writing it");
  constitution_amend_cmd->add_option("--today", constitution_amend_today, "The Last Amended date (YYYY-MM-DD; or CONSTABLE_TODAY)");

  app::AuditOptions audit_options;
  std::string audit_today, audit_constitution;
  auto* audit_cmd = cli.add_subcommand(
      "audit", "Audit many repositories and remember every violation across runs, with its due date (docs/audit.md)");
  audit_cmd->add_option("sources", audit_options.sources,
                        "Repository directories, git URLs (https, ssh, file) and fleet files (fleet.yaml)");
  audit_cmd->add_option("--store", audit_options.store, "Where runs are kept: a path, sqlite:///path/audit.db or postgresql://user@host/database")
      ->capture_default_str();
  audit_cmd->add_option("--constitution", audit_constitution,
                        "Constitution for every repository (else each repository's own)");
  audit_cmd->add_option("--clones", audit_options.clones,
                        "Where remote repositories are cloned and kept (default: repos/ beside the store)");
  audit_cmd->add_option("-j,--jobs", audit_options.jobs, "Repositories audited at once (default: one per core)");
  audit_cmd->add_option("--shard", audit_options.shard,
                        "Audit only slice I of N of the fleet (I/N, e.g. $JOB_COMPLETION_INDEX/4)");
  audit_cmd->add_option("--today", audit_today, "Date due dates count from (YYYY-MM-DD; or CONSTABLE_TODAY)");
  bool audit_cluster = false, audit_insecure = false;
  std::string audit_kubeconfig, audit_context, audit_reports = "none";
  std::vector<std::string> audit_namespaces;
  audit_cmd->add_flag("--cluster", audit_cluster,
                      "Audit a cluster's live objects through the Kubernetes API instead of repositories, one "
                      "namespace as one repository (docs/audit.md#cluster-mode)");
  audit_cmd->add_option("--kubeconfig", audit_kubeconfig, "With --cluster: the kubeconfig (else $KUBECONFIG, the pod's "
                                                          "service account, ~/.kube/config)");
  audit_cmd->add_option("--context", audit_context, "With --cluster: the kubeconfig's context (else its current one)");
  audit_cmd->add_option("--namespace", audit_namespaces, "With --cluster: only these namespaces (repeatable)");
  cli::choices(audit_cmd->add_option("--policy-reports", audit_reports,
                                     "With --cluster: also write each namespace's results to the cluster as a "
                                     "PolicyReport (wgpolicyk8s) or an OpenReports Report"),
               {"none", "wgpolicyk8s", "openreports"})
      ->capture_default_str();
  audit_cmd->add_flag("--insecure-skip-tls-verify", audit_insecure,
                      "With --cluster: honour the kubeconfig's insecure-skip-tls-verify (refused otherwise)");
  app::AuditReportOptions audit_report_options;
  std::string audit_report_today;
  auto* audit_report_cmd = audit_cmd->add_subcommand(
      "report", "What the store remembers: open and overdue violations per repository and team, trends, time to fix");
  audit_report_cmd->add_option("--store", audit_report_options.store, "The store (a path, sqlite:///path/audit.db or postgresql://user@host/database)")
      ->capture_default_str();
  audit_report_cmd->add_option("--format", audit_report_options.format,
                               "text, markdown, json, or html: the dashboard's linked pages, into --output DIR")
      ->type_name("text|markdown|json|html")
      ->capture_default_str();
  audit_report_cmd->add_option("-o,--output", audit_report_options.output,
                               "Write to this file instead of stdout (html: this directory)")
      ->type_name("FILE|DIR");
  audit_report_cmd->add_option("--team", audit_report_options.team, "Only this team's repositories");
  audit_report_cmd->add_option("--repo", audit_report_options.repository, "Only this repository");
  audit_report_cmd->add_option("--today", audit_report_today, "Date lateness counts to (YYYY-MM-DD; or CONSTABLE_TODAY)");

  std::string completion_shell;
  auto* completion_cmd = cli.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
  cli::choices(completion_cmd->add_option("shell", completion_shell, "The shell"), {"bash", "zsh", "fish"})
      ->required();

  std::string man_output;
  bool man_check = false;
  auto* man_cmd = cli.add_subcommand("man", "Print the manual page, constable(1), in roff");
  man_cmd->add_option("--output,-o", man_output, "Write it to this file instead of standard output");
  man_cmd->add_flag("--check", man_check, "With --output: fail if the file is out of date instead of writing it");

  serve::ServeOptions serve_options;
  std::string serve_today, serve_config, serve_constitution;
  auto* serve_cmd = cli.add_subcommand(
      "serve", "Enforce the constitution at Kubernetes admission, with a REST API and metrics (docs/serve.md)");
  serve_cmd->add_option("--config", serve_config, "Configuration file (.constable.yaml; `admission:` sets enforcement)");
  serve_cmd->add_option("--constitution", serve_constitution, "Constitution Markdown file (else the config's)");
  serve_cmd->add_option("--select", serve_options.sources.select, "Only these checks or domains (comma-separated)")
      ->delimiter(',');
  serve_cmd->add_option("--ignore", serve_options.sources.ignore, "Skip these checks or domains (comma-separated)")
      ->delimiter(',');
  serve_cmd->add_option("--listen", serve_options.listen, "Address and port (ADDR:PORT, [IPv6]:PORT)")
      ->capture_default_str();
  serve_cmd->add_option("--tls-cert", serve_options.tls_certificate, "Certificate chain (PEM), re-read when it changes");
  serve_cmd->add_option("--tls-key", serve_options.tls_key, "Private key (PEM), re-read when it changes");
  serve_cmd->add_flag("--insecure", serve_options.insecure, "Plain HTTP without TLS, for local use");
  serve_cmd->add_option("--store", serve_options.store,
                        "Serve the audit dashboard at / and its JSON under /api/v1/audit from this audit store "
                        "(a path, sqlite:///path/audit.db or postgresql://user@host/database)")
      ->type_name("URL");
  serve_cmd->add_option("--threads", serve_options.threads, "Event loops, a thread each, that read, judge and answer requests (default: one per core); accepting has its own thread");
  serve_cmd->add_option("--max-body", serve_options.max_body, "Largest request body")->capture_default_str();
  serve_cmd->add_option("--rate-limit", serve_options.rate_limit,
                        "Requests per second per client address (0: no limit)")
      ->capture_default_str();
  serve_cmd->add_option("--today", serve_today, "Date to compute due dates from (YYYY-MM-DD; or CONSTABLE_TODAY)");
  serve_cmd->add_option("--kube-api", serve_options.kube_api,
                        "Where namespace labels come from: auto (the in-cluster API), none, or an https:// URL")
      ->capture_default_str();
  serve_cmd->add_option("--kube-ca", serve_options.kube_ca, "With --kube-api URL: the cluster's CA (PEM)");
  serve_cmd->add_option("--kube-token", serve_options.kube_token, "With --kube-api URL: a file holding a bearer token");
  serve_cmd->add_option("--oidc-issuer", serve_options.oidc_issuer,
                        "OpenID Connect issuer whose bearer tokens the REST API requires (https://...)");
  serve_cmd->add_option("--oidc-audience", serve_options.oidc_audience, "The audience (client id) tokens must name");
  serve_cmd->add_option("--oidc-ca", serve_options.oidc_ca, "CAs to trust for the issuer (PEM; else the system's)");

  mcp::CommandOptions mcp_options;
  std::string mcp_config, mcp_constitution, mcp_today, mcp_root = ".";
  auto* mcp_cmd = cli.add_subcommand(
      "mcp", "Serve the constitution to coding agents over the Model Context Protocol (docs/mcp.md)");
  cli::choices(mcp_cmd->add_option("--transport", mcp_options.transport, "stdio, or Streamable HTTP at /mcp"),
               {"stdio", "http"})
      ->capture_default_str();
  mcp_cmd->add_option("--listen", mcp_options.listen, "With --transport http: address and port")->capture_default_str();
  mcp_cmd->add_option("--allowed-host", mcp_options.allowed_hosts,
                      "With --transport http: a host name accepted in Host and Origin besides loopback ones");
  mcp_cmd->add_option("--root", mcp_root, "The repository agents work in: paths resolve here")->capture_default_str();
  mcp_cmd->add_option("--constitution", mcp_constitution, "Constitution Markdown file (else the root's)");
  mcp_cmd->add_option("--config", mcp_config, "Configuration file (else the root's .constable.yaml)");
  mcp_cmd->add_option("--store", mcp_options.server.store, "The audit store list_overdue reads (default ROOT/.constable/audit.db)");
  mcp_cmd->add_option("--today", mcp_today, "Date due dates count from (YYYY-MM-DD; or CONSTABLE_TODAY)");

  std::vector<std::string> policy_case_files;
  bool policy_verbose = false;
  auto* policy_cmd = cli.add_subcommand("policy", "Rego policies: run their tests and evaluate test cases (docs/policies.md)");
  policy_cmd->require_subcommand(1);
  auto* policy_eval_cmd =
      policy_cmd->add_subcommand("eval", "Run test cases in OPA's YAML case format; exit 1 when one fails");
  policy_eval_cmd->add_option("--cases", policy_case_files, "Case files (cases: [{note, query, modules, ...}])")
      ->required()
      ->allow_extra_args(true);
  policy_eval_cmd->add_flag("-v,--verbose", policy_verbose, "Also list the cases that pass");
  std::string policy_test_dir;
  auto* policy_test_cmd =
      policy_cmd->add_subcommand("test", "Run the test_ rules of the policies under DIR, as `opa test` does");
  policy_test_cmd->add_option("dir", policy_test_dir, "Directory of .rego files and their *_test.rego files")
      ->required();
  policy_test_cmd->add_flag("-v,--verbose", policy_verbose, "Also list the tests that pass");
  std::vector<std::filesystem::path> policy_suites;
  auto* policy_verify_cmd = policy_cmd->add_subcommand(
      "verify", "Run Gatekeeper test suites (suite.yaml, as `gator verify`) against their ConstraintTemplates");
  policy_verify_cmd->add_option("paths", policy_suites, "Suite files, or directories searched for suite.yaml")
      ->required();
  policy_verify_cmd->add_flag("-v,--verbose", policy_verbose, "Also list the cases that pass");
  app::CommonOptions policy_export_options;
  std::string policy_export_today, policy_export_format = "gatekeeper";
  std::filesystem::path policy_export_dir;
  auto* policy_export_cmd = policy_cmd->add_subcommand(
      "export", "Write the built-in admission checks as Gatekeeper ConstraintTemplates with their Constraints");
  policy_export_cmd->add_option("dir", policy_export_dir, "Directory to write them to")->required();
  cli::choices(policy_export_cmd->add_option("--format", policy_export_format, "The policy engine's format"),
               {"gatekeeper"})
      ->capture_default_str();
  policy_export_cmd->add_option("--constitution", policy_export_options.constitution,
                                "Constitution Markdown file (else the --config file's)");
  policy_export_cmd->add_option("--config", policy_export_options.config, "Configuration file");

  serve::HealthOptions health_options;
  unsigned health_timeout_ms = 2000;
  auto* health_cmd =
      cli.add_subcommand("health", "Probe a running `constable serve` (exit 0 when ready), for container HEALTHCHECKs");
  health_cmd->add_option("--url", health_options.url, "Readiness URL")->capture_default_str();
  health_cmd->add_option("--ca", health_options.ca_file, "Verify the server against this CA (PEM)");
  health_cmd->add_option("--timeout-ms", health_timeout_ms, "Give up after this long")->capture_default_str();

  cli::add_help_footers(cli);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      if (auto hint = cli::parse_error_hint(cli, std::vector<std::string>(argv + 1, argv + argc))) {
        std::cerr << fmt::format("constable: {}\n", *hint);
        return app::kExitUsage;
      }
    }
    const int code = cli.exit(e);
    return code == 0 ? 0 : app::kExitUsage;
  }

  auto parse_today = [](const std::string& text, app::CommonOptions& o) {
    if (text.empty()) return true;
    o.today = Date::parse(text);
    if (!o.today) std::cerr << fmt::format("constable: --today must be YYYY-MM-DD, got '{}'\n", text);
    return o.today.has_value();
  };

  if (*check_cmd) {
    if (!parse_today(check_today, check)) return app::kExitUsage;
    auto parsed = report::parse_format(format);
    if (!parsed) {
      std::cerr << fmt::format("constable: --format must be {}, got '{}'\n", report::format_names(), format);
      return app::kExitUsage;
    }
    check.format = *parsed;
    for (const std::string& spec : report_files) {
      auto file = app::parse_report_file(spec);
      if (!file) {
        std::cerr << fmt::format("constable: {}\n", file.error().to_string());
        return app::kExitUsage;
      }
      check.report_files.push_back(std::move(*file));
    }
    if (!output.empty() && output != "-") check.output = output;
    const bool to_terminal = (output.empty() || output == "-") && isatty(STDOUT_FILENO) != 0;
    check.colour = colour == "always" || (colour == "auto" && to_terminal && std::getenv("NO_COLOR") == nullptr);
    check.summary_first = summary_position == "first";
    check.sort = sort_order == "severity" ? report::SortOrder::severity : report::SortOrder::path;
    if (!min_severity.empty()) check.min_severity = parse_severity(min_severity);
    const app::ProgressSettings progress_settings =
        app::progress_settings(check.quiet, verbose, debug, force_progress, isatty(STDERR_FILENO) != 0);
    std::optional<app::TerminalProgress> progress;
    if (app::wants_progress(progress_settings)) {
      progress.emplace(progress_settings, [](std::string_view text) {
        std::fwrite(text.data(), 1, text.size(), stderr);
        std::fflush(stderr);
      });
      check.progress = &*progress;
    }
    app::Outcome outcome = app::check(check);
    if (progress) progress->finish();
    return emit(outcome, {});  // app::check writes --output itself
  }
  if (*baseline_write_cmd) {
    if (!parse_today(baseline_today, baseline)) return app::kExitUsage;
    return emit(app::write_baseline(baseline, baseline_file), {});
  }
  if (*coverage_cmd) {
    if (!parse_today(coverage_today, coverage)) return app::kExitUsage;
    return emit(app::coverage(coverage), coverage_output);
  }
  if (*explain_cmd) return emit(app::explain(explain, explain_id), {});
  if (*checks_cmd) {
    if (!parse_today(checks_today, checks)) return app::kExitUsage;
    return emit(app::list_checks(checks, checks_format), {});
  }
  if (*config_cmd) {
    if (!parse_today(config_today, config)) return app::kExitUsage;
    return emit(app::print_config(config), {});
  }
  if (*docs_cmd) return emit(app::generate_docs(docs_dir, docs_check), {});
  if (*policy_eval_cmd) return emit(app::policy_eval_cases(policy_case_files, policy_verbose), {});
  if (*policy_test_cmd) return emit(app::policy_test(policy_test_dir, policy_verbose), {});
  if (*policy_verify_cmd) return emit(app::policy_verify(policy_suites, policy_verbose), {});
  if (*policy_export_cmd) return emit(app::policy_export(policy_export_options, policy_export_dir), {});
  if (*constitution_lint_cmd) {
    if (!constitution_today.empty()) {
      constitution_lint.today = Date::parse(constitution_today);
      if (!constitution_lint.today) {
        std::cerr << fmt::format("constable: --today must be YYYY-MM-DD, got '{}'\n", constitution_today);
        return app::kExitUsage;
      }
    }
    return emit(app::constitution_lint(constitution_lint), {});
  }
  if (*constitution_diff_cmd) {
    // OLD NEW, or FILE with --rev.
    if (!constitution_diff_new.empty()) {
      constitution_diff.old_file = constitution_diff_old;
      constitution_diff.file = constitution_diff_new;
    } else if (!constitution_diff_old.empty()) {
      if (!constitution_diff.revision) {
        std::cerr << "constable: constitution diff takes OLD NEW, or FILE with --rev REV\n";
        return app::kExitUsage;
      }
      constitution_diff.file = constitution_diff_old;
    } else if (!constitution_diff.revision) {
      std::cerr << "constable: constitution diff takes OLD NEW, or --rev REV [FILE]\n";
      return app::kExitUsage;
    }
    return emit(app::constitution_diff(constitution_diff), {});
  }
  if (*constitution_amend_cmd) {
    if (!constitution_amend_today.empty()) {
      constitution_amend.today = Date::parse(constitution_amend_today);
      if (!constitution_amend.today) {
        std::cerr << fmt::format("constable: --today must be YYYY-MM-DD, got '{}'\n", constitution_amend_today);
        return app::kExitUsage;
      }
    }
    return emit(app::constitution_amend(constitution_amend), {});
  }
  const auto parse_date = [](const std::string& text, std::optional<Date>& out) {
    if (text.empty()) return true;
    out = Date::parse(text);
    if (!out) std::cerr << fmt::format("constable: --today must be YYYY-MM-DD, got '{}'\n", text);
    return out.has_value();
  };
  if (*audit_report_cmd) {
    if (!parse_date(audit_report_today, audit_report_options.today)) return app::kExitUsage;
    return emit(app::audit_report(audit_report_options), {});
  }
  if (*audit_cmd && audit_cluster) {
    cluster::ClusterAuditOptions cluster_options;
    if (!parse_date(audit_today, cluster_options.today)) return app::kExitUsage;
    if (!audit_options.sources.empty()) {
      std::cerr << "constable: audit --cluster takes no repositories\n";
      return app::kExitUsage;
    }
    if (!audit_kubeconfig.empty()) cluster_options.access.kubeconfig = audit_kubeconfig;
    if (!audit_context.empty()) cluster_options.access.context = audit_context;
    cluster_options.access.allow_insecure = audit_insecure;
    cluster_options.namespaces = audit_namespaces;
    cluster_options.store = audit_options.store;
    if (!audit_constitution.empty()) cluster_options.constitution = audit_constitution;
    if (audit_reports == "wgpolicyk8s") cluster_options.reports = cluster::ReportFlavour::wgpolicyk8s;
    if (audit_reports == "openreports") cluster_options.reports = cluster::ReportFlavour::openreports;
    return emit(cluster::audit(cluster_options), {});
  }
  if (*audit_cmd) {
    if (!parse_date(audit_today, audit_options.today)) return app::kExitUsage;
    if (!audit_constitution.empty()) audit_options.constitution = audit_constitution;
    audit_options.progress = [](std::string_view line) { std::cerr << line << '\n'; };
    return emit(app::audit(audit_options), {});
  }
  if (*init_cmd) {
    if (!init_today.empty()) {
      init.today = Date::parse(init_today);
      if (!init.today) {
        std::cerr << fmt::format("constable: --today must be YYYY-MM-DD, got '{}'\n", init_today);
        return app::kExitUsage;
      }
    }
    return emit(app::init(init), {});
  }
  if (*serve_cmd) {
    if (!serve_config.empty()) serve_options.sources.config = serve_config;
    if (!serve_constitution.empty()) serve_options.sources.constitution = serve_constitution;
    if (!serve_today.empty()) {
      serve_options.today = Date::parse(serve_today);
      if (!serve_options.today) {
        std::cerr << fmt::format("constable: --today must be YYYY-MM-DD, got '{}'\n", serve_today);
        return app::kExitUsage;
      }
    }
    return serve::serve(serve_options);
  }
  if (*mcp_cmd) {
    if (!parse_date(mcp_today, mcp_options.server.today)) return app::kExitUsage;
    if (!mcp_config.empty()) mcp_options.server.sources.config = mcp_config;
    if (!mcp_constitution.empty()) mcp_options.server.sources.constitution = mcp_constitution;
    mcp_options.server.root = mcp_root;
    return mcp::run(mcp_options);
  }
  if (*health_cmd) {
    health_options.timeout = std::chrono::milliseconds(health_timeout_ms);
    return serve::health(health_options);
  }
  if (*completion_cmd || *man_cmd) return generated_docs(cli, completion_cmd, completion_shell, man_output, man_check);
  if (*version_cmd) {
    std::cout << app::version_report({{"CLI11", CLI11_VERSION}});
    return 0;
  }
  return app::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // An audit's clone, in its own process (git/mirror.hpp): not a command users give.
    if (argc == 4 && argv[1] == constable::git::kCloneWorkerCommand)
      return constable::git::clone_worker_main(argv[2], argv[3]);
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "constable: internal error: " << constable::text::sanitize_utf8(e.what()) << "\n";
    return constable::app::kExitUsage;
  }
}

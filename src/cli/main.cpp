// The command-line edge: parses arguments with CLI11, calls the app layer,
// writes its output and turns everything into an exit code. Exceptions stop
// here.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/app.hpp"
#include "core/text.hpp"

namespace {

using namespace constable;

void add_common(CLI::App& cmd, app::CommonOptions& o, std::string& today) {
  cmd.add_option("path", o.path, "Repository root (or a single file) to check")->capture_default_str();
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

int run(int argc, char** argv) {
  CLI::App cli{"constable: makes a project's constitution executable"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", app::version_string());

  app::CheckOptions check;
  std::string check_today, format = "text", output, colour = "auto";
  auto* check_cmd = cli.add_subcommand("check", "Check a repository against its constitution");
  add_common(*check_cmd, check, check_today);
  check_cmd->add_option("--format", format, "text, json, sarif, junit or markdown")->capture_default_str();
  check_cmd->add_option("--output,-o", output, "Write the report to this file instead of standard output");
  check_cmd->add_option("--fail-on", check.fail_on, "Exit 1 at or above: critical, high, medium, low (default) or none");
  check_cmd->add_option("-j,--jobs", check.jobs, "Parallel jobs (default: one per core)");
  check_cmd->add_flag("--stats", check.stats, "Show per-phase timings and counts");
  check_cmd->add_option("--color", colour, "auto, always or never")->capture_default_str();
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
  coverage_cmd->add_option("--format", coverage.format, "text, markdown or json")->capture_default_str();
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
  checks_cmd->add_option("--format", checks_format, "text or json")->capture_default_str();

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

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
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
      std::cerr << fmt::format("constable: --format must be text, json, sarif, junit or markdown, got '{}'\n", format);
      return app::kExitUsage;
    }
    check.format = *parsed;
    const bool to_terminal = (output.empty() || output == "-") && isatty(STDOUT_FILENO) != 0;
    check.colour = colour == "always" || (colour == "auto" && to_terminal && std::getenv("NO_COLOR") == nullptr);
    return emit(app::check(check), output);
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
  if (*version_cmd) {
    std::cout << "constable " << app::version_string() << "\n";
    return 0;
  }
  return app::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "constable: internal error: " << constable::text::sanitize_utf8(e.what()) << "\n";
    return constable::app::kExitUsage;
  }
}

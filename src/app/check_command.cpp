#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "app/app.hpp"
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

}  // namespace

Outcome check(const CheckOptions& options) {
  Outcome outcome;
  auto session = open_session(options);
  if (!session) return usage_error(session.error().to_string());

  // --fail-on beats the config's fail_on; "none" never fails.
  const std::string fail_on = options.fail_on.value_or(
      session->config.fail_on ? std::string(to_string(*session->config.fail_on)) : std::string("low"));
  const bool never_fail = fail_on == "none";
  const auto parsed_threshold = parse_severity(fail_on);
  if (!never_fail && !parsed_threshold) {
    return usage_error(fmt::format("--fail-on must be critical, high, medium, low or none, got '{}'", fail_on));
  }
  const Severity threshold = parsed_threshold.value_or(Severity::low);

  engine::RunOptions run_options;
  run_options.jobs = options.jobs;
  run_options.today = session->today;
  const auto check_start = Clock::now();
  engine::RunResult result =
      engine::run(session->plan, session->constitution, session->config, session->workspace, run_options);
  result.stats.times = session->times;
  result.stats.times.check = since(check_start);

  report::Report rep;
  rep.tool_version = version_string();
  rep.root = session->root_display;
  rep.constitution_path = session->constitution.path;
  rep.constitution_version = session->constitution.version ? session->constitution.version->version : "";
  rep.run_date = session->today;
  rep.fail_on = threshold;
  rep.fail_on_none = never_fail;
  rep.rules = report_rules(*session);
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

// `constable policy eval --cases FILE...`: runs test cases in OPA's YAML case
// format against the Rego interpreter (src/rego/), one line per case.

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/app.hpp"
#include "rego/cases.hpp"
#include "rego/test_runner.hpp"
#include "policy/verify.hpp"
#include "policy/export.hpp"

#include <fstream>

#include <map>
#include <set>

namespace constable::app {

Outcome policy_eval_cases(const std::vector<std::string>& files, bool verbose) {
  Outcome outcome;
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const auto& file : files) {
    auto outcomes = rego::run_case_file(file);
    if (!outcomes) {
      outcome.err += fmt::format("constable: {}\n", outcomes.error().to_string());
      outcome.exit_code = kExitUsage;
      continue;
    }
    for (const auto& result : *outcomes) {
      if (result.passed) {
        ++passed;
        if (verbose) outcome.out += fmt::format("PASS {}:{}: {}\n", file, result.line, result.note);
      } else {
        ++failed;
        outcome.out += fmt::format("FAIL {}:{}: {}\n     {}\n", file, result.line, result.note, result.detail);
      }
    }
  }
  outcome.out += fmt::format("{} passed, {} failed\n", passed, failed);
  if (failed > 0 && outcome.exit_code == kExitClean) outcome.exit_code = kExitViolations;
  return outcome;
}

Outcome policy_test(const std::filesystem::path& directory, bool verbose) {
  Outcome outcome;
  auto outcomes = rego::run_tests(directory);
  if (!outcomes) return usage_error(outcomes.error().to_string());
  std::size_t passed = 0;
  for (const auto& test : *outcomes) {
    if (test.passed) {
      ++passed;
      if (verbose) outcome.out += fmt::format("PASS {}:{}: {}\n", test.file, test.line, test.name);
      continue;
    }
    outcome.out += fmt::format("FAIL {}:{}: {} ({})\n", test.file, test.line, test.name, test.detail);
    for (const auto& line : test.printed) outcome.out += fmt::format("     {}\n", line);
  }
  const std::size_t failed = outcomes->size() - passed;
  outcome.out += fmt::format("{} passed, {} failed\n", passed, failed);
  if (outcomes->empty()) outcome.err += fmt::format("constable: no test_ rules under {}\n", directory.string());
  if (failed > 0) outcome.exit_code = kExitViolations;
  return outcome;
}

Outcome policy_verify(const std::vector<std::filesystem::path>& paths, bool verbose) {
  Outcome outcome;
  auto cases = policy::verify_suites(paths);
  if (!cases) return usage_error(cases.error().to_string());
  // A template agrees when every case of its suites does.
  std::map<std::string, bool> agrees;
  std::size_t passed = 0, failed = 0, skipped = 0;
  for (const auto& c : *cases) {
    if (c.skipped) {
      ++skipped;
      continue;
    }
    auto [it, fresh] = agrees.try_emplace(c.template_file, true);
    (void)fresh;
    if (c.passed) {
      ++passed;
      if (verbose) outcome.out += fmt::format("PASS {}: {} / {}\n", c.suite, c.test, c.name);
      continue;
    }
    ++failed;
    it->second = false;
    outcome.out += fmt::format("FAIL {}: {} / {}\n     {}\n", c.suite, c.test, c.name, c.detail);
  }
  const auto agreeing = static_cast<std::size_t>(std::count_if(agrees.begin(), agrees.end(), [](const auto& a) { return a.second; }));
  outcome.out += fmt::format("{} cases passed, {} failed, {} skipped; {} of {} templates agree ({:.1f}%)\n", passed, failed,
                             skipped, agreeing, agrees.size(),
                             agrees.empty() ? 100.0 : 100.0 * static_cast<double>(agreeing) / static_cast<double>(agrees.size()));
  if (agrees.empty()) outcome.err += "constable: no Gatekeeper suite (suite.yaml, kind: Suite) found\n";
  if (failed > 0) outcome.exit_code = kExitViolations;
  return outcome;
}

Outcome policy_export(const CommonOptions& options, const std::filesystem::path& directory) {
  // Every check that judges Kubernetes objects applies: the export is for a cluster, not this repository.
  const workspace::StackFacts stack{{"kubernetes", std::string(workspace::kDeploysFact)}};
  auto session = open_detached_session(options, stack);
  if (!session) return usage_error(session.error().to_string());
  const auto& footer = session->constitution.version;
  const auto policies = policy::export_gatekeeper(session->plan, footer ? footer->version : std::string("(unversioned)"));
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return usage_error(fmt::format("cannot create {}: {}", directory.string(), ec.message()));
  Outcome outcome;
  for (const auto& p : policies) {
    const auto file = directory / p.file_name;
    std::ofstream out(file, std::ios::binary);
    out << p.yaml;
    if (!out) return usage_error(fmt::format("cannot write {}", file.string()));
    outcome.out += fmt::format("{}  {}\n", file.string(), p.check_id);
  }
  outcome.out += fmt::format("{} ConstraintTemplates with their Constraints written to {}\n", policies.size(),
                             directory.string());
  return outcome;
}

}  // namespace constable::app

// `constable policy eval --cases FILE...`: runs test cases in OPA's YAML case
// format against the Rego interpreter (src/rego/), one line per case.

#include <fmt/format.h>

#include "app/app.hpp"
#include "rego/cases.hpp"

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

}  // namespace constable::app

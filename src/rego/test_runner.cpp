#include "rego/test_runner.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/files.hpp"
#include "rego/compiler.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"

namespace constable::rego {

namespace fs = std::filesystem;

Result<std::vector<TestOutcome>> run_tests(const fs::path& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) return fail("not a directory", directory.string());
  std::vector<fs::path> sources;
  for (auto it = fs::recursive_directory_iterator(directory, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".rego") sources.push_back(it->path());
  }
  std::sort(sources.begin(), sources.end());
  std::vector<Module> modules;
  for (const auto& source : sources) {
    auto text = files::read(source);
    if (!text) return std::unexpected(text.error().error);
    auto module = parse_module(*text, source.lexically_relative(directory).generic_string());
    if (!module) return std::unexpected(module.error());
    modules.push_back(std::move(*module));
  }
  auto policy = compile(std::move(modules));
  if (!policy) return std::unexpected(policy.error());

  std::vector<TestOutcome> outcomes;
  for (const auto& set : (*policy)->rule_sets) {
    if (!set->path.back().starts_with("test_") || set->kind == RuleKind::function) continue;
    TestOutcome outcome;
    outcome.name = set->name();
    const auto& first = set->rules.empty() ? set->default_rule : set->rules.front();
    outcome.file = first->file;
    outcome.line = first->location.line;
    EvalOptions options;
    options.print = [&](std::string_view line) { outcome.printed.emplace_back(line); };
    Evaluator evaluator(**policy, Value::empty_object(), std::nullopt, options);
    auto document = evaluator.document(set->path);
    if (!document) {
      outcome.detail = document.error().to_string();
    } else if (!*document) {
      outcome.detail = "undefined";
    } else if (document->value().is_bool() && !document->value().as_bool()) {
      outcome.detail = "false";
    } else {
      outcome.passed = true;
    }
    outcomes.push_back(std::move(outcome));
  }
  std::sort(outcomes.begin(), outcomes.end(), [](const TestOutcome& a, const TestOutcome& b) {
    return std::tie(a.file, a.line, a.name) < std::tie(b.file, b.line, b.name);
  });
  return outcomes;
}

}  // namespace constable::rego

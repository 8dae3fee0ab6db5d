// Rego: a module parsed, compiled, and every document it defines evaluated
// against a small input, with a small step budget (a policy may be slow on
// purpose; the harness looks for crashes, leaks and undefined behaviour, and
// for the budget not holding). Optional "#=== input.json" part: the input.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "rego/compiler.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string module_text;
  std::optional<rego::Value> input;
  for (auto& part : fuzz::split_files(fuzz::as_text(data, size), "policy.rego")) {
    if (part.name == "input.json") {
      input = rego::parse_json(part.text);
    } else {
      module_text += part.text;
    }
  }
  auto module = rego::parse_module(module_text, "policy.rego");
  if (!module) return 0;
  std::vector<rego::Module> modules;
  modules.push_back(std::move(*module));
  auto policy = rego::compile(std::move(modules));
  if (!policy) return 0;
  rego::EvalOptions options;
  options.max_steps = 20'000;
  options.now_ns = 1;
  rego::Evaluator evaluator(**policy, rego::Value::empty_object(), input, options);
  for (const auto& set : (*policy)->rule_sets) (void)evaluator.document(set->path);
  return 0;
}

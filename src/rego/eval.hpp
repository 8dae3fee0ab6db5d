#pragma once
// Top-down evaluation of a compiled policy, as OPA's reference describes it:
// a body is a conjunction evaluated left to right with backtracking, rules
// are evaluated on demand and memoised for one evaluation, `with` replaces
// input, data or a built-in for one expression.
//
// Runtime errors (conflicting outputs, type errors in built-ins) stop the
// evaluation and are returned as values with the rule's location.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "rego/compiler.hpp"
#include "rego/value.hpp"

namespace constable::rego {

struct EvalOptions {
  std::int64_t now_ns = 0;  // 0: the clock at the start of each evaluation
  std::function<void(std::string_view)> print;  // print() output; dropped when empty
  bool strict_builtin_errors = false;
  std::size_t max_depth = 300;  // nested rule and function evaluations (each a few dozen stack frames)
  // Steps through rule bodies (each expression entered, each solution
  // reached) in one evaluation before it stops with an error: a
  // policy that would run for hours (comprehensions over huge ranges) must
  // not hang a CI run or an admission review.
  std::uint64_t max_steps = 50'000'000;
};

using Bindings = std::vector<std::pair<std::string, Value>>;  // by variable name, in slot order

class Evaluator {
 public:
  Evaluator(const Policy& policy, Value data, std::optional<Value> input, EvalOptions options = {});
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // The document at data.<path>: nullopt when undefined.
  Result<std::optional<Value>> document(const std::vector<std::string>& path);
  // Every solution of a query, with the values of its named variables.
  Result<std::vector<Bindings>> run(const Query& query);
  // Replaces the input for the next evaluations (clears memoised rules).
  void set_input(std::optional<Value> input);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace constable::rego

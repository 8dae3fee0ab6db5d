#pragma once
// Rego's built-in functions, as OPA's built-in reference documents them.
// A built-in returns its value, nothing (undefined), or an error:
//  - a type error (an operand of the wrong type) halts evaluation, as OPA's
//    eval_type_error does;
//  - any other error (a string that does not parse, say) makes the call
//    undefined, as OPA does unless strict built-in errors are asked for.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rego/value.hpp"

namespace constable::rego {

struct BuiltinContext {
  std::int64_t now_ns = 0;  // time.now_ns: fixed for one query, as OPA does
  std::function<void(std::string_view)> print;
  // Set by a built-in that fails.
  std::string error;
  bool halt = false;  // a type error: evaluation stops

  std::nullopt_t type_error(std::string message) {
    error = std::move(message);
    halt = true;
    return std::nullopt;
  }
  std::nullopt_t soft_error(std::string message) {
    error = std::move(message);
    return std::nullopt;
  }
};

using BuiltinFunction = std::optional<Value> (*)(BuiltinContext& context, std::span<const Value> args);

struct Builtin {
  std::string_view name;  // "strings.replace_n"
  int arity = 0;          // -1: any number of operands (print)
  BuiltinFunction function = nullptr;
  bool relation = false;  // may yield several values (walk), through `emit` below
  void (*relation_function)(BuiltinContext&, std::span<const Value>, const std::function<bool(const Value&)>&) =
      nullptr;
};

// nullptr when no built-in has this name.
const Builtin* find_builtin(std::string_view name);
// Every name, sorted, for suggestions and the docs.
std::vector<std::string_view> builtin_names();

// Go's fmt verbs as sprintf uses them: %v %s %d %f %q %x %t %%, widths and precisions.
std::string go_sprintf(std::string_view format, const std::vector<Value>& args);

}  // namespace constable::rego

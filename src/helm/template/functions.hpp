#pragma once
// The function table: every function a template can call, with Go-typed
// parameters so that argument errors read as Go's do ("wrong type for value;
// expected string; got int"). Families register themselves from their own
// files (functions_*.cpp); `standard_functions()` gathers them.

#include <cstdint>
#include <expected>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "helm/value.hpp"

namespace constable::helm::tmpl {

class Evaluator;
struct Pos;

enum class ErrorKind : std::uint8_t {
  render,            // an execution error
  fail,              // `fail` / `required`: the user's own message
  unknown_function,  // parse-time: a function no table has
  unsupported,       // a function constable deliberately does not implement (bcrypt, ...)
  limit,             // depth, step or output budget exhausted
  parse,             // any other syntax error
};

struct TemplateError {
  ErrorKind kind = ErrorKind::render;
  std::string message;
  std::string file;  // empty until the evaluator attaches the call site
  int line = 0;
  int column = 0;
  // Nested `tpl` calls wrap an error in one frame each. Past two frames the
  // message keeps the outermost and the innermost and counts those left out.
  int tpl_frames = 0;           // frames in the chain, shown or not
  std::size_t outer_frame = 0;  // bytes of `message` before the innermost frame
  // What the error is about, for telling a dependency that is not vendored
  // from a broken template: the named template no set defines, or the field
  // chain that led to a nil (".Values.redis.master").
  std::string missing_template;
  std::string nil_path;
};

template <class T>
using Expected = std::expected<T, TemplateError>;

inline std::unexpected<TemplateError> func_error(std::string message, ErrorKind kind = ErrorKind::render) {
  TemplateError error;
  error.kind = kind;
  error.message = std::move(message);
  return std::unexpected(std::move(error));
}

// Go parameter types, as far as they matter for argument checking.
enum class Param : std::uint8_t { any, string, go_int, go_int64, float64, boolean, dict, list, raw };

// Deterministic stand-ins for time and randomness.
struct Determinism {
  bool enabled = true;
  std::int64_t now_unix = 0;  // seconds; used when enabled
  std::uint64_t seed = 0x5eed;
};

// What a function sees of the call.
struct Call {
  Evaluator* evaluator = nullptr;
  std::string_view name;
  std::uint64_t* random_state = nullptr;
  const Determinism* determinism = nullptr;
  std::size_t max_items = 0;  // cap on generated lists and strings
  std::uint64_t* generated = nullptr;  // keys and certificates the render made so far (genCA, ...)
};

using FunctionImpl = std::function<Expected<Value>(Call&, std::span<const Value>)>;

struct Function {
  Function() = default;
  Function(std::vector<Param> p, bool v, FunctionImpl i, bool r = false)
      : params(std::move(p)), variadic(v), impl(std::move(i)), raw(r) {}
  std::vector<Param> params;
  bool variadic = false;  // the last param repeats
  FunctionImpl impl;
  bool raw = false;  // and/or: short-circuit evaluation done by the evaluator
};

// Looked up by a name the parser views in the template, without a copy.
struct FunctionNameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const noexcept { return std::hash<std::string_view>{}(name); }
};
using FunctionTable = std::unordered_map<std::string, Function, FunctionNameHash, std::equal_to<>>;

// Registration, one per family.
void add_builtin_functions(FunctionTable& table);   // Go's text/template builtins
void add_string_functions(FunctionTable& table);    // Sprig strings
void add_list_functions(FunctionTable& table);      // Sprig lists and dicts
void add_path_functions(FunctionTable& table);      // Sprig paths: base, dir, ext, clean, isAbs
void add_math_functions(FunctionTable& table);      // Sprig math, logic and type conversion
void add_encoding_functions(FunctionTable& table);  // toYaml/toJson/..., base64, hashes
void add_regex_functions(FunctionTable& table);     // Sprig regex (RE2)
void add_semver_functions(FunctionTable& table);    // semver, semverCompare
void add_time_functions(FunctionTable& table);      // dates, uuids, random strings
void add_helm_functions(FunctionTable& table);      // include, tpl, required, fail, lookup, unsupported crypto
void add_crypto_functions(FunctionTable& table);    // genCA, genSignedCert, genSelfSignedCert, genPrivateKey (OpenSSL)

// Every family above, built once.
const FunctionTable& standard_functions();

// Go type names of parameters, for messages.
std::string_view param_type_name(Param p);

// Helpers shared by the families.
std::int64_t to_int64(const Value& v);      // spf13/cast ToInt64 (strings parsed, floats truncated, nil 0)
double to_float64(const Value& v);          // cast.ToFloat64
std::vector<std::string> to_strings(const Value& v);  // Sprig strslice
Value make_strings(std::vector<std::string> items);   // a []string value
std::string go_quote(std::string_view s);   // strconv.Quote / %q
std::int64_t now_unix(const Call& c);       // unix seconds: the fixed instant when deterministic
std::uint64_t next_random(Call& c);         // seeded (splitmix64) when deterministic, else random_device

}  // namespace constable::helm::tmpl

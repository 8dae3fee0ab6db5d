#include "rego/builtins.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <re2/re2.h>

#include "core/digest.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/template/digest.hpp"
#include "helm/template/gofmt.hpp"
#include "helm/template/go_regexp.hpp"
#include "helm/template/semver.hpp"
#include "helm/template/serialize.hpp"
#include "helm/value.hpp"

namespace constable::rego {

namespace {

using Args = std::span<const Value>;
using Out = std::optional<Value>;

// "operand 1 must be string but got number", as OPA words type errors.
std::nullopt_t want(BuiltinContext& c, std::string_view fn, int operand, std::string_view types, const Value& got) {
  return c.type_error(fmt::format("{}: operand {} must be {} but got {}", fn, operand, types, kind_name(got.kind())));
}

#define REQUIRE(cond, fn, n, types) \
  if (!(cond)) return want(c, fn, n, types, a[(n) - 1])

Value str(std::string s) { return Value::string(std::move(s)); }
Value boolean(bool b) { return Value::boolean(b); }
Value integer(std::int64_t i) { return Value::integer(i); }

// Code points of a UTF-8 string, each as its bytes.
std::vector<std::string_view> code_points(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) {
      n = 4;
    } else if (c >= 0xE0) {
      n = 3;
    } else if (c >= 0xC0) {
      n = 2;
    }
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::optional<std::int64_t> as_int(const Value& v) {
  if (!v.is_number()) return std::nullopt;
  if (v.as_number().is_integer()) return v.as_number().as_integer();
  return std::nullopt;
}

// --- comparison and arithmetic -------------------------------------------------

Out eq(BuiltinContext&, Args a) { return boolean(a[0] == a[1]); }
Out neq(BuiltinContext&, Args a) { return boolean(!(a[0] == a[1])); }
Out lt(BuiltinContext&, Args a) { return boolean(compare(a[0], a[1]) < 0); }
Out lte(BuiltinContext&, Args a) { return boolean(compare(a[0], a[1]) <= 0); }
Out gt(BuiltinContext&, Args a) { return boolean(compare(a[0], a[1]) > 0); }
Out gte(BuiltinContext&, Args a) { return boolean(compare(a[0], a[1]) >= 0); }

Value arith(const Number& x, const Number& y, char op) {
  if (x.is_integer() && y.is_integer()) {
    std::int64_t r = 0;
    const auto p = x.as_integer();
    const auto q = y.as_integer();
    bool overflow = false;
    switch (op) {
      case '+': overflow = __builtin_add_overflow(p, q, &r); break;
      case '-': overflow = __builtin_sub_overflow(p, q, &r); break;
      case '*': overflow = __builtin_mul_overflow(p, q, &r); break;
      default: break;
    }
    if (!overflow) return Value::integer(r);
  }
  const double p = x.as_double();
  const double q = y.as_double();
  switch (op) {
    case '+': return Value::real(p + q);
    case '-': return Value::real(p - q);
    default: return Value::real(p * q);
  }
}

std::vector<Value> set_difference(const Value& x, const Value& y) {
  std::vector<Value> out;
  std::set_difference(x.items().begin(), x.items().end(), y.items().begin(), y.items().end(), std::back_inserter(out));
  return out;
}

Out plus(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "plus", 1, "number");
  REQUIRE(a[1].is_number(), "plus", 2, "number");
  return arith(a[0].as_number(), a[1].as_number(), '+');
}

Out minus(BuiltinContext& c, Args a) {
  if (a[0].is_set() && a[1].is_set()) return Value::set(set_difference(a[0], a[1]));
  REQUIRE(a[0].is_number() || a[0].is_set(), "minus", 1, "one of {number, set}");
  REQUIRE(a[1].is_number(), "minus", 2, "number");
  return arith(a[0].as_number(), a[1].as_number(), '-');
}

Out mul(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "mul", 1, "number");
  REQUIRE(a[1].is_number(), "mul", 2, "number");
  return arith(a[0].as_number(), a[1].as_number(), '*');
}

Out div(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "div", 1, "number");
  REQUIRE(a[1].is_number(), "div", 2, "number");
  if (a[1].as_number().as_double() == 0) return c.soft_error("div: divide by zero");
  const auto& x = a[0].as_number();
  const auto& y = a[1].as_number();
  if (x.is_integer() && y.is_integer() && y.as_integer() != 0 && x.as_integer() % y.as_integer() == 0) {
    return Value::integer(x.as_integer() / y.as_integer());
  }
  return Value::real(x.as_double() / y.as_double());
}

Out rem(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "rem", 1, "number");
  REQUIRE(a[1].is_number(), "rem", 2, "number");
  auto x = as_int(a[0]);
  auto y = as_int(a[1]);
  if (!x || !y) return c.soft_error("rem: modulo on floating-point number");
  if (*y == 0) return c.soft_error("rem: modulo by zero");
  return integer(*x % *y);
}

Out abs_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "abs", 1, "number");
  if (a[0].as_number().is_integer()) return integer(std::llabs(a[0].as_number().as_integer()));
  return Value::real(std::fabs(a[0].as_number().as_double()));
}

Out round_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "round", 1, "number");
  return Value::real(std::round(a[0].as_number().as_double()));
}
Out ceil_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "ceil", 1, "number");
  return Value::real(std::ceil(a[0].as_number().as_double()));
}
Out floor_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "floor", 1, "number");
  return Value::real(std::floor(a[0].as_number().as_double()));
}

Out numbers_range(BuiltinContext& c, Args a) {
  auto x = as_int(a[0]);
  auto y = as_int(a[1]);
  if (!x) return want(c, "numbers.range", 1, "integer", a[0]);
  if (!y) return want(c, "numbers.range", 2, "integer", a[1]);
  // A bound OPA does not have: a range is materialised, and a million numbers is already 50 MB.
  if (std::llabs(*y - *x) >= 1'000'000) return c.soft_error("numbers.range: more than 1,000,000 numbers");
  Array out;
  const std::int64_t step = *x <= *y ? 1 : -1;
  for (std::int64_t i = *x;; i += step) {
    out.push_back(integer(i));
    if (i == *y) break;
  }
  return Value::array(std::move(out));
}

// --- sets and aggregates ----------------------------------------------------------

Out set_and(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_set(), "and", 1, "set");
  REQUIRE(a[1].is_set(), "and", 2, "set");
  std::vector<Value> out;
  std::set_intersection(a[0].items().begin(), a[0].items().end(), a[1].items().begin(), a[1].items().end(),
                        std::back_inserter(out));
  return Value::set(std::move(out));
}

Out set_or(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_set(), "or", 1, "set");
  REQUIRE(a[1].is_set(), "or", 2, "set");
  std::vector<Value> out = a[0].items();
  out.insert(out.end(), a[1].items().begin(), a[1].items().end());
  return Value::set(std::move(out));
}

Out intersection(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_set(), "intersection", 1, "set[set[any]]");
  std::optional<std::vector<Value>> acc;
  for (const auto& s : a[0].items()) {
    if (!s.is_set()) return want(c, "intersection", 1, "set[set[any]]", s);
    if (!acc) {
      acc = s.items();
      continue;
    }
    std::vector<Value> next;
    std::set_intersection(acc->begin(), acc->end(), s.items().begin(), s.items().end(), std::back_inserter(next));
    acc = std::move(next);
  }
  return Value::set(acc.value_or(std::vector<Value>{}));
}

Out union_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_set(), "union", 1, "set[set[any]]");
  std::vector<Value> out;
  for (const auto& s : a[0].items()) {
    if (!s.is_set()) return want(c, "union", 1, "set[set[any]]", s);
    out.insert(out.end(), s.items().begin(), s.items().end());
  }
  return Value::set(std::move(out));
}

Out count(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_collection() || a[0].is_string(), "count", 1, "one of {array, object, set, string}");
  return integer(static_cast<std::int64_t>(a[0].size()));
}

Out sum(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "sum", 1, "one of {array, set}");
  Value total = integer(0);
  for (const auto& v : a[0].items()) {
    if (!v.is_number()) return want(c, "sum", 1, "one of {array[number], set[number]}", v);
    total = arith(total.as_number(), v.as_number(), '+');
  }
  return total;
}

Out product(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "product", 1, "one of {array, set}");
  Value total = integer(1);
  for (const auto& v : a[0].items()) {
    if (!v.is_number()) return want(c, "product", 1, "one of {array[number], set[number]}", v);
    total = arith(total.as_number(), v.as_number(), '*');
  }
  return total;
}

Out max_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "max", 1, "one of {array, set}");
  if (a[0].items().empty()) return std::nullopt;
  return *std::max_element(a[0].items().begin(), a[0].items().end());
}

Out min_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "min", 1, "one of {array, set}");
  if (a[0].items().empty()) return std::nullopt;
  return *std::min_element(a[0].items().begin(), a[0].items().end());
}

Out sort_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "sort", 1, "one of {array, set}");
  Array out = a[0].items();
  std::stable_sort(out.begin(), out.end());
  return Value::array(std::move(out));
}

Out any_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "any", 1, "one of {array, set}");
  for (const auto& v : a[0].items()) {
    if (v.is_bool() && v.as_bool()) return boolean(true);
  }
  return boolean(false);
}

Out all_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array() || a[0].is_set(), "all", 1, "one of {array, set}");
  for (const auto& v : a[0].items()) {
    if (!(v.is_bool() && v.as_bool())) return boolean(false);
  }
  return boolean(true);
}

Out member_2(BuiltinContext&, Args a) {
  const Value& x = a[0];
  const Value& collection = a[1];
  if (collection.is_set()) return boolean(collection.contains(x));
  if (collection.is_array()) {
    return boolean(std::find(collection.items().begin(), collection.items().end(), x) != collection.items().end());
  }
  if (collection.is_object()) {
    for (const auto& [_, v] : collection.entries()) {
      if (v == x) return boolean(true);
    }
  }
  return boolean(false);
}

Out member_3(BuiltinContext&, Args a) {
  const Value* found = a[2].get(a[0]);
  if (a[2].is_set()) return boolean(a[2].contains(a[0]) && a[0] == a[1]);
  return boolean(found != nullptr && *found == a[1]);
}

// --- arrays and objects ---------------------------------------------------------------

Out array_concat(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array(), "array.concat", 1, "array");
  REQUIRE(a[1].is_array(), "array.concat", 2, "array");
  Array out = a[0].items();
  out.insert(out.end(), a[1].items().begin(), a[1].items().end());
  return Value::array(std::move(out));
}

Out array_slice(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array(), "array.slice", 1, "array");
  auto start = as_int(a[1]);
  auto stop = as_int(a[2]);
  if (!start) return want(c, "array.slice", 2, "number", a[1]);
  if (!stop) return want(c, "array.slice", 3, "number", a[2]);
  const auto size = static_cast<std::int64_t>(a[0].items().size());
  const auto from = std::clamp<std::int64_t>(*start, 0, size);
  const auto to = std::clamp<std::int64_t>(*stop, from, size);
  return Value::array(Array(a[0].items().begin() + from, a[0].items().begin() + to));
}

Out array_reverse(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array(), "array.reverse", 1, "array");
  Array out(a[0].items().rbegin(), a[0].items().rend());
  return Value::array(std::move(out));
}

Out object_get(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "object.get", 1, "object");
  if (a[1].is_array()) {
    const Value* current = &a[0];
    for (const auto& key : a[1].items()) {
      const Value* next = current->is_object() || current->is_array() || current->is_set() ? current->get(key) : nullptr;
      if (next == nullptr) return a[2];
      current = next;
    }
    return *current;
  }
  const Value* found = a[0].get(a[1]);
  return found != nullptr ? *found : a[2];
}

Out object_keys(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "object.keys", 1, "object");
  std::vector<Value> keys;
  for (const auto& [k, _] : a[0].entries()) keys.push_back(k);
  return Value::set(std::move(keys));
}

// The keys an array, set or object operand names.
std::vector<Value> key_list(const Value& v) {
  if (v.is_object()) {
    std::vector<Value> keys;
    for (const auto& [k, _] : v.entries()) keys.push_back(k);
    return keys;
  }
  return v.items();
}

Out object_remove(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "object.remove", 1, "object");
  REQUIRE(a[1].is_collection(), "object.remove", 2, "one of {array, object, set}");
  const Value keys = Value::set(key_list(a[1]));
  Object out;
  for (const auto& entry : a[0].entries()) {
    if (!keys.contains(entry.first)) out.push_back(entry);
  }
  return Value::object(std::move(out));
}

Out object_filter(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "object.filter", 1, "object");
  REQUIRE(a[1].is_collection(), "object.filter", 2, "one of {array, object, set}");
  const Value keys = Value::set(key_list(a[1]));
  Object out;
  for (const auto& entry : a[0].entries()) {
    if (keys.contains(entry.first)) out.push_back(entry);
  }
  return Value::object(std::move(out));
}

Value merge(const Value& a, const Value& b) {
  if (!a.is_object() || !b.is_object()) return b;
  Object out = a.entries();
  for (const auto& [key, value] : b.entries()) {
    bool merged = false;
    for (auto& entry : out) {
      if (entry.first == key) {
        entry.second = merge(entry.second, value);
        merged = true;
        break;
      }
    }
    if (!merged) out.emplace_back(key, value);
  }
  return Value::object(std::move(out));
}

Out object_union(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "object.union", 1, "object");
  REQUIRE(a[1].is_object(), "object.union", 2, "object");
  return merge(a[0], a[1]);
}

Out object_union_n(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_array(), "object.union_n", 1, "array[object]");
  Value out = Value::empty_object();
  for (const auto& v : a[0].items()) {
    if (!v.is_object()) return want(c, "object.union_n", 1, "array[object]", v);
    out = merge(out, v);
  }
  return out;
}

bool is_subset(const Value& super, const Value& sub) {
  if (super.is_object() && sub.is_object()) {
    for (const auto& [k, v] : sub.entries()) {
      const Value* found = super.get(k);
      if (found == nullptr || !is_subset(*found, v)) return false;
    }
    return true;
  }
  if (super.is_set() && sub.is_set()) {
    return std::includes(super.items().begin(), super.items().end(), sub.items().begin(), sub.items().end());
  }
  if (super.is_array() && sub.is_array()) {
    // A contiguous run of super.
    const auto& x = super.items();
    const auto& y = sub.items();
    if (y.empty()) return true;
    return std::search(x.begin(), x.end(), y.begin(), y.end()) != x.end();
  }
  return super == sub;
}

Out object_subset(BuiltinContext&, Args a) { return boolean(is_subset(a[0], a[1])); }

// --- strings ---------------------------------------------------------------------------

Out concat(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_string(), "concat", 1, "string");
  REQUIRE(a[1].is_array() || a[1].is_set(), "concat", 2, "one of {array[string], set[string]}");
  std::string out;
  bool first = true;
  for (const auto& v : a[1].items()) {
    if (!v.is_string()) return want(c, "concat", 2, "one of {array[string], set[string]}", v);
    if (!first) out += a[0].as_string();
    first = false;
    out += v.as_string();
  }
  return str(std::move(out));
}

#define STRING_ARGS(fn, n)                                  \
  for (std::size_t i = 0; i < (n); ++i) {                   \
    if (!a[i].is_string()) return want(c, fn, static_cast<int>(i) + 1, "string", a[i]); \
  }

Out contains_fn(BuiltinContext& c, Args a) {
  STRING_ARGS("contains", 2);
  return boolean(a[0].as_string().find(a[1].as_string()) != std::string::npos);
}
Out startswith(BuiltinContext& c, Args a) {
  STRING_ARGS("startswith", 2);
  return boolean(a[0].as_string().starts_with(a[1].as_string()));
}
Out endswith(BuiltinContext& c, Args a) {
  STRING_ARGS("endswith", 2);
  return boolean(a[0].as_string().ends_with(a[1].as_string()));
}
Out lower(BuiltinContext& c, Args a) {
  STRING_ARGS("lower", 1);
  std::string s = a[0].as_string();
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return str(std::move(s));
}
Out upper(BuiltinContext& c, Args a) {
  STRING_ARGS("upper", 1);
  std::string s = a[0].as_string();
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return str(std::move(s));
}

Out split(BuiltinContext& c, Args a) {
  STRING_ARGS("split", 2);
  const std::string& s = a[0].as_string();
  const std::string& sep = a[1].as_string();
  Array out;
  if (sep.empty()) {
    for (auto cp : code_points(s)) out.push_back(str(std::string(cp)));
    return Value::array(std::move(out));
  }
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    if (at == std::string::npos) {
      out.push_back(str(s.substr(start)));
      break;
    }
    out.push_back(str(s.substr(start, at - start)));
    start = at + sep.size();
  }
  return Value::array(std::move(out));
}

std::string replace_all(const std::string& s, const std::string& old, const std::string& replacement,
                        std::int64_t limit = -1) {
  if (old.empty()) {
    // Go inserts the replacement before every code point and at the end.
    std::string out;
    std::int64_t done = 0;
    for (auto cp : code_points(s)) {
      if (limit < 0 || done < limit) {
        out += replacement;
        ++done;
      }
      out += cp;
    }
    if (limit < 0 || done < limit) out += replacement;
    return out;
  }
  std::string out;
  std::size_t start = 0;
  std::int64_t done = 0;
  while (limit < 0 || done < limit) {
    const auto at = s.find(old, start);
    if (at == std::string::npos) break;
    out.append(s, start, at - start);
    out += replacement;
    start = at + old.size();
    ++done;
  }
  out.append(s, start);
  return out;
}

Out replace(BuiltinContext& c, Args a) {
  STRING_ARGS("replace", 3);
  return str(replace_all(a[0].as_string(), a[1].as_string(), a[2].as_string()));
}

Out replace_n(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "strings.replace_n", 1, "object[string: string]");
  REQUIRE(a[1].is_string(), "strings.replace_n", 2, "string");
  // Go's strings.NewReplacer: at each position the first pattern (in argument order: sorted keys) that matches.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [k, v] : a[0].entries()) {
    if (!k.is_string() || !v.is_string()) return want(c, "strings.replace_n", 1, "object[string: string]", a[0]);
    pairs.emplace_back(k.as_string(), v.as_string());
  }
  const std::string& s = a[1].as_string();
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    for (const auto& [old, replacement] : pairs) {
      if (!old.empty() && s.compare(i, old.size(), old) == 0) {
        out += replacement;
        i += old.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += s[i++];
  }
  return str(std::move(out));
}

bool in_cutset(std::string_view cp, const std::vector<std::string_view>& cutset) {
  return std::find(cutset.begin(), cutset.end(), cp) != cutset.end();
}

std::string trim_with(const std::string& s, const std::string& cutset, bool left, bool right) {
  const auto cuts = code_points(cutset);
  auto cps = code_points(s);
  std::size_t begin = 0;
  std::size_t end = cps.size();
  if (left) {
    while (begin < end && in_cutset(cps[begin], cuts)) ++begin;
  }
  if (right) {
    while (end > begin && in_cutset(cps[end - 1], cuts)) --end;
  }
  std::string out;
  for (std::size_t i = begin; i < end; ++i) out += cps[i];
  return out;
}

Out trim(BuiltinContext& c, Args a) {
  STRING_ARGS("trim", 2);
  return str(trim_with(a[0].as_string(), a[1].as_string(), true, true));
}
Out trim_left(BuiltinContext& c, Args a) {
  STRING_ARGS("trim_left", 2);
  return str(trim_with(a[0].as_string(), a[1].as_string(), true, false));
}
Out trim_right(BuiltinContext& c, Args a) {
  STRING_ARGS("trim_right", 2);
  return str(trim_with(a[0].as_string(), a[1].as_string(), false, true));
}
Out trim_prefix(BuiltinContext& c, Args a) {
  STRING_ARGS("trim_prefix", 2);
  const auto& s = a[0].as_string();
  const auto& p = a[1].as_string();
  return str(s.starts_with(p) ? s.substr(p.size()) : s);
}
Out trim_suffix(BuiltinContext& c, Args a) {
  STRING_ARGS("trim_suffix", 2);
  const auto& s = a[0].as_string();
  const auto& p = a[1].as_string();
  return str(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
}
Out trim_space(BuiltinContext& c, Args a) {
  STRING_ARGS("trim_space", 1);
  return str(trim_with(a[0].as_string(), " \t\n\r\v\f", true, true));
}

Out indexof(BuiltinContext& c, Args a) {
  STRING_ARGS("indexof", 2);
  const auto& s = a[0].as_string();
  const auto at = s.find(a[1].as_string());
  if (at == std::string::npos) return integer(-1);
  return integer(static_cast<std::int64_t>(code_points(std::string_view(s).substr(0, at)).size()));
}

Out indexof_n(BuiltinContext& c, Args a) {
  STRING_ARGS("indexof_n", 2);
  const auto& s = a[0].as_string();
  const auto& needle = a[1].as_string();
  Array out;
  if (needle.empty()) return Value::array({});
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) {
    out.push_back(integer(static_cast<std::int64_t>(code_points(std::string_view(s).substr(0, at)).size())));
  }
  return Value::array(std::move(out));
}

Out substring(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_string(), "substring", 1, "string");
  auto start = as_int(a[1]);
  auto length = as_int(a[2]);
  if (!start) return want(c, "substring", 2, "number", a[1]);
  if (!length) return want(c, "substring", 3, "number", a[2]);
  if (*start < 0) return c.soft_error("substring: negative offset");
  const auto cps = code_points(a[0].as_string());
  const auto size = static_cast<std::int64_t>(cps.size());
  if (*start >= size) return str("");
  const std::int64_t end = *length < 0 ? size : std::min(size, *start + *length);
  std::string out;
  for (auto i = *start; i < end; ++i) out += cps[static_cast<std::size_t>(i)];
  return str(std::move(out));
}

Out strings_reverse(BuiltinContext& c, Args a) {
  STRING_ARGS("strings.reverse", 1);
  auto cps = code_points(a[0].as_string());
  std::string out;
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) out += *it;
  return str(std::move(out));
}

Out strings_count(BuiltinContext& c, Args a) {
  STRING_ARGS("strings.count", 2);
  const auto& s = a[0].as_string();
  const auto& needle = a[1].as_string();
  if (needle.empty()) return integer(static_cast<std::int64_t>(code_points(s).size()) + 1);
  std::int64_t n = 0;
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + needle.size())) ++n;
  return integer(n);
}

Out any_prefix_match(BuiltinContext& c, Args a) {
  auto strings = a[0].is_string() ? std::vector<Value>{a[0]} : a[0].items();
  auto prefixes = a[1].is_string() ? std::vector<Value>{a[1]} : a[1].items();
  REQUIRE(a[0].is_string() || a[0].is_array() || a[0].is_set(), "strings.any_prefix_match", 1, "one of {string, array, set}");
  REQUIRE(a[1].is_string() || a[1].is_array() || a[1].is_set(), "strings.any_prefix_match", 2, "one of {string, array, set}");
  for (const auto& s : strings) {
    for (const auto& p : prefixes) {
      if (s.is_string() && p.is_string() && s.as_string().starts_with(p.as_string())) return boolean(true);
    }
  }
  return boolean(false);
}

Out any_suffix_match(BuiltinContext& c, Args a) {
  auto strings = a[0].is_string() ? std::vector<Value>{a[0]} : a[0].items();
  auto suffixes = a[1].is_string() ? std::vector<Value>{a[1]} : a[1].items();
  REQUIRE(a[0].is_string() || a[0].is_array() || a[0].is_set(), "strings.any_suffix_match", 1, "one of {string, array, set}");
  REQUIRE(a[1].is_string() || a[1].is_array() || a[1].is_set(), "strings.any_suffix_match", 2, "one of {string, array, set}");
  for (const auto& s : strings) {
    for (const auto& p : suffixes) {
      if (s.is_string() && p.is_string() && s.as_string().ends_with(p.as_string())) return boolean(true);
    }
  }
  return boolean(false);
}

// Go's %v of an OPA value: strings bare, numbers as numbers, the rest as Rego prints it.
helm::Value go_value(const Value& v) {
  switch (v.kind()) {
    case Kind::null: return helm::Value::nil();
    case Kind::boolean: return helm::Value::of(v.as_bool());
    case Kind::number:
      if (v.as_number().is_integer()) return helm::Value::of_int(v.as_number().as_integer());
      return helm::Value::of_float(v.as_number().as_double());
    case Kind::string: return helm::Value::of(v.as_string());
    default: return helm::Value::of(v.to_rego());
  }
}

Out sprintf_fn(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_string(), "sprintf", 1, "string");
  REQUIRE(a[1].is_array(), "sprintf", 2, "array");
  return str(go_sprintf(a[0].as_string(), a[1].items()));
}

Out format_int(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_number(), "format_int", 1, "number");
  auto base = as_int(a[1]);
  if (!base || (*base != 2 && *base != 8 && *base != 10 && *base != 16)) {
    return c.type_error("format_int: operand 2 must be one of {2, 8, 10, 16}");
  }
  auto value = static_cast<std::int64_t>(std::floor(a[0].as_number().as_double()));
  if (a[0].as_number().is_integer()) value = a[0].as_number().as_integer();
  const bool negative = value < 0;
  auto magnitude = negative ? static_cast<std::uint64_t>(-(value + 1)) + 1 : static_cast<std::uint64_t>(value);
  std::string digits;
  do {
    digits += "0123456789abcdef"[magnitude % static_cast<std::uint64_t>(*base)];
    magnitude /= static_cast<std::uint64_t>(*base);
  } while (magnitude > 0);
  if (negative) digits += '-';
  std::reverse(digits.begin(), digits.end());
  return str(std::move(digits));
}

// --- regular expressions (RE2, as Go's regexp) -------------------------------------------------

const RE2* regex(const std::string& pattern) {
  thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second->ok() ? it->second.get() : nullptr;
  if (cache.size() > 1000) cache.clear();
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  const RE2* result = re->ok() ? re.get() : nullptr;
  cache.emplace(pattern, std::move(re));
  return result;
}

Out regex_match(BuiltinContext& c, Args a) {
  STRING_ARGS("regex.match", 2);
  const RE2* re = regex(a[0].as_string());
  if (re == nullptr) return c.soft_error(fmt::format("regex.match: error parsing regexp: `{}`", a[0].as_string()));
  return boolean(RE2::PartialMatch(a[1].as_string(), *re));
}

Out regex_is_valid(BuiltinContext&, Args a) {
  if (!a[0].is_string()) return boolean(false);
  return boolean(regex(a[0].as_string()) != nullptr);
}

Out regex_find_n(BuiltinContext& c, Args a) {
  STRING_ARGS("regex.find_n", 2);
  auto n = as_int(a[2]);
  if (!n) return want(c, "regex.find_n", 3, "number", a[2]);
  const RE2* re = regex(a[0].as_string());
  if (re == nullptr) return c.soft_error("regex.find_n: invalid regular expression");
  Array out;
  for (const auto& m : helm::tmpl::all_matches(*re, a[1].as_string(), *n)) out.push_back(str(std::string(m.groups[0])));
  return Value::array(std::move(out));
}

Out regex_submatch(BuiltinContext& c, Args a) {
  STRING_ARGS("regex.find_all_string_submatch_n", 2);
  auto n = as_int(a[2]);
  if (!n) return want(c, "regex.find_all_string_submatch_n", 3, "number", a[2]);
  const RE2* re = regex(a[0].as_string());
  if (re == nullptr) return c.soft_error("regex.find_all_string_submatch_n: invalid regular expression");
  Array out;
  for (const auto& m : helm::tmpl::all_matches(*re, a[1].as_string(), *n)) {
    Array groups;
    for (const auto& g : m.groups) groups.push_back(str(g.data() != nullptr ? std::string(g) : std::string()));
    out.push_back(Value::array(std::move(groups)));
  }
  return Value::array(std::move(out));
}

Out regex_split(BuiltinContext& c, Args a) {
  STRING_ARGS("regex.split", 2);
  const RE2* re = regex(a[0].as_string());
  if (re == nullptr) return c.soft_error("regex.split: invalid regular expression");
  const std::string& s = a[1].as_string();
  Array out;
  std::size_t last = 0;
  for (const auto& m : helm::tmpl::all_matches(*re, s, -1)) {
    if (m.begin == m.end && m.begin == 0) continue;
    out.push_back(str(s.substr(last, m.begin - last)));
    last = m.end;
  }
  out.push_back(str(s.substr(last)));
  return Value::array(std::move(out));
}

Out regex_replace(BuiltinContext& c, Args a) {
  STRING_ARGS("regex.replace", 3);
  const RE2* re = regex(a[1].as_string());
  if (re == nullptr) return c.soft_error("regex.replace: invalid regular expression");
  const std::string& s = a[0].as_string();
  std::string out;
  std::size_t last = 0;
  for (const auto& m : helm::tmpl::all_matches(*re, s, -1)) {
    out.append(s, last, m.begin - last);
    out += helm::tmpl::expand(*re, a[2].as_string(), m);
    last = m.end;
  }
  out.append(s, last);
  return str(std::move(out));
}

// Glob matching as gobwas/glob (OPA's glob.match): `*` stops at delimiters, `**` does not.
bool glob_here(std::string_view p, std::string_view s, const std::vector<std::string>& delimiters, int depth);

bool is_delimiter(std::string_view s, const std::vector<std::string>& delimiters) {
  for (const auto& d : delimiters) {
    if (s.starts_with(d)) return true;
  }
  return false;
}

bool glob_here(std::string_view p, std::string_view s, const std::vector<std::string>& delimiters, int depth) {
  if (depth > 200) return false;
  while (!p.empty()) {
    const char ch = p.front();
    if (ch == '*') {
      const bool super = p.size() > 1 && p[1] == '*';
      std::string_view rest = p.substr(super ? 2 : 1);
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (glob_here(rest, s.substr(i), delimiters, depth + 1)) return true;
        if (i < s.size() && !super && is_delimiter(s.substr(i), delimiters)) return false;
      }
      return false;
    }
    if (ch == '?') {
      if (s.empty() || is_delimiter(s, delimiters)) return false;
      const auto cps = code_points(s);
      s.remove_prefix(cps.front().size());
      p.remove_prefix(1);
      continue;
    }
    if (ch == '[') {
      const auto close = p.find(']', 1);
      if (close == std::string_view::npos || s.empty()) return false;
      std::string_view set = p.substr(1, close - 1);
      bool negate = !set.empty() && (set.front() == '!' || set.front() == '^');
      if (negate) set.remove_prefix(1);
      const char target = s.front();
      bool matched = false;
      for (std::size_t i = 0; i < set.size(); ++i) {
        if (i + 2 < set.size() && set[i + 1] == '-') {
          if (target >= set[i] && target <= set[i + 2]) matched = true;
          i += 2;
        } else if (set[i] == target) {
          matched = true;
        }
      }
      if (matched == negate) return false;
      s.remove_prefix(1);
      p.remove_prefix(close + 1);
      continue;
    }
    if (ch == '{') {
      const auto close = p.find('}');
      if (close == std::string_view::npos) return false;
      std::string_view alternatives = p.substr(1, close - 1);
      std::string_view rest = p.substr(close + 1);
      std::size_t start = 0;
      while (true) {
        const auto comma = alternatives.find(',', start);
        std::string option(alternatives.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (glob_here(option + std::string(rest), s, delimiters, depth + 1)) return true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      return false;
    }
    if (ch == '\\' && p.size() > 1) p.remove_prefix(1);
    if (s.empty() || s.front() != p.front()) return false;
    s.remove_prefix(1);
    p.remove_prefix(1);
  }
  return s.empty();
}

Out glob_match(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_string(), "glob.match", 1, "string");
  REQUIRE(a[1].is_array() || a[1].is_null(), "glob.match", 2, "one of {array[string], null}");
  REQUIRE(a[2].is_string(), "glob.match", 3, "string");
  std::vector<std::string> delimiters;
  if (a[1].is_array()) {
    for (const auto& d : a[1].items()) {
      if (!d.is_string()) return want(c, "glob.match", 2, "array[string]", d);
      delimiters.push_back(d.as_string());
    }
    if (delimiters.empty()) delimiters.push_back(".");
  }
  return boolean(glob_here(a[0].as_string(), a[2].as_string(), delimiters, 0));
}

// --- encodings ---------------------------------------------------------------------------------

Out json_marshal(BuiltinContext&, Args a) { return str(a[0].to_json()); }

Out json_unmarshal(BuiltinContext& c, Args a) {
  STRING_ARGS("json.unmarshal", 1);
  std::string error;
  auto v = parse_json(a[0].as_string(), &error);
  if (!v) return c.soft_error("json.unmarshal: " + error);
  return *v;
}

Out json_is_valid(BuiltinContext&, Args a) {
  if (!a[0].is_string()) return boolean(false);
  return boolean(parse_json(a[0].as_string()).has_value());
}

helm::Value to_helm(const Value& v) {
  switch (v.kind()) {
    case Kind::null: return helm::Value::nil();
    case Kind::boolean: return helm::Value::of(v.as_bool());
    case Kind::number:
      if (v.as_number().is_integer()) return helm::Value::of_int(v.as_number().as_integer(), helm::IntType::go_int64);
      return helm::Value::of_float(v.as_number().as_double());
    case Kind::string: return helm::Value::of(v.as_string());
    case Kind::array:
    case Kind::set: {
      helm::List list;
      for (const auto& item : v.items()) list.push_back(to_helm(item));
      return helm::Value::of(std::move(list));
    }
    case Kind::object: {
      helm::Dict dict;
      for (const auto& [k, item] : v.entries()) dict[k.is_string() ? k.as_string() : k.to_json()] = to_helm(item);
      return helm::Value::of(std::move(dict));
    }
  }
  return helm::Value::nil();
}

Out yaml_marshal(BuiltinContext&, Args a) { return str(helm::tmpl::to_yaml_document(to_helm(a[0]))); }

Out yaml_unmarshal(BuiltinContext& c, Args a) {
  STRING_ARGS("yaml.unmarshal", 1);
  auto stream = yaml::parse(a[0].as_string());
  if (!stream.ok()) {
    return c.soft_error(fmt::format("yaml.unmarshal: {} (line {})", stream.errors.front().message,
                                    stream.errors.front().mark.line));
  }
  if (stream.documents.empty()) return Value::null();
  return from_yaml(stream.documents.front().root);
}

Out yaml_is_valid(BuiltinContext&, Args a) {
  if (!a[0].is_string()) return boolean(false);
  return boolean(yaml::parse(a[0].as_string()).ok());
}

std::string base64_url(std::string s, bool pad) {
  for (auto& ch : s) {
    if (ch == '+') ch = '-';
    if (ch == '/') ch = '_';
  }
  if (!pad) {
    while (!s.empty() && s.back() == '=') s.pop_back();
  }
  return s;
}

Out base64_encode(BuiltinContext& c, Args a) {
  STRING_ARGS("base64.encode", 1);
  return str(helm::tmpl::base64_encode(a[0].as_string()));
}

Out base64_decode(BuiltinContext& c, Args a) {
  STRING_ARGS("base64.decode", 1);
  std::string error;
  auto decoded = helm::tmpl::base64_decode(a[0].as_string(), &error);
  if (!decoded) return c.soft_error("base64.decode: " + error);
  return str(std::move(*decoded));
}

Out base64_is_valid(BuiltinContext&, Args a) {
  if (!a[0].is_string()) return boolean(false);
  std::string error;
  return boolean(helm::tmpl::base64_decode(a[0].as_string(), &error).has_value());
}

Out base64url_encode(BuiltinContext& c, Args a) {
  STRING_ARGS("base64url.encode", 1);
  return str(base64_url(helm::tmpl::base64_encode(a[0].as_string()), true));
}

Out base64url_encode_no_pad(BuiltinContext& c, Args a) {
  STRING_ARGS("base64url.encode_no_pad", 1);
  return str(base64_url(helm::tmpl::base64_encode(a[0].as_string()), false));
}

Out base64url_decode(BuiltinContext& c, Args a) {
  STRING_ARGS("base64url.decode", 1);
  std::string s = a[0].as_string();
  for (auto& ch : s) {
    if (ch == '-') ch = '+';
    if (ch == '_') ch = '/';
  }
  while (s.size() % 4 != 0) s += '=';
  std::string error;
  auto decoded = helm::tmpl::base64_decode(s, &error);
  if (!decoded) return c.soft_error("base64url.decode: " + error);
  return str(std::move(*decoded));
}

Out hex_encode(BuiltinContext& c, Args a) {
  STRING_ARGS("hex.encode", 1);
  std::string out;
  for (unsigned char ch : a[0].as_string()) out += fmt::format("{:02x}", ch);
  return str(std::move(out));
}

Out hex_decode(BuiltinContext& c, Args a) {
  STRING_ARGS("hex.decode", 1);
  const auto& s = a[0].as_string();
  if (s.size() % 2 != 0) return c.soft_error("hex.decode: odd length hex string");
  std::string out;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    auto nibble = [](char h) -> int {
      if (h >= '0' && h <= '9') return h - '0';
      if (h >= 'a' && h <= 'f') return h - 'a' + 10;
      if (h >= 'A' && h <= 'F') return h - 'A' + 10;
      return -1;
    };
    const int hi = nibble(s[i]);
    const int lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return c.soft_error("hex.decode: invalid byte");
    out += static_cast<char>(hi * 16 + lo);
  }
  return str(std::move(out));
}

// Go's url.QueryEscape.
std::string query_escape(std::string_view s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) != 0 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else if (ch == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return out;
}

Out urlquery_encode(BuiltinContext& c, Args a) {
  STRING_ARGS("urlquery.encode", 1);
  return str(query_escape(a[0].as_string()));
}

Out urlquery_decode(BuiltinContext& c, Args a) {
  STRING_ARGS("urlquery.decode", 1);
  const auto& s = a[0].as_string();
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size() || std::isxdigit(static_cast<unsigned char>(s[i + 1])) == 0 ||
          std::isxdigit(static_cast<unsigned char>(s[i + 2])) == 0) {
        return c.soft_error(fmt::format("urlquery.decode: invalid URL escape \"{}\"", s.substr(i, 3)));
      }
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return str(std::move(out));
}

Out urlquery_encode_object(BuiltinContext& c, Args a) {
  REQUIRE(a[0].is_object(), "urlquery.encode_object", 1, "object");
  std::string out;
  for (const auto& [k, v] : a[0].entries()) {
    if (!k.is_string()) return want(c, "urlquery.encode_object", 1, "object[string: any]", a[0]);
    std::vector<Value> values = v.is_string() ? std::vector<Value>{v} : v.items();
    for (const auto& item : values) {
      if (!item.is_string()) return want(c, "urlquery.encode_object", 1, "object[string: string|array|set]", item);
      if (!out.empty()) out += '&';
      out += query_escape(k.as_string()) + "=" + query_escape(item.as_string());
    }
  }
  return str(std::move(out));
}

// --- types --------------------------------------------------------------------------------------

Out is_string(BuiltinContext&, Args a) { return boolean(a[0].is_string()); }
Out is_number(BuiltinContext&, Args a) { return boolean(a[0].is_number()); }
Out is_boolean(BuiltinContext&, Args a) { return boolean(a[0].is_bool()); }
Out is_array(BuiltinContext&, Args a) { return boolean(a[0].is_array()); }
Out is_set(BuiltinContext&, Args a) { return boolean(a[0].is_set()); }
Out is_object(BuiltinContext&, Args a) { return boolean(a[0].is_object()); }
Out is_null(BuiltinContext&, Args a) { return boolean(a[0].is_null()); }
Out type_name(BuiltinContext&, Args a) { return str(std::string(kind_name(a[0].kind()))); }

Out to_number(BuiltinContext& c, Args a) {
  switch (a[0].kind()) {
    case Kind::null: return integer(0);
    case Kind::boolean: return integer(a[0].as_bool() ? 1 : 0);
    case Kind::number: return a[0];
    case Kind::string: {
      auto n = Number::parse(a[0].as_string());
      if (!n) return c.soft_error(fmt::format("to_number: strconv.ParseFloat: parsing \"{}\": invalid syntax", a[0].as_string()));
      return Value::number(*n);
    }
    default: return want(c, "to_number", 1, "one of {boolean, null, number, string}", a[0]);
  }
}

// --- units, versions, time -------------------------------------------------------------------------

// "10KiB" -> (10, "kib"); the number part may have a fraction.
std::optional<std::pair<double, std::string>> split_quantity(std::string s) {
  std::erase(s, '"');
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) != 0 || s[i] == '.' || s[i] == '-' || s[i] == '+' ||
                          ((s[i] == 'e' || s[i] == 'E') && i > 0 && i + 1 < s.size() &&
                           (std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0 || s[i + 1] == '-')))) {
    ++i;
  }
  if (i == 0) return std::nullopt;
  auto n = Number::parse(s.substr(0, i));
  if (!n) return std::nullopt;
  return std::make_pair(n->as_double(), s.substr(i));
}

Out parse_bytes(BuiltinContext& c, Args a) {
  STRING_ARGS("units.parse_bytes", 1);
  auto q = split_quantity(a[0].as_string());
  if (!q) return c.soft_error("units.parse_bytes: could not parse byte amount");
  std::string unit = q->second;
  for (auto& ch : unit) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (unit.ends_with("b")) unit.pop_back();
  static const std::array<std::pair<std::string_view, double>, 13> kUnits = {{
      {"", 1},          {"k", 1e3},           {"m", 1e6},           {"g", 1e9},          {"t", 1e12},
      {"p", 1e15},      {"e", 1e18},          {"ki", 1024.0},       {"mi", 1048576.0},   {"gi", 1073741824.0},
      {"ti", 1099511627776.0}, {"pi", 1125899906842624.0}, {"ei", 1152921504606846976.0},
  }};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return Value::real(std::floor(q->first * factor));
  }
  return c.soft_error("units.parse_bytes: byte unit " + q->second + " not recognized");
}

Out parse_units(BuiltinContext& c, Args a) {
  STRING_ARGS("units.parse", 1);
  auto q = split_quantity(a[0].as_string());
  if (!q) return c.soft_error("units.parse: could not parse amount");
  const std::string& unit = q->second;  // case matters: m is milli, M is mega
  static const std::array<std::pair<std::string_view, double>, 20> kUnits = {{
      {"", 1},      {"m", 1e-3},  {"k", 1e3},   {"K", 1e3},   {"M", 1e6},
      {"G", 1e9},   {"T", 1e12},  {"P", 1e15},  {"E", 1e18},  {"ki", 1024.0},
      {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
      {"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0}, {"mi", 1048576.0}, {"gi", 1073741824.0},
      {"ti", 1099511627776.0}, {"g", 1e9},
  }};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return Value::real(q->first * factor);
  }
  return c.soft_error("units.parse: unit " + unit + " not recognized");
}

// Strict SemVer 2.0 (no "v" prefix), as OPA's semver built-ins require.
std::optional<helm::tmpl::SemVersion> strict_semver(const std::string& s) {
  static const RE2 kSemver(
      R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$)");
  if (!RE2::FullMatch(s, kSemver)) return std::nullopt;
  return helm::tmpl::parse_semver(s);
}

Out semver_is_valid(BuiltinContext&, Args a) {
  return boolean(a[0].is_string() && strict_semver(a[0].as_string()).has_value());
}

Out semver_compare(BuiltinContext& c, Args a) {
  STRING_ARGS("semver.compare", 2);
  auto x = strict_semver(a[0].as_string());
  auto y = strict_semver(a[1].as_string());
  if (!x) return c.soft_error(fmt::format("semver.compare: operand 1: string \"{}\" is not a valid SemVer", a[0].as_string()));
  if (!y) return c.soft_error(fmt::format("semver.compare: operand 2: string \"{}\" is not a valid SemVer", a[1].as_string()));
  const int r = helm::tmpl::compare_semver(*x, *y);
  return integer(r < 0 ? -1 : (r > 0 ? 1 : 0));
}

Out time_now_ns(BuiltinContext& c, Args) { return integer(c.now_ns); }

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Out parse_rfc3339_ns(BuiltinContext& c, Args a) {
  STRING_ARGS("time.parse_rfc3339_ns", 1);
  const std::string& s = a[0].as_string();
  static const RE2 kRfc3339(R"((\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2}))");
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string fraction, zone;
  if (!RE2::FullMatch(s, kRfc3339, &year, &month, &day, &hour, &minute, &second, &fraction, &zone) || month < 1 ||
      month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return c.soft_error(fmt::format("time.parse_rfc3339_ns: parsing time \"{}\" as RFC3339 failed", s));
  }
  std::int64_t ns = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400;
  ns += hour * 3600 + minute * 60 + second;
  if (zone != "Z" && zone != "z") {
    const int sign = zone[0] == '-' ? -1 : 1;
    const int offset = std::stoi(zone.substr(1, 2)) * 3600 + std::stoi(zone.substr(4, 2)) * 60;
    ns -= sign * offset;
  }
  ns *= 1'000'000'000;
  while (fraction.size() < 9 && !fraction.empty()) fraction += '0';
  if (!fraction.empty()) ns += std::stoll(fraction);
  return integer(ns);
}

Out parse_duration_ns(BuiltinContext& c, Args a) {
  STRING_ARGS("time.parse_duration_ns", 1);
  std::string_view s = a[0].as_string();
  const std::string original(s);
  double total = 0;
  int sign = 1;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  if (s == "0") return integer(0);
  if (s.empty()) return c.soft_error(fmt::format("time.parse_duration_ns: time: invalid duration \"{}\"", original));
  static const std::array<std::pair<std::string_view, double>, 7> kUnits = {{
      {"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
  }};
  while (!s.empty()) {
    std::size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) != 0 || s[i] == '.')) ++i;
    if (i == 0) return c.soft_error(fmt::format("time.parse_duration_ns: time: invalid duration \"{}\"", original));
    const double amount = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
    s.remove_prefix(i);
    std::size_t j = 0;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) == 0 && s[j] != '.')) ++j;
    const std::string_view unit = s.substr(0, j);
    s.remove_prefix(j);
    bool known = false;
    for (const auto& [name, factor] : kUnits) {
      if (unit == name) {
        total += amount * factor;
        known = true;
      }
    }
    if (!known) {
      return c.soft_error(fmt::format("time.parse_duration_ns: time: {} in duration \"{}\"",
                                      unit.empty() ? "missing unit" : fmt::format("unknown unit \"{}\"", unit), original));
    }
  }
  return integer(static_cast<std::int64_t>(std::llround(total)) * sign);
}

// --- network and crypto ----------------------------------------------------------------------------

struct Address {
  std::array<unsigned char, 16> bytes{};
  int bits = 0;  // 32 or 128
};

std::optional<Address> parse_ip(const std::string& s) {
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.bits = 32;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.bits = 128;
    return a;
  }
  return std::nullopt;
}

// "10.0.0.0/8" -> network and prefix length; a bare address is its own /32 or /128.
std::optional<std::pair<Address, int>> parse_cidr(const std::string& s) {
  const auto slash = s.find('/');
  auto ip = parse_ip(s.substr(0, slash));
  if (!ip) return std::nullopt;
  int prefix = ip->bits;
  if (slash != std::string::npos) {
    const std::string digits = s.substr(slash + 1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      return std::nullopt;
    }
    prefix = std::stoi(digits);
    if (prefix > ip->bits) return std::nullopt;
  }
  return std::make_pair(*ip, prefix);
}

bool prefix_equal(const Address& a, const Address& b, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((a.bytes[static_cast<std::size_t>(byte)] & mask) != (b.bytes[static_cast<std::size_t>(byte)] & mask)) return false;
  }
  return true;
}

Out cidr_contains(BuiltinContext& c, Args a) {
  STRING_ARGS("net.cidr_contains", 2);
  auto outer = parse_cidr(a[0].as_string());
  auto inner = parse_cidr(a[1].as_string());
  if (!outer) return c.soft_error(fmt::format("net.cidr_contains: invalid CIDR address: {}", a[0].as_string()));
  if (!inner) return c.soft_error(fmt::format("net.cidr_contains: invalid CIDR address: {}", a[1].as_string()));
  if (outer->first.bits != inner->first.bits) return boolean(false);
  return boolean(inner->second >= outer->second && prefix_equal(outer->first, inner->first, outer->second));
}

Out cidr_is_valid(BuiltinContext&, Args a) {
  return boolean(a[0].is_string() && a[0].as_string().find('/') != std::string::npos &&
                 parse_cidr(a[0].as_string()).has_value());
}

std::string evp_hex(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, md, nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", out[i]);
  return hex;
}

Out sha256(BuiltinContext& c, Args a) {
  STRING_ARGS("crypto.sha256", 1);
  return str(digest::sha256_hex(a[0].as_string()));
}
Out sha1(BuiltinContext& c, Args a) {
  STRING_ARGS("crypto.sha1", 1);
  return str(digest::sha1_hex(a[0].as_string()));
}
Out md5(BuiltinContext& c, Args a) {
  STRING_ARGS("crypto.md5", 1);
  return str(evp_hex(EVP_md5(), a[0].as_string()));
}

// --- misc ------------------------------------------------------------------------------------------

Out print_fn(BuiltinContext& c, Args a) {
  if (c.print) {
    std::string line;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i > 0) line += ' ';
      line += a[i].is_string() ? a[i].as_string() : a[i].to_rego();
    }
    c.print(line);
  }
  return boolean(true);
}

Out trace(BuiltinContext&, Args) { return boolean(true); }

Out opa_runtime(BuiltinContext&, Args) { return Value::empty_object(); }

void walk_value(const Value& v, Array& path, const std::function<bool(const Value&)>& emit, bool& go_on) {
  if (!go_on) return;
  go_on = emit(Value::array({Value::array(path), v}));
  if (!go_on) return;
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.items().size() && go_on; ++i) {
      path.push_back(integer(static_cast<std::int64_t>(i)));
      walk_value(v.items()[i], path, emit, go_on);
      path.pop_back();
    }
  } else if (v.is_set()) {
    for (const auto& item : v.items()) {
      if (!go_on) break;
      path.push_back(item);
      walk_value(item, path, emit, go_on);
      path.pop_back();
    }
  } else if (v.is_object()) {
    for (const auto& [k, item] : v.entries()) {
      if (!go_on) break;
      path.push_back(k);
      walk_value(item, path, emit, go_on);
      path.pop_back();
    }
  }
}

void walk(BuiltinContext&, Args a, const std::function<bool(const Value&)>& emit) {
  Array path;
  bool go_on = true;
  walk_value(a[0], path, emit, go_on);
}

constexpr Builtin fn(std::string_view name, int arity, BuiltinFunction f) { return Builtin{name, arity, f, false, nullptr}; }

const std::vector<Builtin>& table() {
  static const std::vector<Builtin> builtins = [] {
    std::vector<Builtin> t = {
        fn("abs", 1, abs_fn),
        fn("all", 1, all_fn),
        fn("and", 2, set_and),
        fn("any", 1, any_fn),
        fn("array.concat", 2, array_concat),
        fn("array.reverse", 1, array_reverse),
        fn("array.slice", 3, array_slice),
        fn("base64.decode", 1, base64_decode),
        fn("base64.encode", 1, base64_encode),
        fn("base64.is_valid", 1, base64_is_valid),
        fn("base64url.decode", 1, base64url_decode),
        fn("base64url.encode", 1, base64url_encode),
        fn("base64url.encode_no_pad", 1, base64url_encode_no_pad),
        fn("ceil", 1, ceil_fn),
        fn("concat", 2, concat),
        fn("contains", 2, contains_fn),
        fn("count", 1, count),
        fn("crypto.md5", 1, md5),
        fn("crypto.sha1", 1, sha1),
        fn("crypto.sha256", 1, sha256),
        fn("div", 2, div),
        fn("endswith", 2, endswith),
        fn("equal", 2, eq),
        fn("floor", 1, floor_fn),
        fn("format_int", 2, format_int),
        fn("glob.match", 3, glob_match),
        fn("gt", 2, gt),
        fn("gte", 2, gte),
        fn("hex.decode", 1, hex_decode),
        fn("hex.encode", 1, hex_encode),
        fn("indexof", 2, indexof),
        fn("indexof_n", 2, indexof_n),
        fn("internal.member_2", 2, member_2),
        fn("internal.member_3", 3, member_3),
        fn("intersection", 1, intersection),
        fn("is_array", 1, is_array),
        fn("is_boolean", 1, is_boolean),
        fn("is_null", 1, is_null),
        fn("is_number", 1, is_number),
        fn("is_object", 1, is_object),
        fn("is_set", 1, is_set),
        fn("is_string", 1, is_string),
        fn("json.is_valid", 1, json_is_valid),
        fn("json.marshal", 1, json_marshal),
        fn("json.unmarshal", 1, json_unmarshal),
        fn("lower", 1, lower),
        fn("lt", 2, lt),
        fn("lte", 2, lte),
        fn("max", 1, max_fn),
        fn("min", 1, min_fn),
        fn("minus", 2, minus),
        fn("mul", 2, mul),
        fn("neq", 2, neq),
        fn("net.cidr_contains", 2, cidr_contains),
        fn("net.cidr_is_valid", 1, cidr_is_valid),
        fn("numbers.range", 2, numbers_range),
        fn("object.filter", 2, object_filter),
        fn("object.get", 3, object_get),
        fn("object.keys", 1, object_keys),
        fn("object.remove", 2, object_remove),
        fn("object.subset", 2, object_subset),
        fn("object.union", 2, object_union),
        fn("object.union_n", 1, object_union_n),
        fn("opa.runtime", 0, opa_runtime),
        fn("or", 2, set_or),
        fn("plus", 2, plus),
        fn("print", -1, print_fn),
        fn("product", 1, product),
        fn("re_match", 2, regex_match),
        fn("regex.find_all_string_submatch_n", 3, regex_submatch),
        fn("regex.find_n", 3, regex_find_n),
        fn("regex.is_valid", 1, regex_is_valid),
        fn("regex.match", 2, regex_match),
        fn("regex.replace", 3, regex_replace),
        fn("regex.split", 2, regex_split),
        fn("rem", 2, rem),
        fn("replace", 3, replace),
        fn("round", 1, round_fn),
        fn("semver.compare", 2, semver_compare),
        fn("semver.is_valid", 1, semver_is_valid),
        fn("sort", 1, sort_fn),
        fn("split", 2, split),
        fn("sprintf", 2, sprintf_fn),
        fn("startswith", 2, startswith),
        fn("strings.any_prefix_match", 2, any_prefix_match),
        fn("strings.any_suffix_match", 2, any_suffix_match),
        fn("strings.count", 2, strings_count),
        fn("strings.replace_n", 2, replace_n),
        fn("strings.reverse", 1, strings_reverse),
        fn("substring", 3, substring),
        fn("sum", 1, sum),
        fn("time.now_ns", 0, time_now_ns),
        fn("time.parse_duration_ns", 1, parse_duration_ns),
        fn("time.parse_rfc3339_ns", 1, parse_rfc3339_ns),
        fn("to_number", 1, to_number),
        fn("trace", 1, trace),
        fn("trim", 2, trim),
        fn("trim_left", 2, trim_left),
        fn("trim_prefix", 2, trim_prefix),
        fn("trim_right", 2, trim_right),
        fn("trim_space", 1, trim_space),
        fn("trim_suffix", 2, trim_suffix),
        fn("type_name", 1, type_name),
        fn("union", 1, union_fn),
        fn("units.parse", 1, parse_units),
        fn("units.parse_bytes", 1, parse_bytes),
        fn("upper", 1, upper),
        fn("urlquery.decode", 1, urlquery_decode),
        fn("urlquery.encode", 1, urlquery_encode),
        fn("urlquery.encode_object", 1, urlquery_encode_object),
        fn("yaml.is_valid", 1, yaml_is_valid),
        fn("yaml.marshal", 1, yaml_marshal),
        fn("yaml.unmarshal", 1, yaml_unmarshal),
    };
    Builtin walk_builtin{"walk", 1, nullptr, true, walk};
    t.push_back(walk_builtin);
    std::sort(t.begin(), t.end(), [](const Builtin& x, const Builtin& y) { return x.name < y.name; });
    return t;
  }();
  return builtins;
}

}  // namespace

const Builtin* find_builtin(std::string_view name) {
  const auto& t = table();
  auto it = std::lower_bound(t.begin(), t.end(), name, [](const Builtin& b, std::string_view n) { return b.name < n; });
  return it != t.end() && it->name == name ? &*it : nullptr;
}

std::vector<std::string_view> builtin_names() {
  std::vector<std::string_view> names;
  for (const auto& b : table()) {
    if (!b.name.starts_with("internal.")) names.push_back(b.name);
  }
  return names;
}

std::string go_sprintf(std::string_view format, const std::vector<Value>& args) {
  std::vector<helm::Value> go_args;
  go_args.reserve(args.size());
  for (const auto& a : args) go_args.push_back(go_value(a));
  return helm::tmpl::go_sprintf(format, go_args);
}

}  // namespace constable::rego

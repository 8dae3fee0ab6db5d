// Sprig's math, logic and type-conversion functions.

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

Value i64(std::int64_t v) { return Value::of_int(v, IntType::go_int64); }

}  // namespace

void add_math_functions(FunctionTable& t) {
  using P = Param;
  t["default"] = Function{{P::any, P::any}, true, [](Call&, Args a) -> Expected<Value> {
                            if (a.size() < 2 || empty(a[1])) return a[0];
                            return a[1];
                          }};
  t["empty"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(empty(a[0])); }};
  t["coalesce"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                             for (const auto& v : a)
                               if (!empty(v)) return v;
                             return Value{};
                           }};
  t["all"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        for (const auto& v : a)
                          if (empty(v)) return Value::of(false);
                        return Value::of(true);
                      }};
  t["any"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        for (const auto& v : a)
                          if (!empty(v)) return Value::of(true);
                        return Value::of(false);
                      }};
  t["ternary"] = Function{{P::any, P::any, P::boolean}, false, [](Call&, Args a) -> Expected<Value> {
                            return a[2].boolean ? a[0] : a[1];
                          }};
  t["int"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of_int(to_int64(a[0])); }};
  t["int64"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return i64(to_int64(a[0])); }};
  t["float64"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of_float(to_float64(a[0])); }};
  t["atoi"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                         std::int64_t v = 0;
                         std::string_view s = a[0].string;
                         if (!s.empty() && s[0] == '+') s.remove_prefix(1);
                         const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
                         if (r.ec != std::errc() || r.ptr != s.data() + s.size()) v = 0;
                         return Value::of_int(v);
                       }};
  t["toDecimal"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                              const std::string s = format_v(a[0]);
                              std::int64_t v = 0;
                              const auto r = std::from_chars(s.data(), s.data() + s.size(), v, 8);
                              if (r.ec != std::errc() || r.ptr != s.data() + s.size()) v = 0;
                              return i64(v);
                            }};
  t["kindOf"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(kind_name(a[0])); }};
  t["kindIs"] = Function{{P::string, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                           return Value::of(kind_name(a[1]) == a[0].string);
                         }};
  t["typeOf"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(type_name(a[0])); }};
  t["typeIs"] = Function{{P::string, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                           return Value::of(type_name(a[1]) == a[0].string);
                         }};
  t["deepEqual"] = Function{{P::any, P::any}, false,
                            [](Call&, Args a) -> Expected<Value> { return Value::of(deep_equal(a[0], a[1])); }};
  t["typeIsLike"] = Function{{P::string, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                               const std::string tn = type_name(a[1]);
                               return Value::of(tn == a[0].string || "*" + tn == a[0].string);
                             }};
  t["add"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        std::int64_t sum = 0;
                        for (const auto& v : a) sum += to_int64(v);
                        return i64(sum);
                      }};
  t["add1"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return i64(to_int64(a[0]) + 1); }};
  t["sub"] = Function{{P::any, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                        return i64(to_int64(a[0]) - to_int64(a[1]));
                      }};
  t["mul"] = Function{{P::any, P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        std::int64_t product = to_int64(a[0]);
                        for (std::size_t i = 1; i < a.size(); ++i) product *= to_int64(a[i]);
                        return i64(product);
                      }};
  t["div"] = Function{{P::any, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                        const std::int64_t d = to_int64(a[1]);
                        if (d == 0) return func_error("runtime error: integer divide by zero");
                        return i64(to_int64(a[0]) / d);
                      }};
  t["mod"] = Function{{P::any, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                        const std::int64_t d = to_int64(a[1]);
                        if (d == 0) return func_error("runtime error: integer divide by zero");
                        return i64(to_int64(a[0]) % d);
                      }};
  t["max"] = Function{{P::any, P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        std::int64_t m = to_int64(a[0]);
                        for (std::size_t i = 1; i < a.size(); ++i) m = std::max(m, to_int64(a[i]));
                        return i64(m);
                      }};
  t["biggest"] = t["max"];
  t["min"] = Function{{P::any, P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        std::int64_t m = to_int64(a[0]);
                        for (std::size_t i = 1; i < a.size(); ++i) m = std::min(m, to_int64(a[i]));
                        return i64(m);
                      }};
  t["floor"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of_float(std::floor(to_float64(a[0]))); }};
  t["ceil"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of_float(std::ceil(to_float64(a[0]))); }};
  t["round"] = Function{{P::any, P::go_int, P::float64}, true, [](Call&, Args a) -> Expected<Value> {
                          const double round_on = a.size() > 2 ? a[2].floating : 0.5;
                          const double pow = std::pow(10.0, static_cast<double>(a[1].integer));
                          const double digit = pow * to_float64(a[0]);
                          double integral = 0;
                          const double frac = std::modf(digit, &integral);
                          const double rounded = frac >= round_on ? std::ceil(digit) : std::floor(digit);
                          return Value::of_float(rounded / pow);
                        }};
  auto float_fold = [](double (*op)(double, double)) {
    return [op](Call&, Args a) -> Expected<Value> {
      double acc = to_float64(a[0]);
      for (std::size_t i = 1; i < a.size(); ++i) acc = op(acc, to_float64(a[i]));
      return Value::of_float(acc);
    };
  };
  t["addf"] = Function{{P::any}, true, float_fold([](double x, double y) { return x + y; })};
  t["subf"] = Function{{P::any, P::any}, true, float_fold([](double x, double y) { return x - y; })};
  t["mulf"] = Function{{P::any, P::any}, true, float_fold([](double x, double y) { return x * y; })};
  t["divf"] = Function{{P::any, P::any}, true, float_fold([](double x, double y) { return x / y; })};
}

}  // namespace constable::helm::tmpl

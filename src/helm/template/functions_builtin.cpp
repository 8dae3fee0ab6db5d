// Go's text/template builtins: and, or, not, len, index, slice, eq, ne, lt,
// le, gt, ge, print, printf, println, html, js, urlquery, call. Also the
// helpers shared by every function family.

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "helm/template/functions.hpp"
#include "helm/template/gofmt.hpp"

namespace constable::helm::tmpl {

std::string_view param_type_name(Param p) {
  switch (p) {
    case Param::any:
    case Param::raw: return "interface {}";
    case Param::string: return "string";
    case Param::go_int: return "int";
    case Param::go_int64: return "int64";
    case Param::float64: return "float64";
    case Param::boolean: return "bool";
    case Param::dict: return "map[string]interface {}";
    case Param::list: return "[]interface {}";
  }
  return "interface {}";
}

namespace {

// strconv.ParseInt(s, 0, 64).
std::optional<std::int64_t> parse_go_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') base = 16;
    else if (p == 'o') base = 8;
    else if (p == 'b') base = 2;
    if (base != 10) s.remove_prefix(2);
    else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  std::string digits;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && base != 10 && i > 0) continue;
    digits += s[i];
  }
  if (digits.empty()) return std::nullopt;
  std::uint64_t u = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
  if (u > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return std::nullopt;
  return negative ? static_cast<std::int64_t>(0 - u) : static_cast<std::int64_t>(u);
}

}  // namespace

std::int64_t to_int64(const Value& v) {
  switch (v.kind) {
    case Kind::integer: return v.integer;
    case Kind::floating:
      if (std::isnan(v.floating)) return INT64_MIN;
      if (v.floating >= 9.2233720368547758e18) return INT64_MIN;
      if (v.floating <= -9.2233720368547758e18) return INT64_MIN;
      return static_cast<std::int64_t>(v.floating);
    case Kind::boolean: return v.boolean ? 1 : 0;
    case Kind::string: {
      std::string_view s = v.string;
      // cast trims a ".0…" decimal part before parsing.
      std::string trimmed(s);
      if (const auto dot = trimmed.find('.'); dot != std::string::npos) {
        bool zeros = dot + 1 < trimmed.size();
        for (std::size_t i = dot + 1; i < trimmed.size(); ++i)
          if (trimmed[i] != '0') zeros = false;
        if (zeros) trimmed.resize(dot);
      }
      return parse_go_int(trimmed).value_or(0);
    }
    default: return 0;
  }
}

double to_float64(const Value& v) {
  switch (v.kind) {
    case Kind::integer: return static_cast<double>(v.integer);
    case Kind::floating: return v.floating;
    case Kind::boolean: return v.boolean ? 1 : 0;
    case Kind::string: {
      double d = 0;
      const auto r = std::from_chars(v.string.data(), v.string.data() + v.string.size(), d);
      if (r.ec != std::errc() || r.ptr != v.string.data() + v.string.size()) return 0;
      return d;
    }
    default: return 0;
  }
}

std::vector<std::string> to_strings(const Value& v) {
  std::vector<std::string> out;
  if (v.is_nil()) return out;
  if (v.kind == Kind::list) {
    for (const auto& item : *v.list)
      if (!item.is_nil() || v.string_list) out.push_back(to_go_string(item));
    return out;
  }
  out.push_back(to_go_string(v));
  return out;
}

Value make_strings(std::vector<std::string> items) {
  List list;
  list.reserve(items.size());
  for (auto& s : items) list.push_back(Value::of(std::move(s)));
  return Value::of(std::move(list), true);
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += fmt::format("\\x{:02x}", c);
        } else if (c < 0x80) {
          out += static_cast<char>(c);
        } else {
          // Keep valid UTF-8 sequences; escape stray bytes.
          std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
          bool valid = len > 0 && i + len <= s.size();
          for (std::size_t k = 1; valid && k < len; ++k)
            valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
          if (valid) {
            out.append(s.substr(i, len));
            i += len - 1;
          } else {
            out += fmt::format("\\x{:02x}", c);
          }
        }
    }
  }
  out += '"';
  return out;
}

namespace {

enum class Basic { invalid, boolean, integer, floating, string, other };

Basic basic_kind(const Value& v) {
  switch (v.kind) {
    case Kind::nil: return Basic::invalid;
    case Kind::boolean: return Basic::boolean;
    case Kind::integer: return Basic::integer;
    case Kind::floating: return Basic::floating;
    case Kind::string: return Basic::string;
    default: return Basic::other;
  }
}

Expected<Value> eq(Call&, std::span<const Value> args) {
  if (args.size() < 2) return func_error("missing argument for comparison");
  const Value& a = args[0];
  const Basic ka = basic_kind(a);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& b = args[i];
    const Basic kb = basic_kind(b);
    bool truth = false;
    if (ka != kb) {
      if (!a.is_nil() && !b.is_nil()) return func_error("incompatible types for comparison");
    } else {
      switch (ka) {
        case Basic::boolean: truth = a.boolean == b.boolean; break;
        case Basic::integer: truth = a.integer == b.integer; break;
        case Basic::floating: truth = a.floating == b.floating; break;
        case Basic::string: truth = a.string == b.string; break;
        case Basic::invalid: truth = true; break;
        case Basic::other:
          if (a.kind != b.kind) return func_error("incompatible types for comparison");
          if (a.kind == Kind::object) {
            truth = a.object == b.object;
            break;
          }
          return func_error(fmt::format("non-comparable type {}: {}", format_v(b), type_name(b)));
      }
    }
    if (truth) return Value::of(true);
  }
  return Value::of(false);
}

Expected<bool> less_than(const Value& a, const Value& b) {
  const Basic ka = basic_kind(a);
  const Basic kb = basic_kind(b);
  if (ka == Basic::invalid || ka == Basic::other || kb == Basic::invalid || kb == Basic::other)
    return func_error("invalid type for comparison");
  if (ka != kb) return func_error("incompatible types for comparison");
  switch (ka) {
    case Basic::integer: return a.integer < b.integer;
    case Basic::floating: return a.floating < b.floating;
    case Basic::string: return a.string < b.string;
    default: return func_error("invalid type for comparison");
  }
}

Expected<std::int64_t> index_arg(const Value& index, std::size_t cap) {
  if (index.is_nil()) return func_error("cannot index slice/array with nil");
  if (index.kind != Kind::integer) return func_error(fmt::format("cannot index slice/array with type {}", type_name(index)));
  if (index.integer < 0 || static_cast<std::uint64_t>(index.integer) > cap)
    return func_error(fmt::format("index out of range: {}", index.integer));
  return index.integer;
}

Expected<Value> index_fn(Call&, std::span<const Value> args) {
  Value item = args[0];
  if (item.is_nil()) return func_error("index of untyped nil");
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& index = args[i];
    if (item.is_nil()) return func_error("index of nil pointer");
    switch (item.kind) {
      case Kind::list: {
        auto x = index_arg(index, item.list->size());
        if (!x) return std::unexpected(x.error());
        if (static_cast<std::size_t>(*x) >= item.list->size())
          return func_error(fmt::format("index out of range: {}", *x));
        Value next = (*item.list)[static_cast<std::size_t>(*x)];
        item = std::move(next);
        break;
      }
      case Kind::string: {
        auto x = index_arg(index, item.string.size());
        if (!x) return std::unexpected(x.error());
        if (static_cast<std::size_t>(*x) >= item.string.size())
          return func_error(fmt::format("index out of range: {}", *x));
        item = Value::of_int(static_cast<unsigned char>(item.string[static_cast<std::size_t>(*x)]));
        break;
      }
      case Kind::dict: {
        if (index.is_nil()) return func_error("value is nil; should be of type string");
        if (index.kind != Kind::string)
          return func_error(fmt::format("value has type {}; should be string", type_name(index)));
        const auto it = item.dict->find(index.string);
        Value next = it == item.dict->end() ? Value{} : it->second;
        item = std::move(next);
        break;
      }
      case Kind::object:
        if (const auto* entries = item.object->map_entries()) {  // map[string][]byte: a missing key is an empty []byte
          if (index.kind != Kind::string)
            return func_error(fmt::format("value has type {}; should be string", type_name(index)));
          const auto it = std::lower_bound(entries->begin(), entries->end(), index.string,
                                           [](const auto& entry, const std::string& key) { return entry.first < key; });
          item = it != entries->end() && it->first == index.string ? it->second : make_bytes({});
          break;
        }
        return func_error(fmt::format("can't index item of type {}", type_name(item)));
      default: return func_error(fmt::format("can't index item of type {}", type_name(item)));
    }
  }
  return item;
}

Expected<Value> slice_fn(Call&, std::span<const Value> args) {
  const Value& item = args[0];
  if (item.is_nil()) return func_error("slice of untyped nil");
  if (args.size() > 4) return func_error(fmt::format("too many slice indexes: {}", args.size() - 1));
  std::size_t cap = 0;
  if (item.kind == Kind::string) {
    if (args.size() == 4) return func_error("cannot 3-index slice a string");
    cap = item.string.size();
  } else if (item.kind == Kind::list) {
    cap = item.list->size();
  } else {
    return func_error(fmt::format("can't slice item of type {}", type_name(item)));
  }
  std::int64_t idx[3] = {0, static_cast<std::int64_t>(cap), static_cast<std::int64_t>(cap)};
  for (std::size_t i = 1; i < args.size(); ++i) {
    auto x = index_arg(args[i], cap);
    if (!x) return std::unexpected(x.error());
    idx[i - 1] = *x;
  }
  if (idx[0] > idx[1]) return func_error(fmt::format("invalid slice index: {} > {}", idx[0], idx[1]));
  if (item.kind == Kind::string)
    return Value::of(item.string.substr(static_cast<std::size_t>(idx[0]), static_cast<std::size_t>(idx[1] - idx[0])));
  List out(item.list->begin() + idx[0], item.list->begin() + idx[1]);
  return Value::of(std::move(out), item.string_list);
}

std::string eval_args_string(std::span<const Value> args) {
  if (args.size() == 1 && args[0].is_string()) return args[0].string;
  return go_sprint(args);
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\'': out += "&#39;"; break;
      case '"': out += "&#34;"; break;
      case '\0': out += "\xEF\xBF\xBD"; break;
      default: out += c;
    }
  }
  return out;
}

std::string js_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '"': out += "\\\""; break;
      case '<': out += "\\u003C"; break;
      case '>': out += "\\u003E"; break;
      case '&': out += "\\u0026"; break;
      case '=': out += "\\u003D"; break;
      default:
        if (static_cast<unsigned char>(c) < ' ')
          out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out;
}

std::string query_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~')
      out += c;
    else if (c == ' ')
      out += '+';
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

}  // namespace

void add_builtin_functions(FunctionTable& t) {
  using P = Param;
  t["and"] = Function{{P::raw}, true, nullptr, true};
  t["or"] = Function{{P::raw}, true, nullptr, true};
  t["not"] = Function{{P::any}, false, [](Call&, std::span<const Value> a) -> Expected<Value> {
                        return Value::of(!truth(a[0]));
                      }};
  t["len"] = Function{{P::any}, false, [](Call&, std::span<const Value> a) -> Expected<Value> {
                        const Value& v = a[0];
                        switch (v.kind) {
                          case Kind::string: return Value::of_int(static_cast<std::int64_t>(v.string.size()));
                          case Kind::list: return Value::of_int(static_cast<std::int64_t>(v.list->size()));
                          case Kind::dict: return Value::of_int(static_cast<std::int64_t>(v.dict->size()));
                          case Kind::object:
                            if (const auto* entries = v.object->map_entries())
                              return Value::of_int(static_cast<std::int64_t>(entries->size()));
                            if (const auto* bytes = v.object->bytes())
                              return Value::of_int(static_cast<std::int64_t>(bytes->size()));
                            return func_error(fmt::format("len of type {}", type_name(v)));
                          case Kind::nil: return func_error("len of nil pointer");
                          default: return func_error(fmt::format("len of type {}", type_name(v)));
                        }
                      }};
  t["index"] = Function{{P::any, P::any}, true, index_fn};
  t["slice"] = Function{{P::any, P::any}, true, slice_fn};
  t["eq"] = Function{{P::any, P::any}, true, eq};
  t["ne"] = Function{{P::any, P::any}, false, [](Call& c, std::span<const Value> a) -> Expected<Value> {
                       auto r = eq(c, a);
                       if (!r) return r;
                       return Value::of(!r->boolean);
                     }};
  auto compare = [](bool (*pick)(bool lt, bool eq)) {
    return [pick](Call& c, std::span<const Value> a) -> Expected<Value> {
      auto lt = less_than(a[0], a[1]);
      if (!lt) return std::unexpected(lt.error());
      auto e = eq(c, a);
      if (!e) return e;
      return Value::of(pick(*lt, e->boolean));
    };
  };
  t["lt"] = Function{{P::any, P::any}, false, compare([](bool lt, bool) { return lt; })};
  t["le"] = Function{{P::any, P::any}, false, compare([](bool lt, bool e) { return lt || e; })};
  t["gt"] = Function{{P::any, P::any}, false, compare([](bool lt, bool e) { return !lt && !e; })};
  t["ge"] = Function{{P::any, P::any}, false, compare([](bool lt, bool) { return !lt; })};
  t["print"] = Function{{P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                          return Value::of(go_sprint(a));
                        }};
  t["println"] = Function{{P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                            return Value::of(go_sprintln(a));
                          }};
  t["printf"] = Function{{P::string, P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                           return Value::of(go_sprintf(a[0].string, a.subspan(1)));
                         }};
  t["html"] = Function{{P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                         return Value::of(html_escape(eval_args_string(a)));
                       }};
  t["js"] = Function{{P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                       return Value::of(js_escape(eval_args_string(a)));
                     }};
  t["urlquery"] = Function{{P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                             return Value::of(query_escape(eval_args_string(a)));
                           }};
  t["call"] = Function{{P::any, P::any}, true, [](Call&, std::span<const Value> a) -> Expected<Value> {
                         if (a[0].is_nil()) return func_error("call of nil");
                         return func_error(fmt::format("non-function of type {}", type_name(a[0])));
                       }};
}

const FunctionTable& standard_functions() {
  static const FunctionTable table = [] {
    FunctionTable t;
    add_builtin_functions(t);
    add_string_functions(t);
    add_list_functions(t);
    add_path_functions(t);
    add_math_functions(t);
    add_encoding_functions(t);
    add_regex_functions(t);
    add_semver_functions(t);
    add_time_functions(t);
    add_helm_functions(t);
    add_crypto_functions(t);
    return t;
  }();
  return table;
}

}  // namespace constable::helm::tmpl

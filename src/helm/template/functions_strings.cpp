// Sprig's string functions.

#include <algorithm>

#include <fmt/format.h>

#include "helm/template/functions.hpp"
#include "helm/template/gofmt.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string trim_space(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_ascii_space(s[b])) ++b;
  while (e > b && is_ascii_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string to_upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string replace_all(std::string_view src, std::string_view from, std::string_view to) {
  std::string out;
  if (from.empty()) {
    // strings.Replace with an empty old string inserts `to` around every rune.
    out += to;
    for (std::size_t i = 0; i < src.size(); ++i) {
      out += src[i];
      if (i + 1 == src.size() || (static_cast<unsigned char>(src[i + 1]) & 0xC0) != 0x80) out += to;
    }
    return out;
  }
  std::size_t pos = 0;
  while (true) {
    const std::size_t at = src.find(from, pos);
    if (at == std::string_view::npos) break;
    out.append(src.substr(pos, at - pos));
    out.append(to);
    pos = at + from.size();
  }
  out.append(src.substr(pos));
  return out;
}

std::vector<std::string> split(std::string_view s, std::string_view sep, long long limit = -1) {
  std::vector<std::string> out;
  if (limit == 0) return out;
  if (sep.empty()) {
    for (std::size_t i = 0; i < s.size();) {
      std::size_t len = 1;
      while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
      if (limit > 0 && static_cast<long long>(out.size()) == limit - 1) {
        out.emplace_back(s.substr(i));
        return out;
      }
      out.emplace_back(s.substr(i, len));
      i += len;
    }
    return out;
  }
  std::size_t pos = 0;
  while (limit < 0 || static_cast<long long>(out.size()) < limit - 1) {
    const std::size_t at = s.find(sep, pos);
    if (at == std::string_view::npos) break;
    out.emplace_back(s.substr(pos, at - pos));
    pos = at + sep.size();
  }
  out.emplace_back(s.substr(pos));
  return out;
}

Value split_dict(const std::vector<std::string>& parts) {
  Dict d;
  for (std::size_t i = 0; i < parts.size(); ++i) d.emplace(fmt::format("_{}", i), Value::of(parts[i]));
  return Value::of(std::move(d));
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

// strings.Title: upper-case the first letter of each word.
std::string title(std::string s) {
  bool prev_sep = true;
  for (auto& c : s) {
    if (prev_sep && std::islower(static_cast<unsigned char>(c))) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    prev_sep = !is_word_char(c) && c != '\'';
  }
  return s;
}

std::string untitle(std::string s) {
  bool start = true;
  for (auto& c : s) {
    if (start && std::isupper(static_cast<unsigned char>(c))) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    start = is_ascii_space(c);
  }
  return s;
}

bool is_connector(char c) { return c == '_' || c == '-' || c == ' '; }

// huandu/xstrings ToCamelCase: connectors dropped, the following letter upper-cased.
std::string camelcase(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size() && is_connector(s[i])) out += s[i++];
  bool upper_next = true;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_connector(c)) {
      if (i + 1 < s.size() && is_connector(s[i + 1])) {
        out += c;
        continue;
      }
      if (i + 1 == s.size()) {
        out += c;
        continue;
      }
      upper_next = true;
      continue;
    }
    out += upper_next ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper_next = false;
  }
  return out;
}

// huandu/xstrings ToSnakeCase / ToKebabCase: words split at connectors,
// case changes (HTTPServer -> http_server) and letter-to-digit changes.
std::string delimited_case(std::string_view s, char delim) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&]() {
    if (!current.empty()) words.push_back(to_lower(std::move(current)));
    current.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_connector(c)) {
      flush();
      continue;
    }
    if (!current.empty()) {
      const char prev = current.back();
      const bool prev_lower = std::islower(static_cast<unsigned char>(prev)) != 0;
      const bool prev_upper = std::isupper(static_cast<unsigned char>(prev)) != 0;
      const bool prev_alpha = prev_lower || prev_upper;
      const bool up = std::isupper(static_cast<unsigned char>(c)) != 0;
      const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
      const bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
      if ((up && (prev_lower || std::isdigit(static_cast<unsigned char>(prev)))) || (up && prev_upper && next_lower) ||
          (digit && prev_alpha))
        flush();
    }
    current += c;
  }
  flush();
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += delim;
    out += words[i];
  }
  return out;
}

Expected<Value> quote_with(Args a, bool single) {
  std::string out;
  bool first = true;
  for (const auto& v : a) {
    if (v.is_nil()) continue;
    if (!first) out += ' ';
    first = false;
    out += single ? "'" + format_v(v) + "'" : go_quote(to_go_string(v));
  }
  return Value::of(std::move(out));
}

}  // namespace

void add_string_functions(FunctionTable& t) {
  using P = Param;
  t["quote"] = Function{{P::any}, true, [](Call&, Args a) { return quote_with(a, false); }};
  t["squote"] = Function{{P::any}, true, [](Call&, Args a) { return quote_with(a, true); }};
  t["trim"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(trim_space(a[0].string)); }};
  t["trimAll"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                            const std::string& cut = a[0].string;
                            std::string_view s = a[1].string;
                            while (!s.empty() && cut.find(s.front()) != std::string::npos) s.remove_prefix(1);
                            while (!s.empty() && cut.find(s.back()) != std::string::npos) s.remove_suffix(1);
                            return Value::of(std::string(s));
                          }};
  t["trimall"] = t["trimAll"];  // Sprig's deprecated spelling
  t["trimPrefix"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                               std::string_view s = a[1].string;
                               if (s.starts_with(a[0].string)) s.remove_prefix(a[0].string.size());
                               return Value::of(std::string(s));
                             }};
  t["trimSuffix"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                               std::string_view s = a[1].string;
                               if (s.ends_with(a[0].string)) s.remove_suffix(a[0].string.size());
                               return Value::of(std::string(s));
                             }};
  t["trunc"] = Function{{P::go_int, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                          const std::int64_t c = a[0].integer;
                          const std::string& s = a[1].string;
                          const auto len = static_cast<std::int64_t>(s.size());
                          if (c < 0 && len + c > 0) return Value::of(s.substr(static_cast<std::size_t>(len + c)));
                          if (c >= 0 && len > c) return Value::of(s.substr(0, static_cast<std::size_t>(c)));
                          return Value::of(s);
                        }};
  t["lower"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(to_lower(a[0].string)); }};
  t["upper"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(to_upper(a[0].string)); }};
  t["title"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(title(a[0].string)); }};
  t["untitle"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(untitle(a[0].string)); }};
  t["replace"] = Function{{P::string, P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                            return Value::of(replace_all(a[2].string, a[0].string, a[1].string));
                          }};
  t["contains"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                             return Value::of(a[1].string.find(a[0].string) != std::string::npos);
                           }};
  t["hasPrefix"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                              return Value::of(a[1].string.starts_with(a[0].string));
                            }};
  t["hasSuffix"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                              return Value::of(a[1].string.ends_with(a[0].string));
                            }};
  auto indent = [](bool leading_newline) {
    return [leading_newline](Call& c, Args a) -> Expected<Value> {
      if (a[0].integer < 0) return func_error("negative Repeat count");
      if (static_cast<std::size_t>(a[0].integer) > c.max_items) return func_error("indent width too large");
      const std::string pad(static_cast<std::size_t>(a[0].integer), ' ');
      std::string out = leading_newline ? "\n" + pad : pad;
      out += replace_all(a[1].string, "\n", "\n" + pad);
      return Value::of(std::move(out));
    };
  };
  t["indent"] = Function{{P::go_int, P::string}, false, indent(false)};
  t["nindent"] = Function{{P::go_int, P::string}, false, indent(true)};
  t["repeat"] = Function{{P::go_int, P::string}, false, [](Call& c, Args a) -> Expected<Value> {
                           if (a[0].integer < 0) return func_error("strings: negative Repeat count");
                           if (static_cast<std::size_t>(a[0].integer) * std::max<std::size_t>(a[1].string.size(), 1) > c.max_items * 16)
                             return func_error("repeat: result too large", ErrorKind::limit);
                           std::string out;
                           for (std::int64_t i = 0; i < a[0].integer; ++i) out += a[1].string;
                           return Value::of(std::move(out));
                         }};
  t["substr"] = Function{{P::go_int, P::go_int, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           const std::int64_t start = a[0].integer, end = a[1].integer;
                           const std::string& s = a[2].string;
                           const auto len = static_cast<std::int64_t>(s.size());
                           if (start < 0) return Value::of(s.substr(0, static_cast<std::size_t>(std::clamp<std::int64_t>(end, 0, len))));
                           if (start > len) return func_error(fmt::format("slice bounds out of range [{}:{}]", start, len));
                           if (end < 0 || end > len) return Value::of(s.substr(static_cast<std::size_t>(start)));
                           if (start > end) return func_error(fmt::format("slice bounds out of range [{}:{}]", start, end));
                           return Value::of(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
                         }};
  t["nospace"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                            std::string s = a[0].string;
                            std::erase_if(s, is_ascii_space);
                            return Value::of(std::move(s));
                          }};
  t["abbrev"] = Function{{P::go_int, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           const std::int64_t width = a[0].integer;
                           const std::string& s = a[1].string;
                           if (width < 4 || static_cast<std::int64_t>(s.size()) <= width) return Value::of(s);
                           return Value::of(s.substr(0, static_cast<std::size_t>(width - 3)) + "...");
                         }};
  t["cat"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        std::string out;
                        bool first = true;
                        for (const auto& v : a) {
                          if (v.is_nil()) continue;
                          if (!first) out += ' ';
                          first = false;
                          out += format_v(v);
                        }
                        return Value::of(std::move(out));
                      }};
  t["join"] = Function{{P::string, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                         const auto parts = to_strings(a[1]);
                         std::string out;
                         for (std::size_t i = 0; i < parts.size(); ++i) {
                           if (i) out += a[0].string;
                           out += parts[i];
                         }
                         return Value::of(std::move(out));
                       }};
  t["split"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                          return split_dict(split(a[1].string, a[0].string));
                        }};
  t["splitList"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                              return make_strings(split(a[1].string, a[0].string));
                            }};
  t["splitn"] = Function{{P::string, P::go_int, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           return split_dict(split(a[2].string, a[0].string, a[1].integer));
                         }};
  t["toString"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(to_go_string(a[0])); }};
  t["toStrings"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return make_strings(to_strings(a[0])); }};
  t["camelcase"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(camelcase(a[0].string)); }};
  t["snakecase"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                              return Value::of(delimited_case(a[0].string, '_'));
                            }};
  t["kebabcase"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                              return Value::of(delimited_case(a[0].string, '-'));
                            }};
  t["plural"] = Function{{P::string, P::string, P::go_int}, false, [](Call&, Args a) -> Expected<Value> {
                           return Value::of(a[2].integer == 1 ? a[0].string : a[1].string);
                         }};
  t["initials"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                             std::string out;
                             bool start = true;
                             for (char c : a[0].string) {
                               if (start && !is_ascii_space(c)) out += c;
                               start = is_ascii_space(c);
                             }
                             return Value::of(std::move(out));
                           }};
}

}  // namespace constable::helm::tmpl

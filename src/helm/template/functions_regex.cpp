// Sprig's regex functions over RE2 (Go's regexp uses the same syntax).

#include <re2/re2.h>

#include <fmt/format.h>

#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

struct Match {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<re2::StringPiece> groups;
};

Expected<std::unique_ptr<RE2>> compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return func_error(fmt::format("error parsing regexp: {}: `{}`", re->error(), pattern));
  return re;
}

// Go's allMatches: no empty match right after a previous match.
std::vector<Match> all_matches(const RE2& re, std::string_view s, long long limit) {
  std::vector<Match> out;
  const int groups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups));
  const re2::StringPiece text(s.data(), s.size());
  std::size_t pos = 0;
  long long prev_end = -1;
  while ((limit < 0 || static_cast<long long>(out.size()) < limit) && pos <= s.size()) {
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, sub.data(), groups)) break;
    const auto begin = static_cast<std::size_t>(sub[0].data() - s.data());
    const std::size_t end = begin + sub[0].size();
    bool accept = true;
    if (end == pos) {
      if (static_cast<long long>(begin) == prev_end) accept = false;
      std::size_t w = 1;
      while (pos + w < s.size() && (static_cast<unsigned char>(s[pos + w]) & 0xC0) == 0x80) ++w;
      pos += w;
    } else {
      pos = end;
    }
    prev_end = static_cast<long long>(end);
    if (accept) out.push_back(Match{begin, end, sub});
  }
  return out;
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$.
std::string expand(const RE2& re, std::string_view templ, const Match& m) {
  std::string out;
  const auto& names = re.NamedCapturingGroups();
  auto group = [&](const std::string& name) -> std::string {
    int index = -1;
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      index = std::stoi(name.substr(0, 9));
    } else if (const auto it = names.find(name); it != names.end()) {
      index = it->second;
    }
    if (index < 0 || static_cast<std::size_t>(index) >= m.groups.size() || m.groups[static_cast<std::size_t>(index)].data() == nullptr)
      return {};
    return std::string(m.groups[static_cast<std::size_t>(index)]);
  };
  for (std::size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '$' || i + 1 >= templ.size()) {
      out += templ[i];
      continue;
    }
    if (templ[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string name;
    std::size_t j = i + 1;
    if (templ[j] == '{') {
      const std::size_t close = templ.find('}', j);
      if (close == std::string_view::npos) {
        out += templ[i];
        continue;
      }
      name = std::string(templ.substr(j + 1, close - j - 1));
      j = close + 1;
    } else {
      while (j < templ.size() && (std::isalnum(static_cast<unsigned char>(templ[j])) || templ[j] == '_')) name += templ[j++];
    }
    if (name.empty()) {
      out += templ[i];
      continue;
    }
    out += group(name);
    i = j - 1;
  }
  return out;
}

Expected<Value> replace_all(Args a, bool literal) {
  auto re = compile(a[0].string);
  if (!re) return std::unexpected(re.error());
  const std::string& s = a[1].string;
  std::string out;
  std::size_t last = 0;
  for (const auto& m : all_matches(**re, s, -1)) {
    out.append(s, last, m.begin - last);
    out += literal ? a[2].string : expand(**re, a[2].string, m);
    last = m.end;
  }
  out.append(s, last);
  return Value::of(std::move(out));
}

}  // namespace

void add_regex_functions(FunctionTable& t) {
  using P = Param;
  t["regexMatch"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                               auto re = compile(a[0].string);
                               if (!re) return Value::of(false);  // Sprig ignores the error here
                               return Value::of(RE2::PartialMatch(a[1].string, **re));
                             }};
  t["mustRegexMatch"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                                   auto re = compile(a[0].string);
                                   if (!re) return std::unexpected(re.error());
                                   return Value::of(RE2::PartialMatch(a[1].string, **re));
                                 }};
  t["regexFind"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                              auto re = compile(a[0].string);
                              if (!re) return std::unexpected(re.error());
                              const auto m = all_matches(**re, a[1].string, 1);
                              return Value::of(m.empty() ? std::string() : a[1].string.substr(m[0].begin, m[0].end - m[0].begin));
                            }};
  t["mustRegexFind"] = t["regexFind"];
  t["regexFindAll"] = Function{{P::string, P::string, P::go_int}, false, [](Call&, Args a) -> Expected<Value> {
                                 auto re = compile(a[0].string);
                                 if (!re) return std::unexpected(re.error());
                                 std::vector<std::string> out;
                                 for (const auto& m : all_matches(**re, a[1].string, a[2].integer < 0 ? -1 : a[2].integer))
                                   out.push_back(a[1].string.substr(m.begin, m.end - m.begin));
                                 return make_strings(std::move(out));
                               }};
  t["mustRegexFindAll"] = t["regexFindAll"];
  t["regexReplaceAll"] = Function{{P::string, P::string, P::string}, false, [](Call&, Args a) { return replace_all(a, false); }};
  t["mustRegexReplaceAll"] = t["regexReplaceAll"];
  t["regexReplaceAllLiteral"] = Function{{P::string, P::string, P::string}, false, [](Call&, Args a) { return replace_all(a, true); }};
  t["mustRegexReplaceAllLiteral"] = t["regexReplaceAllLiteral"];
  t["regexSplit"] = Function{{P::string, P::string, P::go_int}, false, [](Call&, Args a) -> Expected<Value> {
                               auto re = compile(a[0].string);
                               if (!re) return std::unexpected(re.error());
                               const std::string& s = a[1].string;
                               const long long n = a[2].integer;
                               if (n == 0) return make_strings({});
                               if (a[0].string.empty() && !s.empty()) {
                                 // Go splits into single characters when the pattern is empty.
                               }
                               std::vector<std::string> out;
                               std::size_t beg = 0;
                               for (const auto& m : all_matches(**re, s, -1)) {
                                 if (n > 0 && static_cast<long long>(out.size()) == n - 1) break;
                                 if (m.end == 0) continue;
                                 out.push_back(s.substr(beg, m.begin - beg));
                                 beg = m.end;
                               }
                               out.push_back(s.substr(beg));
                               return make_strings(std::move(out));
                             }};
  t["mustRegexSplit"] = t["regexSplit"];
  t["regexQuoteMeta"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                                   std::string out;
                                   for (char c : a[0].string) {
                                     if (std::string_view(R"(\.+*?()|[]{}^$)").find(c) != std::string_view::npos) out += '\\';
                                     out += c;
                                   }
                                   return Value::of(std::move(out));
                                 }};
}

}  // namespace constable::helm::tmpl

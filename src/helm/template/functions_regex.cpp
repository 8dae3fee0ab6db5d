// Sprig's regex functions over RE2 (Go's regexp uses the same syntax).

#include <re2/re2.h>

#include <fmt/format.h>

#include "helm/template/functions.hpp"
#include "helm/template/go_regexp.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

Expected<std::unique_ptr<RE2>> compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return func_error(fmt::format("error parsing regexp: {}: `{}`", re->error(), pattern));
  return re;
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

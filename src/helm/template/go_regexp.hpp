#pragma once
// Go's regexp behaviours over RE2 (whose syntax Go's regexp shares): the
// matches FindAll gives and the replacement Expand writes. Sprig's regex
// functions and Rego's regex built-ins both promise Go's semantics.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

namespace constable::helm::tmpl {

struct Match {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<re2::StringPiece> groups;  // [0] is the whole match; unmatched groups have a null data()
};

// Go's allMatches: up to `limit` matches (negative: all), no empty match right after a previous match.
std::vector<Match> all_matches(const RE2& re, std::string_view s, long long limit);

// Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$.
std::string expand(const RE2& re, std::string_view templ, const Match& m);

}  // namespace constable::helm::tmpl

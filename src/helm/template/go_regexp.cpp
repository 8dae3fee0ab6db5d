#include "helm/template/go_regexp.hpp"

#include <algorithm>
#include <cctype>

namespace constable::helm::tmpl {

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

}  // namespace constable::helm::tmpl

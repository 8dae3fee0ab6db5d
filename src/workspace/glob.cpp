// gitignore patterns with git's semantics: a port of git's wildmatch() (with
// WM_PATHNAME) plus the line parsing rules of dir.c.

#include "workspace/glob.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include "core/text.hpp"

namespace constable::workspace {

namespace {

// Longer lines are ignored: matching is recursive in the number of '*'
// groups, and no real pattern is this long.
constexpr std::size_t kMaxPatternLength = 4096;

enum class Wild { match, no_match, abort_all, abort_to_starstar };

// Character at `i`, or '\0' past the end (wildmatch works on C strings).
char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }

bool is_glob_special(char c) { return c == '*' || c == '?' || c == '[' || c == '\\'; }

bool in_named_class(std::string_view name, unsigned char c) {
  const bool upper = c >= 'A' && c <= 'Z';
  const bool lower = c >= 'a' && c <= 'z';
  const bool digit = c >= '0' && c <= '9';
  const bool alpha = upper || lower;
  const bool print = c >= 0x20 && c < 0x7f;
  if (name == "alnum") return alpha || digit;
  if (name == "alpha") return alpha;
  if (name == "blank") return c == ' ' || c == '\t';
  if (name == "cntrl") return c < 0x20 || c == 0x7f;
  if (name == "digit") return digit;
  if (name == "graph") return print && c != ' ';
  if (name == "lower") return lower;
  if (name == "print") return print;
  if (name == "punct") return print && c != ' ' && !alpha && !digit;
  if (name == "space") return c == ' ' || (c >= '\t' && c <= '\r');
  if (name == "upper") return upper;
  if (name == "xdigit") return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  return false;
}

// git's dowild() with WM_PATHNAME: '*' and '?' never match '/', '**' does
// when it is a whole path component.
//
// Backtracking can be exponential in the number of '*'s, so every match has
// a budget of calls; when it runs out the pattern does not match.
constexpr int kMatchBudget = 200000;

Wild dowild(std::string_view pat, std::size_t p, std::string_view text, std::size_t t, int& budget) {
  if (--budget < 0) return Wild::abort_all;
  for (; at(pat, p) != '\0'; ++t, ++p) {
    char p_ch = at(pat, p);
    char t_ch = at(text, t);
    if (t_ch == '\0' && p_ch != '*') return Wild::abort_all;
    switch (p_ch) {
      case '\\':
        p_ch = at(pat, ++p);
        if (t_ch != p_ch) return Wild::no_match;
        continue;
      default:
        if (t_ch != p_ch) return Wild::no_match;
        continue;
      case '?':
        if (t_ch == '/') return Wild::no_match;
        continue;
      case '*': {
        bool match_slash = false;
        if (at(pat, ++p) == '*') {
          const bool at_start = p < 2;  // `prev_p < pattern` in git
          const char prev = at_start ? '\0' : pat[p - 2];
          while (at(pat, ++p) == '*') {
          }
          const char next = at(pat, p);
          if ((at_start || prev == '/') &&
              (next == '\0' || next == '/' || (next == '\\' && at(pat, p + 1) == '/'))) {
            if (next == '/' && dowild(pat, p + 1, text, t, budget) == Wild::match) return Wild::match;
            match_slash = true;
          }
        }
        if (at(pat, p) == '\0') {
          if (!match_slash && text.find('/', t) != std::string_view::npos) return Wild::no_match;
          return Wild::match;
        }
        if (!match_slash && at(pat, p) == '/') {
          const auto slash = text.find('/', t);
          if (slash == std::string_view::npos) return Wild::no_match;
          t = slash;
          break;  // the slash is consumed by the loop
        }
        while (true) {
          if (t_ch == '\0') break;
          if (!is_glob_special(at(pat, p))) {
            p_ch = at(pat, p);
            while ((t_ch = at(text, t)) != '\0' && (match_slash || t_ch != '/')) {
              if (t_ch == p_ch) break;
              ++t;
            }
            if (t_ch != p_ch) return Wild::no_match;
          }
          const Wild matched = dowild(pat, p, text, t, budget);
          if (matched != Wild::no_match) {
            if (!match_slash || matched != Wild::abort_to_starstar) return matched;
          } else if (!match_slash && t_ch == '/') {
            return Wild::abort_to_starstar;
          }
          t_ch = at(text, ++t);
        }
        return Wild::abort_all;
      }
      case '[': {
        p_ch = at(pat, ++p);
        if (p_ch == '^') p_ch = '!';
        const bool negated = p_ch == '!';
        if (negated) p_ch = at(pat, ++p);
        char prev_ch = '\0';
        bool matched = false;
        do {
          if (p_ch == '\0') return Wild::abort_all;
          if (p_ch == '\\') {
            p_ch = at(pat, ++p);
            if (p_ch == '\0') return Wild::abort_all;
            if (t_ch == p_ch) matched = true;
          } else if (p_ch == '-' && prev_ch != '\0' && at(pat, p + 1) != '\0' && at(pat, p + 1) != ']') {
            p_ch = at(pat, ++p);
            if (p_ch == '\\') {
              p_ch = at(pat, ++p);
              if (p_ch == '\0') return Wild::abort_all;
            }
            const auto tc = static_cast<unsigned char>(t_ch);
            if (tc <= static_cast<unsigned char>(p_ch) && tc >= static_cast<unsigned char>(prev_ch)) {
              matched = true;
            }
            p_ch = '\0';  // so that prev_ch becomes 0
          } else if (p_ch == '[' && at(pat, p + 1) == ':') {
            const std::size_t start = p + 2;
            std::size_t end = start;
            while (at(pat, end) != '\0' && at(pat, end) != ']') ++end;
            if (at(pat, end) == '\0') return Wild::abort_all;
            const std::size_t len = end - start;
            if (len == 0 || pat[end - 1] != ':') {
              // Not a named class: a literal '['.
              if (t_ch == '[') matched = true;
            } else {
              const std::string_view name = pat.substr(start, len - 1);
              const bool known = name == "alnum" || name == "alpha" || name == "blank" || name == "cntrl" ||
                                 name == "digit" || name == "graph" || name == "lower" || name == "print" ||
                                 name == "punct" || name == "space" || name == "upper" || name == "xdigit";
              if (!known) return Wild::abort_all;  // malformed [:class:]
              if (in_named_class(name, static_cast<unsigned char>(t_ch))) matched = true;
              p = end;
              p_ch = '\0';
            }
          } else if (t_ch == p_ch) {
            matched = true;
          }
          prev_ch = p_ch;
          p_ch = at(pat, ++p);
        } while (p_ch != ']');
        if (matched == negated || t_ch == '/') return Wild::no_match;
        continue;
      }
    }
  }
  return t < text.size() ? Wild::no_match : Wild::match;
}

bool wildmatch(std::string_view pattern, std::string_view text) {
  int budget = kMatchBudget;
  return dowild(pattern, 0, text, 0, budget) == Wild::match;
}

// git's trim_trailing_spaces(): unescaped trailing spaces go.
std::string_view trim_trailing_spaces(std::string_view line) {
  std::size_t keep = line.size();
  bool in_spaces = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ') {
      if (!in_spaces) {
        in_spaces = true;
        keep = i;
      }
      continue;
    }
    if (c == '\\') {
      ++i;
      if (i >= line.size()) return line;  // a trailing lone backslash: keep as is
    }
    in_spaces = false;
  }
  return in_spaces ? line.substr(0, keep) : line;
}

}  // namespace

bool GlobPattern::parse(std::string_view line, std::string base, GlobPattern& out) {
  if (line.empty() || line.front() == '#') return false;
  line = trim_trailing_spaces(line);
  if (line.empty() || line.size() > kMaxPatternLength) return false;

  GlobPattern result;
  result.text_ = std::string(line);
  std::string_view body = line;
  if (body.front() == '!') {
    result.negated_ = true;
    body.remove_prefix(1);
  }
  if (!body.empty() && body.back() == '/') {
    result.directory_only_ = true;
    body.remove_suffix(1);
  }
  if (body.empty()) return false;
  result.anchored_ = body.find('/') != std::string_view::npos;
  if (body.front() == '/') body.remove_prefix(1);
  if (body.empty()) return false;
  result.pattern_ = std::string(body);
  // "**/**/" means what "**/" means; collapsing it keeps matching linear.
  std::string& pat = result.pattern_;
  while (pat.starts_with("**/**/")) pat.erase(0, 3);
  for (auto pos = pat.find("/**/**/"); pos != std::string::npos; pos = pat.find("/**/**/", pos)) pat.erase(pos, 3);
  while (!base.empty() && base.back() == '/') base.pop_back();
  result.base_ = std::move(base);
  out = std::move(result);
  return true;
}

bool GlobPattern::matches(std::string_view path, bool is_directory) const {
  if (directory_only_ && !is_directory) return false;
  std::string_view relative = path;
  if (!base_.empty()) {
    if (relative.size() <= base_.size() || !relative.starts_with(base_) || relative[base_.size()] != '/') {
      return false;
    }
    relative.remove_prefix(base_.size() + 1);
  }
  if (relative.empty()) return false;
  if (!anchored_) {
    const auto slash = relative.rfind('/');
    if (slash != std::string_view::npos) relative.remove_prefix(slash + 1);
  }
  return wildmatch(pattern_, relative);
}

std::string_view GlobPattern::literal_tail() const {
  // After the last wildcard, class or escape; and after the last '/', since
  // "**/" may match nothing ("**/b" matches "b").
  const auto special = pattern_.find_last_of("*?[]\\/");
  return special == std::string::npos ? std::string_view(pattern_) : std::string_view(pattern_).substr(special + 1);
}

void IgnoreRules::add(GlobPattern pattern) {
  const std::string_view tail = pattern.literal_tail();
  const std::size_t index = patterns_.size();
  if (tail.empty()) {
    without_tail_.push_back(index);
  } else {
    by_tail_end_[std::string(tail.substr(tail.size() - std::min(tail.size(), kKeyLength)))].push_back(index);
  }
  patterns_.push_back(std::move(pattern));
}

void IgnoreRules::add_lines(std::string_view content, const std::string& base) {
  for (const std::string_view line : text::split_lines(text::strip_bom(content))) {
    GlobPattern pattern;
    if (GlobPattern::parse(line, base, pattern)) add(std::move(pattern));
  }
}

std::optional<bool> IgnoreRules::ignored(std::string_view path, bool is_directory) const {
  // A pattern can match only if the path ends with its literal tail, hence
  // with that tail's indexed end: the candidates are at most kKeyLength
  // lists plus the patterns without a tail, merged so that the last pattern
  // is tried first.
  std::array<const std::vector<std::size_t>*, kKeyLength + 1> lists{};
  std::array<std::size_t, kKeyLength + 1> left{};  // unvisited entries of each list
  std::size_t count = 0;
  lists[count++] = &without_tail_;
  for (std::size_t length = 1; length <= kKeyLength && length <= path.size(); ++length) {
    const auto found = by_tail_end_.find(std::string(path.substr(path.size() - length)));
    if (found != by_tail_end_.end()) lists[count++] = &found->second;
  }
  for (std::size_t i = 0; i < count; ++i) left[i] = lists[i]->size();
  while (true) {
    std::size_t best = count;
    for (std::size_t i = 0; i < count; ++i)
      if (left[i] > 0 && (best == count || (*lists[i])[left[i] - 1] > (*lists[best])[left[best] - 1])) best = i;
    if (best == count) return std::nullopt;
    const GlobPattern& pattern = patterns_[(*lists[best])[--left[best]]];
    if (pattern.matches(path, is_directory)) return !pattern.negated();
  }
}

bool glob_matches(std::string_view pattern, std::string_view path) {
  GlobPattern glob;
  if (!GlobPattern::parse(pattern, "", glob)) return false;
  while (path.starts_with("./")) path.remove_prefix(2);
  // As in git, a path inside a matching directory matches too.
  bool matched = glob.matches(path, false);
  for (auto slash = path.find('/'); !matched && slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    matched = glob.matches(path.substr(0, slash), true);
  }
  return glob.negated() ? !matched : matched;
}

}  // namespace constable::workspace

#pragma once
// gitignore-style patterns, used for .gitignore files, `exclude:` globs,
// waiver paths and `--select`-style path filters: one matcher, one semantics.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace constable::workspace {

// One gitignore line: '!' negation, trailing '/' for directories only, a
// leading or middle '/' anchors to the base directory, '*', '?', '[...]',
// and '**' across directories. Backslash escapes the next character.
class GlobPattern {
 public:
  // `base` is the directory (relative to the root, '' for the root) whose
  // .gitignore held the pattern. Returns false for blank lines and comments.
  static bool parse(std::string_view line, std::string base, GlobPattern& out);

  // `path` is relative to the root; `is_directory` says what it names.
  bool matches(std::string_view path, bool is_directory) const;
  bool negated() const { return negated_; }
  const std::string& text() const { return text_; }
  // The literal text every path the pattern matches ends with ("" when the
  // pattern ends with a wildcard): a cheap key that rules most patterns out.
  std::string_view literal_tail() const;

 private:
  std::string text_;
  std::string pattern_;
  std::string base_;
  bool negated_ = false;
  bool directory_only_ = false;
  bool anchored_ = false;
};

// An ordered list of patterns where the last match wins, as in git.
// Patterns are indexed by the end of their literal tail, so that a path is
// matched only against the patterns it could match: a .gitignore of 100,000
// lines costs a few lookups per path, not 100,000 matches.
class IgnoreRules {
 public:
  void add(GlobPattern pattern);
  void add_lines(std::string_view content, const std::string& base);
  // nullopt when no pattern says anything about the path.
  std::optional<bool> ignored(std::string_view path, bool is_directory) const;
  bool empty() const { return patterns_.empty(); }

 private:
  static constexpr std::size_t kKeyLength = 4;
  std::vector<GlobPattern> patterns_;
  // Indexes into patterns_, ascending: patterns without a literal tail, and
  // the others by the last kKeyLength characters of theirs (all of it when shorter).
  std::vector<std::size_t> without_tail_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_tail_end_;
};

// Convenience: does `path` match the single glob `pattern` (anchored at root)?
bool glob_matches(std::string_view pattern, std::string_view path);

}  // namespace constable::workspace

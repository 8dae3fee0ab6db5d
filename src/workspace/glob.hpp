#pragma once
// gitignore-style patterns, used for .gitignore files, `exclude:` globs,
// waiver paths and `--select`-style path filters: one matcher, one semantics.

#include <optional>
#include <string>
#include <string_view>
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

 private:
  std::string text_;
  std::string pattern_;
  std::string base_;
  bool negated_ = false;
  bool directory_only_ = false;
  bool anchored_ = false;
};

// An ordered list of patterns where the last match wins, as in git.
class IgnoreRules {
 public:
  void add(GlobPattern pattern) { patterns_.push_back(std::move(pattern)); }
  void add_lines(std::string_view content, const std::string& base);
  // nullopt when no pattern says anything about the path.
  std::optional<bool> ignored(std::string_view path, bool is_directory) const;
  bool empty() const { return patterns_.empty(); }

 private:
  std::vector<GlobPattern> patterns_;
};

// Convenience: does `path` match the single glob `pattern` (anchored at root)?
bool glob_matches(std::string_view pattern, std::string_view path);

}  // namespace constable::workspace

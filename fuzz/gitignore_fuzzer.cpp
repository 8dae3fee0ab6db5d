// gitignore patterns: the input's first part is a .gitignore (rooted at
// "sub/"), an optional "#=== paths" part lists paths to test (a trailing '/'
// marks a directory). Each pattern is also matched alone with glob_matches,
// as excludes and production globs are.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "workspace/glob.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_files(fuzz::as_text(data, size), ".gitignore");
  std::string patterns;
  std::vector<std::string_view> paths = {"sub/a.txt", "sub/build/", "sub/dir/x/y.log", "other/a", ".env", "sub/.git/"};
  for (const auto& part : parts) {
    if (part.name == "paths") {
      for (std::string_view line : text::split_lines(part.text)) paths.push_back(line);
    } else {
      patterns += part.text;
    }
  }
  workspace::IgnoreRules rules;
  rules.add_lines(patterns, "sub/");
  for (std::string_view path : paths) {
    const bool directory = path.ends_with('/');
    if (directory) path.remove_suffix(1);
    (void)rules.ignored(path, directory);
  }
  std::size_t tried = 0;
  for (std::string_view line : text::split_lines(patterns)) {
    if (++tried > 64) break;
    workspace::GlobPattern pattern;
    if (workspace::GlobPattern::parse(line, "", pattern)) (void)pattern.matches("a/b/c.txt", false);
    for (std::string_view path : paths) (void)workspace::glob_matches(line, path);
  }
  return 0;
}

#pragma once
// What the cost checks need of Terraform beyond security/terraform_blocks.hpp:
// whether a block sits inside a `/* ... */` comment (terraform_resources
// reads commented-out resources too).

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace constable::checks::cost {

// The `/* ... */` comments of a .tf file, as [begin, end) offsets; strings
// and line comments are skipped, so a "/*" inside them opens nothing.
inline std::vector<std::pair<std::size_t, std::size_t>> block_comments(std::string_view hcl) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < hcl.size(); ++i) {
    const char c = hcl[i];
    if (c == '"') {
      for (++i; i < hcl.size() && hcl[i] != '"' && hcl[i] != '\n'; ++i)
        if (hcl[i] == '\\') ++i;
    } else if (c == '#' || (c == '/' && i + 1 < hcl.size() && hcl[i + 1] == '/')) {
      const std::size_t end = hcl.find('\n', i);
      i = end == std::string_view::npos ? hcl.size() : end;
    } else if (c == '/' && i + 1 < hcl.size() && hcl[i + 1] == '*') {
      const std::size_t end = hcl.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? hcl.size() : end + 2;
      out.emplace_back(i, stop);
      i = stop - 1;
    }
  }
  return out;
}

inline bool commented_out(const std::vector<std::pair<std::size_t, std::size_t>>& comments, std::size_t offset) {
  for (const auto& [begin, end] : comments)
    if (offset >= begin && offset < end) return true;
  return false;
}

}  // namespace constable::checks::cost

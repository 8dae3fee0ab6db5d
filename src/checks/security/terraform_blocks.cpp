#include "checks/security/terraform_blocks.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "checks/testing/testing_support.hpp"  // read_file
#include "core/text.hpp"

namespace constable::checks::security {

// The index of the closing quote of the string opening at `open`; an
// interpolation's own quotes (`"${lookup(var.m, "k")}"`) stay inside.
std::size_t hcl_string_end(std::string_view hcl, std::size_t open) {
  for (std::size_t i = open + 1; i < hcl.size(); ++i) {
    if (hcl[i] == '\\') {
      ++i;
    } else if (hcl[i] == '"' || hcl[i] == '\n') {
      return i;
    } else if (hcl[i] == '$' && i + 1 < hcl.size() && hcl[i + 1] == '{') {
      int depth = 0;
      for (++i; i < hcl.size(); ++i) {
        if (hcl[i] == '{') ++depth;
        else if (hcl[i] == '}' && --depth == 0) break;
      }
    }
  }
  return hcl.size();
}

// The end of a comment starting at `i` ('#', "//", "/*"), or `i` when none does.
std::size_t hcl_comment_end(std::string_view hcl, std::size_t i) {
  if (hcl[i] == '#' || (hcl[i] == '/' && i + 1 < hcl.size() && hcl[i + 1] == '/')) {
    const std::size_t end = hcl.find('\n', i);
    return end == std::string_view::npos ? hcl.size() : end;
  }
  if (hcl[i] == '/' && i + 1 < hcl.size() && hcl[i + 1] == '*') {
    const std::size_t end = hcl.find("*/", i + 2);
    return end == std::string_view::npos ? hcl.size() : end + 1;
  }
  return i;
}

// The block opening at the first '{' at or after `from`; nullopt when it never closes.
std::optional<std::string_view> hcl_block(std::string_view hcl, std::size_t from) {
  int depth = 0;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = from; i < hcl.size(); ++i) {
    const char c = hcl[i];
    if (c == '"') {
      i = hcl_string_end(hcl, i);
    } else if (const std::size_t end = hcl_comment_end(hcl, i); end != i) {
      i = end;
    } else if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}' && depth > 0 && --depth == 0) {
      return hcl.substr(start, i - start + 1);
    }
  }
  return std::nullopt;
}

namespace {

// Calls visit(offset) for the start of each line at depth 1 of `block`.
template <class Visit>
void top_level_lines(std::string_view block, Visit visit) {
  int depth = 0;
  bool line_start = true;
  for (std::size_t i = 0; i < block.size(); ++i) {
    const char c = block[i];
    if (c == '\n') {
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (depth == 1 && line_start && visit(i)) return;
    line_start = false;
    if (c == '"') {
      i = hcl_string_end(block, i);
    } else if (const std::size_t end = hcl_comment_end(block, i); end != i) {
      i = end < block.size() && block[end] == '\n' ? end - 1 : end;
    } else if (c == '{' || c == '[' || c == '(') {
      ++depth;
    } else if (c == '}' || c == ']' || c == ')') {
      --depth;
    }
  }
}

// The `/* ... */` comments of `hcl`, as [begin, end) offsets; a "/*" inside
// a string or a line comment opens none.
std::vector<std::pair<std::size_t, std::size_t>> block_comments(std::string_view hcl) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (hcl.find("/*") == std::string_view::npos) return out;
  for (std::size_t i = 0; i < hcl.size(); ++i) {
    if (hcl[i] == '"') {
      i = hcl_string_end(hcl, i);
    } else if (const std::size_t end = hcl_comment_end(hcl, i); end != i) {
      if (hcl[i] == '/' && hcl[i + 1] == '*') out.emplace_back(i, std::min(end + 1, hcl.size()));
      i = end;
    }
  }
  return out;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

}  // namespace

std::vector<TerraformBlock> terraform_resources(std::string_view hcl, const std::vector<std::string_view>& types) {
  static const RE2 kResource(R"re((?m)^[ \t]*resource[ \t]+"([\w-]+)"[ \t]+"([\w-]+)"[ \t]*\{)re");
  std::vector<TerraformBlock> out;
  const auto comments = block_comments(hcl);
  const auto commented_out = [&](std::size_t offset) {
    return std::any_of(comments.begin(), comments.end(),
                       [&](const auto& range) { return offset >= range.first && offset < range.second; });
  };
  re2::StringPiece input(hcl.data(), hcl.size()), type, name;
  while (RE2::FindAndConsume(&input, kResource, &type, &name)) {
    const std::string_view t(type.data(), type.size());
    if (std::find(types.begin(), types.end(), t) == types.end()) continue;
    if (commented_out(static_cast<std::size_t>(type.data() - hcl.data()))) continue;
    const std::size_t brace = static_cast<std::size_t>(input.data() - hcl.data()) - 1;
    const auto body = hcl_block(hcl, brace);
    if (!body) continue;
    const std::size_t type_at = static_cast<std::size_t>(type.data() - hcl.data());
    out.push_back({t, std::string_view(name.data(), name.size()), *body, hcl.rfind("resource", type_at)});
  }
  return out;
}

std::optional<Attribute> terraform_attribute(std::string_view block, std::string_view name) {
  std::optional<Attribute> found;
  top_level_lines(block, [&](std::size_t i) {
    if (!block.substr(i).starts_with(name)) return false;
    std::size_t j = i + name.size();
    if (j < block.size() && word_char(block[j])) return false;
    while (j < block.size() && (block[j] == ' ' || block[j] == '\t')) ++j;
    if (j >= block.size() || block[j] != '=' || (j + 1 < block.size() && block[j + 1] == '=')) return false;
    ++j;
    std::size_t end = block.find('\n', j);
    if (end == std::string_view::npos) end = block.size();
    std::string_view value = block.substr(j, end - j);
    // A trailing comment, outside strings.
    for (std::size_t k = 0; k < value.size(); ++k) {
      if (value[k] == '"') {
        k = hcl_string_end(value, k);
      } else if (hcl_comment_end(value, k) != k) {
        value = value.substr(0, k);
        break;
      }
    }
    found = Attribute{text::trim(value), i};
    return true;
  });
  return found;
}

std::optional<bool> terraform_bool(std::string_view value) {
  // Terraform converts the strings "true" and "false" to booleans.
  if (value == "true" || value == "\"true\"") return true;
  if (value == "false" || value == "\"false\"") return false;
  return std::nullopt;
}

std::vector<std::pair<std::string_view, std::size_t>> terraform_nested(std::string_view block, std::string_view name) {
  std::vector<std::pair<std::string_view, std::size_t>> out;
  top_level_lines(block, [&](std::size_t i) {
    if (!block.substr(i).starts_with(name)) return false;
    std::size_t j = i + name.size();
    if (j < block.size() && word_char(block[j])) return false;
    while (j < block.size() && (block[j] == ' ' || block[j] == '\t')) ++j;
    if (j < block.size() && block[j] == '{')
      if (const auto nested = hcl_block(block, j)) out.emplace_back(*nested, i);
    return false;
  });
  return out;
}

std::vector<TerraformFile> terraform_files_with(const engine::RepositoryContext& repo, std::string_view needle) {
  std::vector<TerraformFile> out;
  for (const workspace::File& file : repo.workspace().files) {
    if (!file.path.ends_with(".tf") || file.size > 4 * 1024 * 1024) continue;
    const std::string_view content = testing::read_file(repo, file);
    if (content.find(needle) == std::string_view::npos) continue;
    out.push_back({&file, content});
  }
  return out;
}

int terraform_line(std::string_view text, std::size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
}

}  // namespace constable::checks::security

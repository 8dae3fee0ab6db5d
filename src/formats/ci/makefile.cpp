// Makefile rules: targets, prerequisites and recipe lines.

#include "formats/ci/makefile.hpp"

#include <initializer_list>

#include "core/text.hpp"

namespace constable::ci {

namespace {

// Words separated by blanks.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (word == w) return true;
  return false;
}

// A line without its comment (make has no quoting for '#' outside recipes, bar `\#`).
std::string_view without_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || line[i - 1] != '\\')) return line.substr(0, i);
  return line;
}

// Joins `\`-continued lines starting at `i` (advanced to the last line used).
std::string logical_line(const std::vector<std::string_view>& lines, std::size_t& i, bool recipe) {
  std::string out(lines[i]);
  while (!out.empty() && out.back() == '\\' && i + 1 < lines.size()) {
    out.pop_back();
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    ++i;
    std::string_view next = lines[i];
    if (recipe && next.starts_with('\t')) next.remove_prefix(1);
    out += ' ';
    out += text::trim(next);
  }
  return out;
}

}  // namespace

Makefile parse_makefile(std::string_view text) {
  Makefile makefile;
  const std::vector<std::string_view> lines = text::split_lines(text::strip_bom(text));
  std::vector<std::size_t> current;  // the targets the next recipe lines belong to
  bool in_define = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line_number = static_cast<int>(i) + 1;
    if (in_define) {
      if (text::trim(lines[i]).starts_with("endef")) in_define = false;
      continue;
    }
    if (lines[i].starts_with('\t')) {
      if (current.empty()) continue;  // a recipe line outside a rule: make rejects it
      std::string command = logical_line(lines, i, true);
      std::string_view body = text::trim(std::string_view(command).substr(1));
      while (!body.empty() && (body.front() == '@' || body.front() == '-' || body.front() == '+'))
        body = text::trim(body.substr(1));
      if (body.empty() || body.starts_with('#')) continue;
      for (std::size_t target : current) makefile.targets[target].recipe.push_back({std::string(body), line_number});
      continue;
    }
    const std::string logical = logical_line(lines, i, false);
    const std::string_view content = text::trim(without_comment(logical));
    if (content.empty()) continue;  // blank and comment lines do not end a rule
    const std::vector<std::string> words = words_of(content);
    const std::string& first = words.front();
    if (is_one_of(first, {"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif"})) continue;  // both branches count
    current.clear();
    if (first == "define") {
      in_define = true;
      continue;
    }
    if (is_one_of(first, {"include", "-include", "sinclude"})) {
      for (std::size_t w = 1; w < words.size(); ++w)
        if (words[w].find('$') == std::string::npos) makefile.includes.push_back(words[w]);
      continue;
    }
    if (is_one_of(first, {"export", "unexport", "override", "vpath", "private"})) continue;
    const std::size_t colon = content.find(':');
    const std::size_t equals = content.find('=');
    if (colon == std::string_view::npos || (equals != std::string_view::npos && equals <= colon + 1)) continue;
    if (equals != std::string_view::npos && equals < colon) continue;  // an assignment whose value has a colon
    std::string_view rest = content.substr(colon + 1);
    if (rest.starts_with(':')) rest.remove_prefix(1);  // double-colon rule
    std::string_view inline_recipe;
    if (const auto semicolon = rest.find(';'); semicolon != std::string_view::npos) {
      inline_recipe = text::trim(rest.substr(semicolon + 1));
      rest = rest.substr(0, semicolon);
    }
    if (rest.find('=') != std::string_view::npos) continue;  // a target-specific variable
    std::vector<std::string> prerequisites;
    for (std::string& word : words_of(rest))
      if (word != "|") prerequisites.push_back(std::move(word));
    for (std::string& name : words_of(content.substr(0, colon))) {
      if (makefile.default_target.empty() && !name.starts_with('.') && name.find('%') == std::string::npos &&
          name.find('$') == std::string::npos)
        makefile.default_target = name;
      current.push_back(makefile.targets.size());
      makefile.targets.push_back({.name = std::move(name), .prerequisites = prerequisites, .recipe = {}, .line = line_number});
      if (!inline_recipe.empty()) makefile.targets.back().recipe.push_back({std::string(inline_recipe), line_number});
    }
  }
  return makefile;
}

}  // namespace constable::ci

#include "formats/yaml/lookalike.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"

namespace constable::yaml {

namespace {

// What the file is said to look like is decided from its start: a README or
// a template shows itself within its first lines.
constexpr std::size_t kMaxLines = 2000;

std::size_t indentation(std::string_view line) {
  const auto first = line.find_first_not_of(" \t");
  return first == std::string_view::npos ? line.size() : first;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// "key: value", "- key: value", "\"quoted key\":": a YAML mapping entry. Keys
// of Kubernetes, Compose or CI files have no spaces; a sentence does
// ("To install the chart: run ...").
bool is_mapping_entry(std::string_view line) {
  line = text::trim(line);
  while (line.starts_with("- ")) line = text::trim(line.substr(2));
  if (line.empty()) return false;
  std::size_t colon = std::string_view::npos;
  if (line.front() == '"' || line.front() == '\'') {
    const auto close = line.find(line.front(), 1);
    if (close == std::string_view::npos) return false;
    colon = line.find_first_not_of(' ', close + 1);
    if (colon == std::string_view::npos || line[colon] != ':') return false;
  } else {
    colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    if (line.substr(0, colon).find_first_of(" \t") != std::string_view::npos) return false;
  }
  return colon + 1 == line.size() || line[colon + 1] == ' ' || line[colon + 1] == '\t';
}

// "key: |", "- >-", "description: |2 # comment": the lines after it that are
// indented deeper are the scalar's text, whatever they look like.
bool opens_block_scalar(std::string_view line) {
  std::string_view rest = text::trim(line);
  if (const auto comment = rest.find(" #"); comment != std::string_view::npos) rest = text::trim(rest.substr(0, comment));
  while (!rest.empty() && (rest.back() == '-' || rest.back() == '+' || std::isdigit(static_cast<unsigned char>(rest.back()))))
    rest.remove_suffix(1);
  if (rest.empty() || (rest.back() != '|' && rest.back() != '>')) return false;
  rest.remove_suffix(1);
  rest = text::trim(rest);
  return rest.empty() || rest.back() == ':' || rest == "-" || rest.ends_with(" -");
}

// The line without its inline code spans (`...`), which quote rather than say.
std::string without_code_spans(std::string_view line) {
  std::string out;
  bool in_code = false;
  for (char c : line) {
    if (c == '`') {
      in_code = !in_code;
      continue;
    }
    if (!in_code) out += c;
  }
  return out;
}

// A `{{ ... }}` action outside quotes and comments: a quoted one
// (`image: "{{ .Values.image }}"`) is a string YAML reads well.
std::optional<std::string_view> unquoted_action(std::string_view line) {
  bool in_double = false, in_single = false;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && !in_single && (i == 0 || line[i - 1] != '\\')) in_double = !in_double;
    else if (c == '\'' && !in_double) in_single = !in_single;
    else if (c == '#' && !in_double && !in_single && (i == 0 || line[i - 1] == ' ')) return std::nullopt;
    else if (c == '{' && line[i + 1] == '{' && !in_double && !in_single) {
      const auto close = line.find("}}", i + 2);
      if (close == std::string_view::npos) return std::nullopt;
      return line.substr(i + 2, close - i - 2);
    }
  }
  return std::nullopt;
}

// What Helm and Go templates write inside their actions.
bool is_go_action(std::string_view action) {
  if (action.starts_with('-')) return true;  // {{- trims whitespace
  action = text::trim(action);
  if (action.empty()) return false;
  if (action.front() == '.' || action.front() == '$' || action.starts_with("/*")) return true;
  static constexpr std::array kKeywords = {"if",     "else",    "end",      "range", "with", "define", "template",
                                           "block",  "include", "tpl",      "toYaml", "printf", "default",
                                           "required", "quote", "nindent", "indent"};
  const auto word_end = std::find_if_not(action.begin(), action.end(), is_word_char);
  const std::string_view word = action.substr(0, static_cast<std::size_t>(word_end - action.begin()));
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

std::size_t word_count(std::string_view line) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : line) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

bool is_link(std::string_view line) {
  for (auto at = line.find("]("); at != std::string_view::npos; at = line.find("](", at + 2)) {
    const auto open = line.rfind('[', at);
    const auto close = line.find(')', at + 2);
    if (open != std::string_view::npos && close != std::string_view::npos && close > at + 2) return true;
  }
  return false;
}

bool is_ordered_item(std::string_view line) {
  std::size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  return digits > 0 && digits + 2 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
         line[digits + 1] == ' ';
}

// A Markdown construct YAML has no use for, at the start of a line.
std::optional<std::string_view> markdown_construct(std::string_view line) {
  if (line.starts_with("```") || line.starts_with("~~~")) return "a code fence";
  if (line.size() > 2 && line.front() == '|' && text::trim(line).back() == '|') return "a table";
  if (line.starts_with("> ")) return "a quotation";
  if ((line.starts_with("* ") || line.starts_with("+ ")) && line.size() > 2) return "a list";
  if (is_ordered_item(line)) return "a numbered list";
  if (line.starts_with("**") || line.starts_with("__")) return "bold text";
  if (is_link(line)) return "a link";
  if (std::count(line.begin(), line.end(), '`') >= 2) return "inline code";
  return std::nullopt;
}

bool is_heading(std::string_view line) {
  std::size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  return hashes >= 1 && hashes <= 6 && hashes + 1 < line.size() && line[hashes] == ' ' &&
         line.find_first_not_of(" #", hashes) != std::string_view::npos;
}

struct Evidence {
  std::string_view what;
  int line = 0;
};

}  // namespace

std::optional<Lookalike> lookalike(std::string_view text) {
  const auto lines = text::split_lines(text::strip_bom(text));
  std::vector<Evidence> markdown;  // Markdown constructs and prose, in order
  std::optional<Evidence> heading_first;  // "# Title" as the first line with text
  std::optional<int> template_line, go_template_line;
  std::size_t yaml_entries = 0;
  bool seen_text = false, in_fence = false;
  std::optional<std::size_t> block_indent;  // of the line opening a block scalar
  const std::size_t count = std::min(lines.size(), kMaxLines);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view line = lines[i];
    const int number = static_cast<int>(i) + 1;
    if (text::trim(line).empty()) continue;
    const std::size_t indent = indentation(line);
    const bool first_text = !seen_text;
    seen_text = true;
    if (in_fence) {
      if (indent == 0 && (line.starts_with("```") || line.starts_with("~~~"))) in_fence = false;
      continue;
    }
    if (block_indent) {
      if (indent > *block_indent) continue;
      block_indent.reset();
    }
    const std::string outside_code = without_code_spans(line);
    if (const auto action = unquoted_action(outside_code)) {
      if (!template_line) template_line = number;
      if (!go_template_line && is_go_action(*action)) go_template_line = number;
      continue;
    }
    if (line[indent] == '#') {
      if (first_text && indent == 0 && is_heading(line)) heading_first = Evidence{"a heading", number};
      continue;
    }
    if (is_mapping_entry(line)) {
      ++yaml_entries;
      if (opens_block_scalar(line)) block_indent = indent;
      continue;
    }
    if (opens_block_scalar(line)) {  // "- |"
      block_indent = indent;
      continue;
    }
    if (indent > 0) continue;  // a value's continuation, or a nested list: says nothing either way
    if (const auto construct = markdown_construct(line)) {
      markdown.push_back({*construct, number});
      if (*construct == "a code fence") in_fence = true;
      continue;
    }
    if (!line.starts_with("- ") && line != "-" && !line.starts_with("---") && word_count(line) >= 4)
      markdown.push_back({"prose", number});
  }

  if (go_template_line || template_line) {
    const int at = go_template_line.value_or(*template_line);
    return Lookalike{fmt::format("the file looks like {} (has `{{{{ ... }}}}` at line {}), not YAML; constable renders "
                                 "templates only inside a chart's templates/ directory, next to its Chart.yaml",
                                 go_template_line ? "a Go template" : "a template", at),
                     at};
  }
  // Markdown shows in at least two places, more than YAML does: a heading
  // comment and a sentence are not enough when the rest is mappings.
  const std::size_t shown = markdown.size() + (heading_first && !markdown.empty() ? 1 : 0);
  if (shown < 2 || markdown.size() < yaml_entries) return std::nullopt;
  std::vector<Evidence> kinds;
  if (heading_first) kinds.push_back(*heading_first);
  for (const auto& e : markdown)
    if (kinds.size() < 3 && std::none_of(kinds.begin(), kinds.end(), [&](const Evidence& k) { return k.what == e.what; }))
      kinds.push_back(e);
  std::string what = fmt::format("{} at line {}", kinds.front().what, kinds.front().line);
  for (std::size_t k = 1; k < kinds.size(); ++k) what += fmt::format("{}{}", k + 1 == kinds.size() ? " and " : ", ", kinds[k].what);
  return Lookalike{
      fmt::format("the file looks like Markdown, not YAML ({}); if it is documentation, give it a .md name", what),
      kinds.front().line};
}

}  // namespace constable::yaml

// Command lines, simple commands and words of shell scripts.

#include "formats/ci/shell.hpp"

#include <cctype>

#include "core/text.hpp"

namespace constable::ci {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }

// The delimiter of a here-document the line opens (`<<EOF`, `<<-'END'`), "" if none.
std::string heredoc_delimiter(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return {};
    if (c != '<' || line[i + 1] != '<') continue;
    std::size_t j = i + 2;
    if (j < line.size() && line[j] == '<') return {};  // a here-string
    if (j < line.size() && line[j] == '-') ++j;
    while (j < line.size() && line[j] == ' ') ++j;
    if (j < line.size() && (line[j] == '\'' || line[j] == '"')) ++j;
    const std::size_t start = j;
    while (j < line.size() && is_word_char(line[j])) ++j;
    if (j > start) return std::string(line.substr(start, j - start));
    return {};
  }
  return {};
}

}  // namespace

std::vector<ShellLine> shell_lines(std::string_view script, std::size_t max_lines) {
  std::vector<ShellLine> out;
  const std::vector<std::string_view> lines = text::split_lines(script);
  std::string heredoc;  // the delimiter that ends the here-document being skipped
  for (std::size_t i = 0; i < lines.size() && out.size() < max_lines; ++i) {
    std::string_view first = text::trim(lines[i]);
    if (!heredoc.empty()) {
      if (first == heredoc) heredoc.clear();
      continue;
    }
    if (first.empty() || first.starts_with('#')) continue;
    ShellLine line{std::string(first), static_cast<int>(i) + 1};
    while (!line.text.empty() && line.text.back() == '\\' && i + 1 < lines.size()) {
      line.text.pop_back();
      while (!line.text.empty() && (line.text.back() == ' ' || line.text.back() == '\t')) line.text.pop_back();
      line.text += ' ';
      line.text += text::trim(lines[++i]);
    }
    heredoc = heredoc_delimiter(line.text);
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> simple_commands(std::string_view line) {
  std::vector<std::string> out;
  std::string current;
  char quote = 0;
  int depth = 0;  // inside $( ... ) or ` ... `: not a separator of this line
  auto flush = [&] {
    const std::string_view trimmed = text::trim(current);
    if (!trimmed.empty()) out.emplace_back(trimmed);
    current.clear();
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"' && i + 1 < line.size()) {
        current += c;
        current += line[++i];
        continue;
      }
      if (c == quote) quote = 0;
      current += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      current += c;
      continue;
    }
    if (c == '$' && i + 1 < line.size() && line[i + 1] == '(') {
      ++depth;
      current += c;
      continue;
    }
    if (c == ')' && depth > 0) {
      --depth;
      current += c;
      continue;
    }
    if (c == '#' && depth == 0 && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;  // a comment
    if (c == '&' && ((i > 0 && (line[i - 1] == '>' || line[i - 1] == '<')) || (i + 1 < line.size() && line[i + 1] == '>'))) {
      current += c;  // a redirection (2>&1, &>file), not a separator
      continue;
    }
    if (depth == 0 && (c == ';' || c == '|' || c == '&')) {
      flush();
      while (i + 1 < line.size() && (line[i + 1] == '|' || line[i + 1] == '&')) ++i;
      continue;
    }
    current += c;
  }
  flush();
  return out;
}

std::vector<std::string> shell_words(std::string_view command) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < command.size()) {
        word += command[++i];
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

}  // namespace constable::ci

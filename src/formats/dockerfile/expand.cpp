// Shell-style variable expansion for Dockerfile words ($VAR, ${VAR},
// ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}).

#include <string>
#include <string_view>

#include "formats/dockerfile/dockerfile.hpp"

namespace constable::dockerfile {

namespace {

constexpr int kMaxDepth = 32;

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

// Offset of the '}' closing a "${" whose body starts at `from`, or npos.
std::size_t matching_brace(std::string_view s, std::size_t from, char escape) {
  int depth = 1;
  for (std::size_t i = from; i < s.size(); ++i) {
    const char c = s[i];
    if (c == escape) {
      ++i;
      continue;
    }
    if (c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (c == '}') {
      if (--depth == 0) return i;
    }
  }
  return std::string_view::npos;
}

std::string expand(std::string_view word, const std::map<std::string, std::string>& vars, char escape,
                   bool& unresolved, int depth) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (c == escape) {
      if (i + 1 < word.size()) out += word[++i];
      else out += c;
      continue;
    }
    if (c != '$' || i + 1 >= word.size()) {
      out += c;
      continue;
    }
    if (name_start(word[i + 1])) {
      std::size_t k = i + 1;
      while (k < word.size() && name_char(word[k])) ++k;
      const std::string name(word.substr(i + 1, k - i - 1));
      if (auto it = vars.find(name); it != vars.end()) out += it->second;
      else unresolved = true;
      i = k - 1;
      continue;
    }
    if (word[i + 1] != '{') {
      out += c;
      continue;
    }
    const std::size_t close = matching_brace(word, i + 2, escape);
    if (close == std::string_view::npos || depth >= kMaxDepth) {
      // Unterminated or absurdly nested: keep the text, it cannot be resolved.
      out.append(word.substr(i));
      unresolved = true;
      break;
    }
    const std::string_view body = word.substr(i + 2, close - i - 2);
    i = close;
    std::size_t k = 0;
    while (k < body.size() && name_char(body[k])) ++k;
    const std::string name(body.substr(0, k));
    const std::string_view op_and_word = body.substr(k);
    const auto it = name.empty() ? vars.end() : vars.find(name);
    const bool set = it != vars.end();
    const bool non_empty = set && !it->second.empty();
    if (name.empty()) {
      unresolved = true;
      continue;
    }
    if (op_and_word.empty()) {
      if (set) out += it->second;
      else unresolved = true;
      continue;
    }
    std::string_view op = op_and_word.substr(0, 1);
    std::string_view alt = op_and_word.substr(1);
    if (op == ":" && !alt.empty()) {
      op = op_and_word.substr(0, 2);
      alt = op_and_word.substr(2);
    }
    if (op == ":-") {
      out += non_empty ? it->second : expand(alt, vars, escape, unresolved, depth + 1);
    } else if (op == "-") {
      out += set ? it->second : expand(alt, vars, escape, unresolved, depth + 1);
    } else if (op == ":+") {
      if (non_empty) out += expand(alt, vars, escape, unresolved, depth + 1);
    } else if (op == "+") {
      if (set) out += expand(alt, vars, escape, unresolved, depth + 1);
    } else {
      // ${VAR:?msg}, ${VAR#pat}, ... : use the value when known.
      if (set) out += it->second;
      else unresolved = true;
    }
  }
  return out;
}

}  // namespace

std::string expand_variables(std::string_view word, const std::map<std::string, std::string>& vars, char escape,
                             bool* unresolved) {
  bool u = false;
  std::string out = expand(word, vars, escape, u, 0);
  if (unresolved) *unresolved = u;
  return out;
}

}  // namespace constable::dockerfile

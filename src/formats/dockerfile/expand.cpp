// Shell-style variable expansion for Dockerfile words ($VAR, ${VAR},
// ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}).

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "formats/dockerfile/dockerfile.hpp"
#include "formats/dockerfile/printable.hpp"

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

// One word's expansion: variables, quoting and the limits it is held to.
struct Expansion {
  const std::map<std::string, std::string>& vars;
  char escape;
  ExpansionBudget& budget;
  bool unresolved = false;
  bool stopped = false;  // a limit was reached: the word is left as written

  // Appends a variable's value to `out`, within the limits.
  void substitute(std::string& out, std::string_view value) {
    if (out.size() + value.size() > kMaxExpandedValueBytes) {
      ++budget.values_too_large;
      stopped = true;
    } else if (value.size() > budget.remaining) {
      ++budget.words_past_budget;
      stopped = true;
    } else {
      budget.remaining -= value.size();
      out += value;
    }
  }

  std::string expand(std::string_view word, int depth) {
    std::string out;
    out.reserve(word.size());
    for (std::size_t i = 0; i < word.size() && !stopped; ++i) {
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
        if (auto it = vars.find(name); it != vars.end()) substitute(out, it->second);
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
        if (set) substitute(out, it->second);
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
        if (non_empty) substitute(out, it->second);
        else append_nested(out, alt, depth);
      } else if (op == "-") {
        if (set) substitute(out, it->second);
        else append_nested(out, alt, depth);
      } else if (op == ":+") {
        if (non_empty) append_nested(out, alt, depth);
      } else if (op == "+") {
        if (set) append_nested(out, alt, depth);
      } else {
        // ${VAR:?msg}, ${VAR#pat}, ... : use the value when known.
        if (set) substitute(out, it->second);
        else unresolved = true;
      }
    }
    return out;
  }

  void append_nested(std::string& out, std::string_view alt, int depth) {
    const std::string nested = expand(alt, depth + 1);
    if (stopped) return;
    if (out.size() + nested.size() > kMaxExpandedValueBytes) {
      ++budget.values_too_large;
      stopped = true;
      return;
    }
    out += nested;
  }
};

}  // namespace

std::string expand_variables(std::string_view word, const std::map<std::string, std::string>& vars, char escape,
                             bool* unresolved, ExpansionBudget* budget) {
  ExpansionBudget one_word;
  Expansion expansion{vars, escape, budget != nullptr ? *budget : one_word};
  std::string out = expansion.expand(word, 0);
  if (expansion.stopped) out = std::string(word);
  if (unresolved) *unresolved = expansion.unresolved || expansion.stopped;
  return out;
}

void VariableScope::enter_stage(bool inherit_env) {
  if (!inherit_env) env_.clear();
  vars_ = env_;
}

void VariableScope::apply(const Instruction& instruction) {
  const bool is_arg = instruction.keyword == "ARG";
  const bool is_env = instruction.keyword == "ENV";
  if (!is_arg && !is_env) return;
  for (const KeyValue& kv : key_values(instruction)) {
    if (is_arg && !kv.has_value) {
      // `ARG NAME` re-declares a global ARG in the stage, or leaves it unset.
      if (const auto it = globals_->find(kv.key); it != globals_->end()) vars_[kv.key] = it->second;
      continue;
    }
    const ExpansionBudget before = budget_;
    bool unresolved = false;
    std::string value = expand(kv.value, &unresolved);
    const bool over_limit = budget_.overflows() != before.overflows();
    if (over_limit && !limit_error_) {
      const std::string what = fmt::format("{} '{}'", instruction.keyword, detail::printable(kv.key));
      limit_error_ = ParseError{
          budget_.values_too_large != before.values_too_large
              ? fmt::format("{} expands to more than {} bytes (variable expansion limit): its value is treated as "
                            "unknown",
                            what, kMaxExpandedValueBytes)
              : fmt::format("variable expansion copies more than {} bytes in this file (expansion limit) at {}: this "
                            "and later values are treated as unknown",
                            kMaxExpansionBytes, what),
          kv.line, kv.column};
    }
    // Past a limit the value is unknown, and so is every later value built
    // from an unknown one: references to them stay unresolved.
    if (over_limit || (unresolved && limit_error_)) {
      vars_.erase(kv.key);
      if (is_env) env_.erase(kv.key);
      continue;
    }
    if (is_env) env_[kv.key] = value;
    vars_[kv.key] = std::move(value);
  }
}

std::string VariableScope::expand(std::string_view word, bool* unresolved) const {
  return expand_variables(word, vars_, escape_, unresolved, &budget_);
}

}  // namespace constable::dockerfile

#pragma once
// A Dockerfile, parsed as BuildKit reads it: parser directives (`escape`,
// `syntax`), line continuations, comments, heredocs, exec (JSON) and shell
// forms, flags, ARG before FROM and named stages. Malformed input yields
// errors with locations; parsing never throws and never stops early.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constable::dockerfile {

struct Flag {
  std::string name;   // without dashes: "platform", "from", "chown", "mount"
  std::string value;  // "" for a flag without '='
  int line = 0;
  int column = 0;
};

struct Heredoc {
  std::string delimiter;  // "EOF"
  std::string content;    // the body, without the terminating delimiter line
  bool strip_tabs = false;  // <<-EOF
  bool quoted = false;      // <<"EOF" or <<'EOF': no expansion
  int line = 0;             // line of the first body line
};

struct Instruction {
  std::string keyword;    // upper-case: "FROM", "RUN", ...
  std::vector<Flag> flags;
  // Everything after the flags, continuation lines joined with the escape
  // and newline removed, comment lines inside the continuation dropped,
  // leading and trailing whitespace trimmed.
  std::string arguments;
  bool exec_form = false;               // arguments is a JSON array of strings
  std::vector<std::string> exec_args;   // its elements when exec_form
  std::vector<Heredoc> heredocs;
  int line = 0;         // first physical line (1-based)
  int end_line = 0;     // last physical line, heredoc bodies included
  int column = 0;       // column of the keyword (1-based, bytes)
  int args_column = 0;  // column on `line` where `arguments` start, 0 if they start later
  char escape = '\\';   // the file's escape character (needed to unquote arguments)

  // Where the pieces of `arguments` come from: each span says that
  // arguments[offset...] starts at physical (line, column); a span runs
  // until the next span's offset. Sorted by offset.
  struct Span {
    std::size_t offset = 0;
    int line = 0;
    int column = 0;
  };
  std::vector<Span> argument_spans;
  struct Position {
    int line = 0;
    int column = 0;
  };
  // Physical line and 1-based byte column of arguments[offset] ({line, 0} when unknown).
  Position position_of(std::size_t offset) const;
};

// ENV / ARG / LABEL entries, in both `k=v` and legacy `ENV k v` forms.
struct KeyValue {
  std::string key;
  std::string value;       // unquoted; "" when absent (ARG NAME)
  bool has_value = false;  // "ARG X" vs "ARG X="
  int line = 0;            // physical line that holds the key
  int column = 0;          // column of the key on that line
  int value_column = 0;    // column where the value starts (0 if none)
};
std::vector<KeyValue> key_values(const Instruction& instruction);

struct Stage {
  int index = 0;             // 0-based position among stages
  std::size_t from = 0;      // index of the FROM instruction in instructions
  std::size_t last = 0;      // index of the stage's last instruction
  std::string image;         // as written (variables unexpanded)
  std::string resolved_image;  // with global ARG defaults substituted
  bool unresolved = false;     // resolved_image still holds a variable
  std::string name;          // "AS name", lower-cased; "" if unnamed
  std::string platform;      // --platform value, "" if none
  // Index of the earlier stage this one builds FROM, if its image names one.
  std::optional<int> parent_stage;
};

struct ParseError {
  std::string message;
  int line = 0;
  int column = 0;
};

struct Directive {
  std::string name;  // lower-case: "escape", "syntax", "check"
  std::string value;
  int line = 0;
};

struct Dockerfile {
  char escape = '\\';
  std::vector<Directive> directives;
  std::vector<Instruction> instructions;
  std::vector<std::size_t> global_args;  // indices of ARG instructions before the first FROM
  std::vector<Stage> stages;
  std::vector<ParseError> errors;
  std::vector<std::string_view> lines;  // physical lines of the source (views into the caller's text)

  // `text` must outlive the result (lines are views into it). A BOM is skipped.
  static Dockerfile parse(std::string_view text);

  const Stage* final_stage() const { return stages.empty() ? nullptr : &stages.back(); }
  // Instructions of a stage, FROM included.
  std::vector<const Instruction*> stage_instructions(const Stage& stage) const;
  // Chain from the stage back through the stages it is built FROM: {stage, parent, ...}.
  std::vector<const Stage*> ancestry(const Stage& stage) const;
  // Global ARG defaults (name -> value) for expanding FROM lines, expanded
  // once by parse(). A value past the expansion limits is absent (unknown).
  const std::map<std::string, std::string>& global_arg_defaults() const { return global_defaults_; }

 private:
  std::map<std::string, std::string> global_defaults_;
};

// Limits on variable expansion: each `ARG B=$A$A` doubles a value, so a few
// hundred bytes of Dockerfile could otherwise expand to gigabytes.
inline constexpr std::size_t kMaxExpandedValueBytes = 64 * 1024;  // one expanded word
inline constexpr std::size_t kMaxExpansionBytes = 4 * 1024 * 1024;  // copied from variables, per budget

// What the expansions sharing a budget (one VariableScope: a file's
// variables) may still copy out of variables. A word that would go past a
// limit is left as written and unresolved, and counted here.
struct ExpansionBudget {
  std::size_t remaining = kMaxExpansionBytes;
  std::size_t values_too_large = 0;  // words stopped by kMaxExpandedValueBytes
  std::size_t words_past_budget = 0;  // words stopped because `remaining` ran out
  std::size_t overflows() const { return values_too_large + words_past_budget; }
};

// Shell-style expansion of $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:+alt} and ${VAR+alt}, with `escape` quoting the next character.
// Unknown variables expand to "" and set *unresolved when given. Without a
// budget, one word is still bounded by kMaxExpandedValueBytes.
std::string expand_variables(std::string_view word, const std::map<std::string, std::string>& vars,
                             char escape = '\\', bool* unresolved = nullptr, ExpansionBudget* budget = nullptr);

// Variables visible at each point of a stage chain, as a build sees them:
// global ARG defaults re-declared by ARG, stage ARG defaults and ENV values,
// in order. Every expansion of one scope shares one ExpansionBudget; a value
// past the limits is dropped (later references to it are unresolved) and the
// first such value is remembered as a located error.
class VariableScope {
 public:
  explicit VariableScope(const Dockerfile& file) : VariableScope(file.escape, file.global_arg_defaults()) {}
  // `globals` must outlive the scope.
  VariableScope(char escape, const std::map<std::string, std::string>& globals) : escape_(escape), globals_(&globals) {}

  // Applies an ARG or ENV instruction; other instructions are ignored.
  void apply(const Instruction& instruction);
  // Starts a new stage: ARGs are not inherited, ENV values are when
  // `inherit_env` (a stage built FROM an earlier one).
  void enter_stage(bool inherit_env);
  std::string expand(std::string_view word, bool* unresolved = nullptr) const;
  const std::map<std::string, std::string>& variables() const { return vars_; }
  // The first ARG or ENV value dropped for going past the expansion limits.
  const std::optional<ParseError>& limit_error() const { return limit_error_; }

 private:
  char escape_ = '\\';
  const std::map<std::string, std::string>* globals_;
  std::map<std::string, std::string> env_;
  std::map<std::string, std::string> vars_;
  // Charging the budget does not change the visible variables.
  mutable ExpansionBudget budget_;
  std::optional<ParseError> limit_error_;
};

}  // namespace constable::dockerfile

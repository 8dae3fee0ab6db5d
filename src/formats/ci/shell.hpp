#pragma once
// Just enough shell to read what a CI script runs: its command lines
// (`\` continuations joined, comments and here-document bodies left out),
// the simple commands of a line (split at `&&`, `||`, `;`, `|` and `&`
// outside quotes) and their words (quotes removed). No expansion.

#include <string>
#include <string_view>
#include <vector>

namespace constable::ci {

struct ShellLine {
  std::string text;  // trimmed, continuations joined
  int line = 0;      // 1-based, where it starts in the script
};

// At most `max_lines` logical lines (bounded input, bounded output).
std::vector<ShellLine> shell_lines(std::string_view script, std::size_t max_lines = 5000);

// "a && b | c; d" -> {"a", "b", "c", "d"}; empty commands are dropped.
std::vector<std::string> simple_commands(std::string_view line);

// The words of a simple command, quotes removed: `bash -c "make test"` ->
// {"bash", "-c", "make test"}.
std::vector<std::string> shell_words(std::string_view command);

}  // namespace constable::ci

#pragma once
// What is generated from the CLI11 definitions in main.cpp, so that help,
// shell completion and the man page can never disagree with the parser:
// every subcommand's footer (examples, exit codes), "did you mean" for a
// mistyped subcommand or option, and the model the completion scripts and
// the man page are written from.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace constable::cli {

// An option that takes one of `values`: help shows them (as its type name,
// "auto|always|never"), completion offers them, and any other value is a
// usage error naming them (exit 2).
CLI::Option* choices(CLI::Option* option, std::vector<std::string> values);

// "text, json or sarif" -> "text|json|sarif": a list said in words as the
// type name `choices` gives, for an option the app validates itself.
std::string alternatives(std::string_view said);

// Examples and exit codes under every subcommand's --help (and the top's).
void add_help_footers(CLI::App& cli);

// For arguments CLI11 rejected: "unknown command 'chek'; did you mean
// 'check'?" or "unknown option '--fial-on'; did you mean '--fail-on'?", or
// nullopt when no known name is close.
std::optional<std::string> parse_error_hint(const CLI::App& cli, const std::vector<std::string>& args);

struct OptionModel {
  std::vector<std::string> names;  // "--format", "-o"; empty for a positional
  std::string positional;          // a positional's name ("path")
  std::string description;
  std::string value_name;              // "FORMAT", "" for a flag
  std::vector<std::string> choices;    // the values it takes, when it names them (`choices`)
  bool takes_value = false;
  bool repeats = false;   // several values (a positional's)
  bool required = false;
};

struct CommandModel {
  std::vector<std::string> path;  // {"baseline", "write"}; empty for constable itself
  std::string description;
  std::string footer;
  std::vector<OptionModel> options;
  std::vector<OptionModel> positionals;
  std::vector<CommandModel> subcommands;

  std::string name() const;  // "constable baseline write"
};

CommandModel describe(const CLI::App& app);

// Values completion offers for an option (by its long name, "--select") or a
// positional (by its name, "id") that CLI11 cannot know: check ids.
using ValueHints = std::map<std::string, std::vector<std::string>, std::less<>>;

// "bash", "zsh" or "fish"; the supported shell names otherwise in the error.
inline constexpr std::string_view kShells[] = {"bash", "zsh", "fish"};
std::optional<std::string> completion_script(const CommandModel& model, std::string_view shell,
                                             const ValueHints& hints);

// constable(1) in roff (man(7) macros). Without a version or date, so that
// docs/constable.1 changes only when the options do.
std::string man_page(const CommandModel& model);

}  // namespace constable::cli

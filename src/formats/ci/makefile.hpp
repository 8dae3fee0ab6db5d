#pragma once
// The rules of a Makefile, as much as CI needs: which commands `make <target>`
// runs. Targets with their prerequisites and recipe lines (continuations
// joined, the `@`, `-` and `+` prefixes dropped), and the files it includes.
// Variables are not expanded; `define` blocks (templates for eval) are
// skipped; both branches of a conditional are kept, since either may run.

#include <string>
#include <string_view>
#include <vector>

namespace constable::ci {

struct MakeRecipeLine {
  std::string command;
  int line = 0;  // 1-based, of the line the command starts on
};

struct MakeTarget {
  std::string name;
  std::vector<std::string> prerequisites;  // normal and order-only, in order
  std::vector<MakeRecipeLine> recipe;
  int line = 0;  // of the rule
};

struct Makefile {
  std::vector<MakeTarget> targets;    // in file order; a target with several rules has several entries
  std::vector<std::string> includes;  // `include`, `-include`, `sinclude` operands without variables
  // The first target that is not special (".PHONY") or a pattern: what a bare `make` builds.
  std::string default_target;
};

// Never fails: lines it does not understand are skipped.
Makefile parse_makefile(std::string_view text);

}  // namespace constable::ci

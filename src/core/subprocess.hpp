#pragma once
// Runs another program, or constable itself, as a child process with a
// deadline and bounded output. For work that must not share the caller's
// address space: a library that leaks or may crash on hostile input (the
// audit's clones, git/mirror.hpp) costs only the child.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace constable::subprocess {

struct Options {
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};  // then the child is killed
  std::size_t max_output_bytes = 64 * 1024;                     // each of stdout and stderr; the rest is dropped
  // "NAME=value" entries added to the child's environment (after the
  // caller's, so they win): for what must not show in the process list,
  // as arguments do.
  std::vector<std::string> environment;
};

struct Outcome {
  int exit_code = -1;  // -1 when it did not exit by itself
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool timed_out = false;
  std::string out, err;
};

// Starts argv[0] (a path, not searched in PATH) with argv, stdin from
// /dev/null, and waits for it. Fails only when it cannot be started.
Result<Outcome> run(const std::vector<std::string>& argv, const Options& options = {});

// The path of the running executable (/proc/self/exe).
Result<std::string> self_executable();

}  // namespace constable::subprocess

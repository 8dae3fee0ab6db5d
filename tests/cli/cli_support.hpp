#pragma once
// Running the real `constable` binary from tests.

#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace constable::testing {

inline CommandResult constable(std::vector<std::string> args, const std::filesystem::path& cwd = {},
                               std::vector<std::string> env = {}) {
  args.insert(args.begin(), CONSTABLE_BINARY);
  env.push_back("CONSTABLE_TODAY=2026-11-22");
  env.push_back("NO_COLOR=1");
  return run_command(args, cwd, env);
}

inline std::filesystem::path demo_repo() { return source_dir() / "examples" / "demo-repo"; }

// Compares `actual` with tests/golden/<name>, or rewrites the golden file
// when CONSTABLE_UPDATE_GOLDEN=1.
void expect_golden(const std::string& name, const std::string& actual);

}  // namespace constable::testing

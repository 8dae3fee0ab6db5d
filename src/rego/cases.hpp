#pragma once
// Runs test cases written in OPA's YAML case format, so any suite in that
// format (ours in tests/rego/cases/, or one a team brings) checks this
// interpreter:
//
//   cases:
//   - note: group/name
//     modules: ["package test\np := 1"]
//     data: {...}            # optional
//     input: {...}           # optional
//     query: data.test.p = x
//     want_result: [{x: 1}]  # the bindings of each solution, in any order
//     want_error_code: eval_conflict_error   # or want_error: a substring
//     strict_error: true     # built-in errors are errors, not undefined

#include <string>
#include <vector>

#include "core/error.hpp"

namespace constable::rego {

struct CaseOutcome {
  std::string note;
  int line = 0;  // of the case in its file
  bool passed = false;
  std::string detail;  // why it failed
};

// The outcomes of every case in a file; an error when the file itself is unreadable or malformed.
Result<std::vector<CaseOutcome>> run_case_file(const std::string& path);
// Same, for YAML text (`name` is used in messages).
Result<std::vector<CaseOutcome>> run_cases(std::string_view yaml_text, const std::string& name);

}  // namespace constable::rego

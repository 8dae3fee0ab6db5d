#pragma once
// `opa test` for a directory: every rule named test_* in the loaded modules
// (policies and their *_test.rego files together) passes when its document
// is defined and not false. Tests mock with `with input as ...` and
// `with data.x as ...` themselves.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace constable::rego {

struct TestOutcome {
  std::string name;  // data.kafka.partitions_test.test_one_partition_is_denied
  std::string file;
  int line = 0;
  bool passed = false;
  std::string detail;  // why it failed: undefined, false, or the evaluation error
  std::vector<std::string> printed;  // print() output of the test
};

// Loads every .rego file under `directory`; an error when one does not parse
// or the modules do not compile.
Result<std::vector<TestOutcome>> run_tests(const std::filesystem::path& directory);

}  // namespace constable::rego

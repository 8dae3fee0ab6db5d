#pragma once
// `constable policy verify`: runs Gatekeeper's test suites (`gator verify`'s
// Suite files, test.gatekeeper.sh/v1alpha1) with constable's interpreter:
// each case loads the template, the constraint and the object (or an
// AdmissionReview), and asserts how many violations there are.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace constable::policy {

struct SuiteCase {
  std::string suite;     // the suite file
  std::string test;      // the test's name
  std::string name;      // the case's name
  std::string template_file;
  bool passed = false;
  bool skipped = false;
  std::string detail;  // why it failed
};

// Every Suite file under `paths` (files or directories), every case of it.
Result<std::vector<SuiteCase>> verify_suites(const std::vector<std::filesystem::path>& paths);

}  // namespace constable::policy

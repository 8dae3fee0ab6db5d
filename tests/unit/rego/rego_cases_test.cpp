// Every case file under tests/fixtures/rego/cases/ (OPA's YAML case format)
// runs through the interpreter; a failing case names its file, line and why.

#include <filesystem>

#include <gtest/gtest.h>

#include "rego/cases.hpp"

namespace constable::rego {
namespace {

std::vector<std::string> case_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CONSTABLE_FIXTURES_DIR) + "/rego/cases")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class RegoCases : public testing::TestWithParam<std::string> {};

TEST_P(RegoCases, EveryCasePasses) {
  auto outcomes = run_case_file(GetParam());
  ASSERT_TRUE(outcomes.has_value()) << outcomes.error().to_string();
  EXPECT_FALSE(outcomes->empty());
  for (const auto& outcome : *outcomes) {
    EXPECT_TRUE(outcome.passed) << GetParam() << ":" << outcome.line << ": " << outcome.note << ": " << outcome.detail;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, RegoCases, testing::ValuesIn(case_files()), [](const auto& param) {
  auto name = std::filesystem::path(param.param).stem().string();
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

TEST(RegoCaseRunner, ReportsAFailingCaseWithItsReason) {
  auto outcomes = run_cases(R"(cases:
- note: wrong
  modules: ["package test\np := 1"]
  query: data.test.p = x
  want_result: [{x: 2}]
- note: error-expected-but-none
  modules: ["package test\np := 1"]
  query: data.test.p = x
  want_error: conflict
)", "inline.yaml");
  ASSERT_TRUE(outcomes.has_value());
  ASSERT_EQ(outcomes->size(), 2U);
  EXPECT_FALSE((*outcomes)[0].passed);
  EXPECT_NE((*outcomes)[0].detail.find("want [{\"x\":2}], got [{\"x\":1}]"), std::string::npos) << (*outcomes)[0].detail;
  EXPECT_FALSE((*outcomes)[1].passed);
  EXPECT_EQ((*outcomes)[0].line, 2);
}

TEST(RegoCaseRunner, RefusesAFileWithoutCases) {
  auto outcomes = run_cases("other: 1\n", "bad.yaml");
  ASSERT_FALSE(outcomes.has_value());
  EXPECT_NE(outcomes.error().message.find("cases"), std::string::npos);
}

}  // namespace
}  // namespace constable::rego

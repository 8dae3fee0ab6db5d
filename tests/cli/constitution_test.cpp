// `constable constitution lint|diff|amend`, run as a user runs them.

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kClean =
    "# C\n\n## Principles\n\n### I. Tests\nCode MUST be tested.\n\n### II. Secrets\nSecrets MUST NOT be committed.\n\n"
    "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n";

TEST(ConstitutionLintCommand, ACleanConstitutionExitsZero) {
  TempDir dir;
  const auto file = dir.write("constitution.md", kClean);
  const auto r = constable({"constitution", "lint", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "constitution lint: 0 errors, 0 warnings, 0 notes in 2 clauses (version 1.0.0)\n");
}

TEST(ConstitutionLintCommand, FindsTheConstitutionCheckWouldUse) {
  TempDir dir;
  dir.write(".specify/memory/constitution.md",
            "# [PROJECT_NAME] Constitution\n\n## A\n- Code MUST be tested.\n\n"
            "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n");
  const auto r = constable({"constitution", "lint"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out,
            ".specify/memory/constitution.md:1:3: error: template token [PROJECT_NAME] is not filled in "
            "[constitution/placeholder]\n"
            "constitution lint: 1 error, 0 warnings, 0 notes in 1 clauses (version 1.0.0)\n");
}

TEST(ConstitutionLintCommand, NotesAloneDoNotFail) {
  TempDir dir;
  const auto file = dir.write("c.md",
                              "# C\n\n## A\n- Code MUST be tested.\n- Paths MAY use sampling.\n\n"
                              "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n");
  const auto r = constable({"constitution", "lint", file.string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["version"], "1.0.0");
  ASSERT_EQ(doc["findings"].size(), 1U);
  EXPECT_EQ(doc["findings"][0]["rule"], "constitution/unenforceable");
  EXPECT_EQ(doc["findings"][0]["level"], "note");
  EXPECT_EQ(doc["findings"][0]["line"], 5);
  EXPECT_EQ(doc["findings"][0]["clause"], "a/paths-may-use-sampling");
  EXPECT_EQ(doc["summary"]["notes"], 1);
}

TEST(ConstitutionLintCommand, UnreadableIsExitTwo) {
  TempDir dir;
  const auto file = dir.write("c.md", std::string("MUST\0binary", 11));
  const auto r = constable({"constitution", "lint", file.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("binary file"), std::string::npos) << r.err;
  const auto missing = constable({"constitution", "lint", (dir.path() / "absent.md").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read the constitution"), std::string::npos) << missing.err;
}

TEST(ConstitutionLintCommand, TheReferenceConstitution) {
  const auto reference = shared_file("reference-constitution.md");
  if (!reference) GTEST_SKIP() << "../shared/reference-constitution.md is absent";
  TempDir dir;
  const auto file = dir.write("constitution.md", read_file(*reference));
  const auto r = constable({"constitution", "lint", "constitution.md"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_golden("constitution/lint-reference.txt", r.out);
}

}  // namespace
}  // namespace constable::testing

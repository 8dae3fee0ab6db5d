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

namespace constable::testing {
namespace {

constexpr std::string_view kVersion1 =
    "# C\n\n## Kafka\n- Topics MUST have minimum 3 partitions for scalability\n\n"
    "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n";

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(ConstitutionDiffCommand, AnUnderBumpedChangeExitsOne) {
  TempDir dir;
  const auto old_file = dir.write("old.md", kVersion1);
  const auto new_file = dir.write("new.md", replaced(replaced(std::string(kVersion1), "minimum 3", "minimum 5"),
                                                     "**Version**: 1.0.0", "**Version**: 1.1.0"));
  const auto r = constable({"constitution", "diff", old_file.string(), new_file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("parameter changed line 4 [Kafka] \"Topics MUST have minimum 5 partitions for scalability\": "
                       "3 partitions → 5 partitions (tightened)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Required bump: MAJOR (a parameter tightened: 3 partitions → 5 partitions); made: MINOR "
                       "(1.0.0 → 1.1.0): not enough"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Version change: 1.0.0 → 2.0.0"), std::string::npos) << r.out;

  const auto json = constable({"constitution", "diff", old_file.string(), new_file.string(), "--format", "json"});
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["required"], "MAJOR");
  EXPECT_EQ(doc["made"], "MINOR");
  EXPECT_EQ(doc["enough"], false);
  EXPECT_EQ(doc["clauses"][0]["parameters"][0]["direction"], "tightened");

  const auto same = constable({"constitution", "diff", old_file.string(), old_file.string()});
  EXPECT_EQ(same.exit_code, 0) << same.out;
  EXPECT_NE(same.out.find("no clause or section changed"), std::string::npos) << same.out;
}

TEST(ConstitutionAmendCommand, AmendsAgainstTheCommittedVersion) {
  TempDir repo;
  repo.write(".specify/memory/constitution.md", kVersion1);
  git(repo, {"init", "-q"});
  git(repo, {"add", "."});
  git(repo, {"commit", "-q", "-m", "docs: constitution"});
  const auto file = repo.write(".specify/memory/constitution.md",
                               replaced(std::string(kVersion1), "for scalability\n",
                                        "for scalability\n- Retention MUST be configured\n"));
  const auto diff = constable({"constitution", "diff", "--rev", "HEAD"}, repo.path());
  EXPECT_EQ(diff.exit_code, 1) << diff.out << diff.err;
  // lint sees the edit too: a new clause and the same version.
  const auto lint = constable({"constitution", "lint"}, repo.path());
  EXPECT_EQ(lint.exit_code, 1);
  EXPECT_NE(lint.out.find(":7: warning: changed since HEAD:.specify/memory/constitution.md (MINOR required: a clause "
                          "added: \"Retention MUST be configured\") but the version is still 1.0.0;"),
            std::string::npos)
      << lint.out;
  const auto r = constable({"constitution", "amend", "--today", "2026-11-20"}, repo.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "amended .specify/memory/constitution.md: version 1.0.0 → 1.1.0 (MINOR required), Sync Impact "
                   "Report written\n");
  const std::string amended = read_file(file);
  EXPECT_TRUE(amended.starts_with("<!--\nSync Impact Report\nVersion change: 1.0.0 → 1.1.0\n")) << amended;
  EXPECT_NE(amended.find("- Kafka: added \"Retention MUST be configured\""), std::string::npos) << amended;
  EXPECT_TRUE(amended.ends_with("**Version**: 1.1.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-11-20\n"))
      << amended;
  // Now the bump is enough, and lint agrees with the report.
  EXPECT_EQ(constable({"constitution", "diff", "--rev", "HEAD"}, repo.path()).exit_code, 0);
  EXPECT_EQ(constable({"constitution", "lint"}, repo.path()).exit_code, 0);
  // Without a footer to raise, the new version must be named.
  const auto no_footer = repo.write("other.md", "# C\n\n## A\n- X MUST y\n");
  const auto refused_unknown =
      constable({"constitution", "amend", no_footer.string(), "--from", no_footer.string()}, repo.path());
  EXPECT_EQ(refused_unknown.exit_code, 2);
  EXPECT_NE(refused_unknown.err.find("give the new version with --to X.Y.Z"), std::string::npos) << refused_unknown.err;
  // A version not above the previous one is refused.
  const auto refused = constable({"constitution", "amend", "--to", "1.0.0"}, repo.path());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("not above"), std::string::npos) << refused.err;
}

TEST(ConstitutionDiffCommand, ImpactNamesTheRepositoriesThatWouldNewlyFail) {
  TempDir dir;
  const std::string base =
      "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n- Multi-stage builds MUST be used for optimization\n";
  const auto old_file = dir.write("old.md", base);
  const auto new_file = dir.write("new.md", base + "- Non-root user MUST be specified\n");
  dir.write("root/Dockerfile", "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\n");
  dir.write("empty/README.md", "# empty\n");
  const auto r = constable({"constitution", "diff", old_file.string(), new_file.string(), "--impact",
                            (dir.path() / "root").string(), (dir.path() / "empty").string(),
                            (dir.path() / "absent").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // no versions: no bump to judge
  EXPECT_NE(r.out.find("Fleet impact (3 repositories):\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("root: would newly fail: 1 new finding (docker/non-root-user 1), 0 resolved"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("empty: passes: 0 new findings, 0 resolved"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("absent: not checked:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 3 repositories would newly fail."), std::string::npos) << r.out;
  const auto json = constable({"constitution", "diff", old_file.string(), new_file.string(), "--format", "json",
                               "--impact", (dir.path() / "root").string()});
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["impact"][0]["newly_fails"], true);
  EXPECT_EQ(doc["impact"][0]["new_by_check"]["docker/non-root-user"], 1);
}

}  // namespace
}  // namespace constable::testing

// The ci checks on whole repositories, for what fixtures cannot express:
// the bounds of following make targets and scripts, the messages that say
// which workflow outside the pipeline does the missing work, and where a
// finding about the pipeline goes when no workflow runs on changes.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

struct Found {
  std::string path;
  int line = 0;
  std::string check;
  std::string message;
};

std::vector<Found> run_ci(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::vector<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id.starts_with("ci/")) out.push_back({f.path, f.range.line, f.check_id, f.message});
  return out;
}

std::vector<Found> of_check(const std::vector<Found>& found, std::string_view check) {
  std::vector<Found> out;
  for (const Found& f : found)
    if (f.check == check) out.push_back(f);
  return out;
}

constexpr std::string_view kPushAndPullRequest = "on: [push, pull_request]\n";

TEST(CiExpansion, MakeCyclesAndScriptsThatCallThemselvesEnd) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                             "jobs:\n  a:\n    steps:\n      - run: make verify\n"
                                             "      - run: ./scripts/loop.sh\n");
  repo.write("Makefile", "verify: check\n\t$(MAKE) verify\ncheck: verify\n\tgo test ./...\n");
  repo.write("scripts/loop.sh", "#!/bin/sh\n./scripts/loop.sh\nbash scripts/loop.sh\nmake check\n");
  const auto found = run_ci(repo);
  EXPECT_TRUE(of_check(found, "ci/tests-in-pipeline").empty());
}

TEST(CiExpansion, ScriptsAreFollowedAFewLevelsDeepOnly) {
  auto chain = [](int length) {
    TempDir repo;
    repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                               "jobs:\n  a:\n    steps:\n      - run: ./scripts/s1.sh\n");
    for (int i = 1; i < length; ++i)
      repo.write(fmt::format("scripts/s{}.sh", i), fmt::format("#!/bin/sh\n./scripts/s{}.sh\n", i + 1));
    repo.write(fmt::format("scripts/s{}.sh", length), "#!/bin/sh\npytest\n");
    return of_check(run_ci(repo), "ci/tests-in-pipeline").size();
  };
  EXPECT_EQ(chain(3), 0u);
  EXPECT_EQ(chain(12), 1u);
}

TEST(CiExpansion, LongScriptsAreReadUpToABound) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                             "jobs:\n  a:\n    steps:\n      - run: bash scripts/long.sh\n");
  std::string script = "#!/bin/bash\n";
  for (int i = 0; i < 20000; ++i) script += fmt::format("echo step {}\n", i);
  script += "pytest\n";
  repo.write("scripts/long.sh", script);
  EXPECT_EQ(of_check(run_ci(repo), "ci/tests-in-pipeline").size(), 1u);
}

TEST(CiExpansion, PathsOutsideTheRepositoryOrOnlyTheShellKnowsAreNotFollowed) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                             "jobs:\n  a:\n    steps:\n      - run: |\n"
                                             "          bash ../outside/checks.sh\n"
                                             "          bash /etc/profile\n"
                                             "          bash $SCRIPTS/checks.sh\n"
                                             "          cd \"$(mktemp -d)\" && make unit\n");
  repo.write("Makefile", "unit:\n\tpytest\n");  // reached only through the unknown directory
  const auto found = of_check(run_ci(repo), "ci/tests-in-pipeline");
  EXPECT_EQ(found.size(), 1u);
}

TEST(CiExpansion, MakeDirectoriesAndCommandLineVariables) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                             "jobs:\n"
                                             "  unit:\n    steps:\n      - run: make -C services/api unit\n"
                                             "  local-image:\n    steps:\n      - run: make image\n"
                                             "  release:\n    steps:\n      - run: make release\n");
  repo.write("services/api/Makefile", "unit:\n\tgo test ./...\n");
  repo.write("Makefile",
             "image:\n\t$(MAKE) IMG_PUSH=false build-image\n"
             "release:\n\t$(MAKE) IMG_PUSH=true build-image\n"
             "build-image:\n\tko build --push=$(IMG_PUSH) .\n");
  const auto found = run_ci(repo);
  EXPECT_TRUE(of_check(found, "ci/tests-in-pipeline").empty());
  const auto ungated = of_check(found, "ci/tests-block-deployment");
  ASSERT_EQ(ungated.size(), 1u);
  EXPECT_EQ(ungated[0].line, 9);  // the release job; `make image` pushes nothing
  EXPECT_NE(ungated[0].message.find("`ko build --push=true .` in make build-image"), std::string::npos)
      << ungated[0].message;
}

TEST(CiExpansion, ChartTestingRunsTheAdditionalCommandsOfItsConfiguration) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                             "jobs:\n  charts:\n    steps:\n"
                                             "      - run: ct lint --config .github/linters/ct.yaml\n");
  repo.write(".github/linters/ct.yaml",
             "additional-commands:\n  - sh -ec \"helm unittest --strict {{ .Path }}\"\nchart-dirs: [charts]\n");
  EXPECT_TRUE(of_check(run_ci(repo), "ci/tests-in-pipeline").empty());
  repo.write(".github/linters/ct.yaml", "chart-dirs: [charts]\n");
  EXPECT_EQ(of_check(run_ci(repo), "ci/tests-in-pipeline").size(), 1u);
}

TEST(CiExpansion, WorkOutsideThePipelineIsNamedAndTheFindingStaysOnIt) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", std::string(kPushAndPullRequest) +
                                             "jobs:\n  lint:\n    steps:\n      - run: ruff check .\n");
  repo.write(".github/workflows/nightly.yml",
             "on:\n  schedule: [{cron: '0 3 * * *'}]\njobs:\n"
             "  a: {steps: [{run: pytest}]}\n  b: {steps: [{run: pytest}]}\n  c: {steps: [{run: twine upload dist/*}]}\n");
  const auto found = run_ci(repo);
  const auto tests = of_check(found, "ci/tests-in-pipeline");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].path, ".github/workflows/ci.yml");
  EXPECT_EQ(tests[0].line, 2);
  EXPECT_NE(tests[0].message.find("only .github/workflows/nightly.yml (on schedule) does"), std::string::npos)
      << tests[0].message;
  bool publish_named = false;
  for (const Found& f : of_check(found, "ci/pipeline-stages")) {
    EXPECT_EQ(f.path, ".github/workflows/ci.yml");
    publish_named = publish_named || (f.message.find("'Publish Artifacts' on pull requests or pushes; only "
                                                     ".github/workflows/nightly.yml") != std::string::npos);
  }
  EXPECT_TRUE(publish_named);
}

TEST(CiExpansion, WithoutAWorkflowThatRunsOnChangesFindingsGoToTheTriggers) {
  TempDir repo;
  repo.write(".github/workflows/manual.yml", "name: manual\non: workflow_dispatch\njobs:\n  a: {steps: [{run: pytest}]}\n");
  const auto tests = of_check(run_ci(repo), "ci/tests-in-pipeline");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].path, ".github/workflows/manual.yml");
  EXPECT_EQ(tests[0].line, 2);
  EXPECT_NE(tests[0].message.find("no workflow runs on pull requests or pushes"), std::string::npos);
}

TEST(CiExpansion, AWorkflowThatFollowsThePipelineIsPartOfIt) {
  TempDir repo;
  repo.write(".github/workflows/ci.yml", "name: CI\non: pull_request\njobs:\n  lint: {steps: [{run: ruff check .}]}\n");
  repo.write(".github/workflows/after.yml",
             "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  t: {steps: [{run: pytest}]}\n");
  EXPECT_TRUE(of_check(run_ci(repo), "ci/tests-in-pipeline").empty());
}

}  // namespace
}  // namespace constable::testing

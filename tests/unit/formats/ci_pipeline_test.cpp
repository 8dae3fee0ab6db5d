// The CI pipeline model: GitHub Actions and GitLab CI parsing, ordering and durations.

#include <gtest/gtest.h>

#include "formats/ci/pipeline.hpp"

namespace constable::ci {
namespace {

TEST(GithubWorkflow, OnKeyThatYaml11ReadsAsTrueStillGivesTriggers) {
  const Workflow w = parse_github_workflow("ci.yml", "on:\n  push:\n  pull_request:\njobs:\n  a:\n    steps: [{run: x}]\n");
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.triggers, (std::vector<std::string>{"push", "pull_request"}));
  const Workflow re_serialised = parse_github_workflow("ci.yml", "true: [push]\njobs: {a: {steps: []}}\n");
  EXPECT_EQ(re_serialised.triggers, (std::vector<std::string>{"push"}));
  const Workflow quoted = parse_github_workflow("ci.yml", "'on': workflow_run\njobs: {a: {}}\n");
  EXPECT_EQ(quoted.triggers, (std::vector<std::string>{"workflow_run"}));
}

TEST(GithubWorkflow, JobsStepsNeedsTimeoutsMatrixAndPositions) {
  const Workflow w = parse_github_workflow("ci.yml",
                                           "on: push\n"
                                           "jobs:\n"
                                           "  test:\n"
                                           "    timeout-minutes: 10\n"
                                           "    strategy:\n"
                                           "      matrix: {python: ['3.11', '3.12']}\n"
                                           "    steps:\n"
                                           "      - uses: actions/setup-python@v5\n"
                                           "        with: {cache: pip}\n"
                                           "      - name: Test\n"
                                           "        run: pytest\n"
                                           "        continue-on-error: true\n"
                                           "  deploy:\n"
                                           "    needs: test\n"
                                           "    if: always()\n"
                                           "    environment: {name: production}\n"
                                           "    steps: [{run: helm upgrade app chart}]\n");
  ASSERT_TRUE(w.errors.empty());
  EXPECT_EQ(w.jobs_line, 2);
  ASSERT_EQ(w.jobs.size(), 2u);
  const Job& test = w.jobs[0];
  EXPECT_EQ(test.line, 3);
  EXPECT_EQ(test.timeout_minutes, 10);
  EXPECT_EQ(test.timeout_line, 4);
  EXPECT_TRUE(test.has_matrix);
  ASSERT_EQ(test.steps.size(), 2u);
  EXPECT_EQ(test.steps[0].uses, "actions/setup-python@v5");
  EXPECT_EQ(test.steps[0].input("cache"), "pip");
  EXPECT_EQ(test.steps[1].line, 10);
  EXPECT_EQ(test.steps[1].run, "pytest");
  EXPECT_TRUE(test.steps[1].continue_on_error);
  const Job& deploy = w.jobs[1];
  EXPECT_EQ(deploy.needs, (std::vector<std::string>{"test"}));
  EXPECT_EQ(deploy.environment, "production");
  EXPECT_EQ(deploy.condition, "always()");
  const auto after = w.runs_after();
  EXPECT_TRUE(after[1][0]);
  EXPECT_FALSE(after[0][1]);
}

TEST(GithubWorkflow, NeedsAreTransitiveAndCyclesEnd) {
  const Workflow w = parse_github_workflow(
      "ci.yml", "on: push\njobs:\n  a: {needs: c}\n  b: {needs: a}\n  c: {needs: b}\n  d: {needs: [b]}\n  e: {}\n");
  const auto after = w.runs_after();
  EXPECT_TRUE(after[3][0]);  // d after a through b
  EXPECT_TRUE(after[0][0]);  // the cycle a -> c -> b -> a is visible, not endless
  EXPECT_FALSE(after[4][0]);
}

TEST(GithubWorkflow, BrokenYamlAndWrongShapesAreErrorsWithPositions) {
  const Workflow broken = parse_github_workflow("ci.yml", "on: push\njobs:\n  a:\n    steps: [\n");
  ASSERT_FALSE(broken.errors.empty());
  EXPECT_GT(broken.errors.front().line, 0);
  EXPECT_FALSE(parse_github_workflow("ci.yml", "- a\n- b\n").errors.empty());
  EXPECT_FALSE(parse_github_workflow("ci.yml", "on: push\n").errors.empty());
  EXPECT_FALSE(parse_github_workflow("ci.yml", "").errors.empty());
  const Workflow bad_steps = parse_github_workflow("ci.yml", "on: push\njobs:\n  a:\n    steps: x\n");
  ASSERT_EQ(bad_steps.errors.size(), 1u);
  EXPECT_EQ(bad_steps.errors[0].line, 4);
}

TEST(GitlabCi, StagesJobsExtendsDefaultAndHiddenTemplates) {
  const Workflow w = parse_gitlab_ci(".gitlab-ci.yml",
                                     "stages: [lint, test, deploy]\n"
                                     "default:\n"
                                     "  cache: {paths: [.cache]}\n"
                                     "  timeout: 10m\n"
                                     ".py:\n"
                                     "  image: python:3.12\n"
                                     "  before_script: [pip install -r requirements.txt]\n"
                                     "  stage: test\n"
                                     "lint:\n"
                                     "  extends: .py\n"
                                     "  stage: lint\n"
                                     "  script: [ruff check .]\n"
                                     "unit:\n"
                                     "  extends: [.py]\n"
                                     "  timeout: 1h 30m\n"
                                     "  script:\n"
                                     "    - pytest\n"
                                     "    - [coverage report]\n"
                                     "ship:\n"
                                     "  stage: deploy\n"
                                     "  needs: [unit]\n"
                                     "  allow_failure: true\n"
                                     "  environment: production\n"
                                     "  script: docker push app\n"
                                     "loose:\n"
                                     "  script: echo default stage\n");
  ASSERT_TRUE(w.errors.empty());
  EXPECT_EQ(w.stages, (std::vector<std::string>{".pre", "lint", "test", "deploy", ".post"}));
  ASSERT_EQ(w.jobs.size(), 4u);  // .py is a template
  const Job& lint = w.jobs[0];
  EXPECT_EQ(lint.stage, "lint");
  ASSERT_EQ(lint.steps.size(), 2u);  // the template's before_script, then the script
  EXPECT_EQ(lint.steps[0].run, "pip install -r requirements.txt");
  EXPECT_EQ(lint.steps[1].line, 12);
  EXPECT_TRUE(lint.has_cache);
  EXPECT_EQ(lint.timeout_minutes, 10);
  const Job& unit = w.jobs[1];
  EXPECT_EQ(unit.stage, "test");  // from the template
  EXPECT_EQ(unit.timeout_minutes, 90);
  EXPECT_EQ(unit.steps.size(), 3u);
  const Job& ship = w.jobs[2];
  EXPECT_TRUE(ship.has_needs);
  EXPECT_TRUE(ship.allow_failure);
  EXPECT_EQ(ship.environment, "production");
  EXPECT_EQ(w.jobs[3].stage, "test");
  const auto after = w.runs_after();
  EXPECT_TRUE(after[1][0]);   // unit (test) after lint (lint) by stage order
  EXPECT_TRUE(after[2][1]);   // ship needs unit
  EXPECT_TRUE(after[2][0]);   // ... which waits for lint
  EXPECT_FALSE(after[0][1]);
  EXPECT_TRUE(after[3][0]);
}

TEST(GitlabCi, NeedsEmptyStartsAtOnceAndIncludesAreRecorded) {
  const Workflow w = parse_gitlab_ci(".gitlab-ci.yml",
                                     "include:\n"
                                     "  - template: Jobs/Container-Scanning.gitlab-ci.yml\n"
                                     "  - local: ci/extra.yml\n"
                                     "build: {stage: build, script: [make]}\n"
                                     "early: {stage: deploy, needs: [], script: [echo]}\n");
  ASSERT_EQ(w.includes.size(), 2u);
  EXPECT_EQ(w.includes[0].value, "Jobs/Container-Scanning.gitlab-ci.yml");
  const auto after = w.runs_after();
  EXPECT_FALSE(after[1][0]);
}

TEST(GitlabCi, ExtendsCyclesEndAndBadJobsAreErrors) {
  const Workflow w = parse_gitlab_ci(".gitlab-ci.yml", ".a: {extends: .b}\n.b: {extends: .a}\nj: {extends: .a}\nk: 3\n");
  ASSERT_EQ(w.jobs.size(), 1u);
  EXPECT_EQ(w.jobs[0].stage, "test");
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].line, 4);
  EXPECT_FALSE(parse_gitlab_ci(".gitlab-ci.yml", "a: [\n").errors.empty());
}

TEST(GitlabDuration, UnitsAndRejects) {
  EXPECT_EQ(parse_duration_minutes("1h 30m"), 90);
  EXPECT_EQ(parse_duration_minutes("2 hours"), 120);
  EXPECT_EQ(parse_duration_minutes("45 minutes"), 45);
  EXPECT_EQ(parse_duration_minutes("3600"), 60);
  EXPECT_EQ(parse_duration_minutes("1 hour and 15 minutes"), 75);
  EXPECT_EQ(parse_duration_minutes("1 day"), 1440);
  EXPECT_FALSE(parse_duration_minutes("soon"));
  EXPECT_FALSE(parse_duration_minutes(""));
  EXPECT_FALSE(parse_duration_minutes("10 parsecs"));
  EXPECT_FALSE(parse_duration_minutes("1e999999 m").has_value() && *parse_duration_minutes("1e999999 m") < 0);
}

}  // namespace
}  // namespace constable::ci

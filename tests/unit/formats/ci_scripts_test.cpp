// What CI steps call: Makefile rules, shell command lines and words, composite
// actions, and the workflow facts that decide what "the pipeline" is.

#include <gtest/gtest.h>

#include "formats/ci/makefile.hpp"
#include "formats/ci/pipeline.hpp"
#include "formats/ci/shell.hpp"

namespace constable::ci {
namespace {

const MakeTarget* target(const Makefile& makefile, std::string_view name) {
  for (const MakeTarget& t : makefile.targets)
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<std::string> recipe(const Makefile& makefile, std::string_view name) {
  std::vector<std::string> out;
  if (const MakeTarget* t = target(makefile, name))
    for (const MakeRecipeLine& line : t->recipe) out.push_back(line.command);
  return out;
}

TEST(Makefile, TargetsPrerequisitesRecipesAndContinuations) {
  const Makefile m = parse_makefile(
      "VERSION := $(shell git describe)\n"  // 1: an assignment with a colon is no rule
      "IMAGE ?= app:latest\n"
      ".PHONY: test lint\n"
      "\n"
      "test: tidy \\\n"  // 5
      "  vet | order-only\n"
      "\t@go test -race \\\n"  // 7
      "\t  ./...\n"
      "\t# a comment in a recipe\n"
      "\n"
      "\t-go tool cover\n"  // 11: blank lines do not end a rule
      "vet fmt:\n"
      "\tgo $@ ./...\n"
      "build: ; go build ./cmd/app\n"
      "image: IMAGE = other:1\n"  // a target-specific variable
      "all:: build\n");
  EXPECT_EQ(m.default_target, "test");
  const MakeTarget* test = target(m, "test");
  ASSERT_NE(test, nullptr);
  EXPECT_EQ(test->line, 5);
  EXPECT_EQ(test->prerequisites, (std::vector<std::string>{"tidy", "vet", "order-only"}));
  ASSERT_EQ(test->recipe.size(), 2u);
  EXPECT_EQ(test->recipe[0].command, "go test -race ./...");
  EXPECT_EQ(test->recipe[0].line, 7);
  EXPECT_EQ(test->recipe[1].command, "go tool cover");
  EXPECT_EQ(recipe(m, "vet"), (std::vector<std::string>{"go $@ ./..."}));
  EXPECT_EQ(recipe(m, "fmt"), (std::vector<std::string>{"go $@ ./..."}));
  EXPECT_EQ(recipe(m, "build"), (std::vector<std::string>{"go build ./cmd/app"}));
  EXPECT_EQ(target(m, "VERSION"), nullptr);
  EXPECT_EQ(target(m, "IMAGE"), nullptr);
  EXPECT_EQ(target(m, "image"), nullptr);
  ASSERT_NE(target(m, "all"), nullptr);
  EXPECT_EQ(target(m, "all")->prerequisites, (std::vector<std::string>{"build"}));
}

TEST(Makefile, ConditionalsKeepBothBranchesDefinesAreSkippedIncludesListed) {
  const Makefile m = parse_makefile(
      "include common.mk $(EXTRA).mk\n"
      "-include local.mk\n"
      "define template\n"
      "build-$(1):\n"
      "\tdocker build $(1)\n"
      "endef\n"
      "push:\n"
      "ifeq ($(ARCH),amd64)\n"
      "\tdocker push app:amd64\n"
      "else\n"
      "\tdocker buildx build --push .\n"
      "endif\n"
      "X = 1\n"
      "\tnot a recipe: the rule ended\n");
  EXPECT_EQ(m.includes, (std::vector<std::string>{"common.mk", "local.mk"}));
  EXPECT_EQ(m.default_target, "push");
  EXPECT_EQ(recipe(m, "push"), (std::vector<std::string>{"docker push app:amd64", "docker buildx build --push ."}));
  for (const MakeTarget& t : m.targets) EXPECT_EQ(t.name.find('$'), std::string::npos) << t.name;
}

TEST(Makefile, EmptyAndBrokenInputGiveNoTargets) {
  EXPECT_TRUE(parse_makefile("").targets.empty());
  EXPECT_TRUE(parse_makefile("\t\t\n::\n=\n\\").targets.empty());
  const Makefile unterminated = parse_makefile("define x\nbuild:\n\tmake\n");
  EXPECT_TRUE(unterminated.targets.empty());
}

TEST(Shell, LinesJoinContinuationsAndSkipCommentsAndHereDocuments) {
  const auto lines = shell_lines(
      "#!/bin/sh\n"
      "set -e\n"
      "gh release create v1 \\\n"
      "   --draft \\\n"
      "   --notes x\n"
      "cat <<'EOF' > notes.md\n"
      "pytest is only text here\n"
      "EOF\n"
      "  # indented comment\n"
      "make test\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "set -e");
  EXPECT_EQ(lines[1].text, "gh release create v1 --draft --notes x");
  EXPECT_EQ(lines[1].line, 3);
  EXPECT_EQ(lines[2].text, "cat <<'EOF' > notes.md");
  EXPECT_EQ(lines[3].text, "make test");
  EXPECT_EQ(lines[3].line, 10);
  EXPECT_EQ(shell_lines("a\nb\nc\n", 2).size(), 2u);
}

TEST(Shell, SimpleCommandsSplitOutsideQuotesAndSubstitutions) {
  EXPECT_EQ(simple_commands("cd web && npm ci; npm test || exit 1 | tee log &"),
            (std::vector<std::string>{"cd web", "npm ci", "npm test", "exit 1", "tee log"}));
  EXPECT_EQ(simple_commands("echo 'a && b' \"c; d\""), (std::vector<std::string>{"echo 'a && b' \"c; d\""}));
  EXPECT_EQ(simple_commands("V=$(git describe; true) make push 2>&1"),
            (std::vector<std::string>{"V=$(git describe; true) make push 2>&1"}));
  EXPECT_EQ(simple_commands("make test # && make deploy"), (std::vector<std::string>{"make test"}));
  EXPECT_TRUE(simple_commands("  ;; && ").empty());
}

TEST(Shell, WordsDropQuotes) {
  EXPECT_EQ(shell_words("bash -c \"make test\" 'a b' c\\ d"),
            (std::vector<std::string>{"bash", "-c", "make test", "a b", "c d"}));
  EXPECT_EQ(shell_words("  "), std::vector<std::string>{});
  EXPECT_EQ(shell_words("echo \"unterminated"), (std::vector<std::string>{"echo", "unterminated"}));
}

TEST(GithubAction, CompositeStepsAndOtherKinds) {
  const Action composite = parse_github_action(
      ".github/actions/setup/action.yml",
      yaml::parse("name: setup\nruns:\n  using: composite\n  steps:\n"
                  "    - uses: actions/setup-node@v4\n      with: {cache: npm}\n"
                  "    - run: npm ci\n      shell: bash\n      working-directory: web\n"));
  EXPECT_TRUE(composite.composite);
  ASSERT_EQ(composite.steps.size(), 2u);
  EXPECT_EQ(composite.steps[0].input("cache"), "npm");
  EXPECT_EQ(composite.steps[1].run, "npm ci");
  EXPECT_EQ(composite.steps[1].working_directory, "web");
  const Action node = parse_github_action("action.yml", yaml::parse("runs:\n  using: node20\n  main: index.js\n"));
  EXPECT_FALSE(node.composite);
  EXPECT_TRUE(node.steps.empty());
  EXPECT_TRUE(parse_github_action("action.yml", yaml::parse("[")).steps.empty());
}

TEST(GithubWorkflow, WorkingDirectoriesTriggersAndWhatRunsOnChange) {
  const Workflow w = parse_github_workflow("ci.yml",
                                           "defaults:\n  run:\n    working-directory: app\n"
                                           "on:\n  pull_request:\n  workflow_run:\n    workflows: [Build]\n"
                                           "jobs:\n"
                                           "  a:\n    steps: [{run: x}, {run: y, working-directory: other}]\n"
                                           "  b:\n    defaults: {run: {working-directory: b}}\n    steps: [{run: z}]\n");
  EXPECT_EQ(w.triggers_line, 4);
  EXPECT_EQ(w.follows, (std::vector<std::string>{"Build"}));
  ASSERT_EQ(w.jobs.size(), 2u);
  EXPECT_EQ(w.jobs[0].steps[0].working_directory, "app");
  EXPECT_EQ(w.jobs[0].steps[1].working_directory, "other");
  EXPECT_EQ(w.jobs[1].steps[0].working_directory, "b");
  EXPECT_TRUE(w.runs_on_change());
  EXPECT_TRUE(w.runs_on_pull_request());
  EXPECT_FALSE(w.only_called());

  const Workflow nightly = parse_github_workflow("n.yml", "on:\n  schedule: [{cron: '0 3 * * *'}]\n  workflow_dispatch:\njobs: {}\n");
  EXPECT_FALSE(nightly.runs_on_change());
  const Workflow tags = parse_github_workflow("r.yml", "on:\n  push:\n    tags: ['v*']\njobs: {}\n");
  EXPECT_TRUE(tags.runs_on_change());
  EXPECT_FALSE(tags.runs_on_pull_request());
  const Workflow reusable = parse_github_workflow("u.yml", "on: workflow_call\njobs: {}\n");
  EXPECT_TRUE(reusable.only_called());
  EXPECT_FALSE(reusable.runs_on_change());
  EXPECT_TRUE(parse_gitlab_ci(".gitlab-ci.yml", "test:\n  script: [make]\n").runs_on_change());
}

}  // namespace
}  // namespace constable::ci

#pragma once
// One model for CI pipelines, whatever wrote them: GitHub Actions workflows
// (.github/workflows/*.yml) and GitLab CI (.gitlab-ci.yml). Jobs, what they
// run (steps), what they wait for (`needs`, GitLab stages), their time
// limits, caches and matrices, all with source positions, so that checks can
// reason about the pipeline's order without knowing the provider.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/yaml/yaml.hpp"

namespace constable::ci {

enum class Provider : std::uint8_t { github_actions, gitlab_ci };

struct ParseError {
  std::string message{};
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

// One thing a job does: a GitHub step (`run` or `uses` with `with` inputs),
// or one line of a GitLab script (`before_script`, `script`, `after_script`).
struct Step {
  std::string name{};  // GitHub `name`, "" otherwise
  std::string run{};   // shell command(s), "" for an action
  std::string uses{};  // "actions/cache@v4", "" for a command
  std::vector<std::pair<std::string, std::string>> with{};  // action inputs (scalars only)
  bool continue_on_error = false;  // a failure does not fail the job
  // Where `run` starts: GitHub `working-directory`, else the job's or the
  // workflow's `defaults.run.working-directory`; "" for the repository root.
  std::string working_directory{};
  int line = 0;
  int column = 0;
  // What the step runs indirectly, filled by whoever can read the repository
  // (checks/ci): the steps of a local composite action and the commands of
  // the make targets, repository scripts and package.json scripts it calls,
  // flattened. Each keeps the calling step's line.
  std::vector<Step> expansion{};
  // For a step of an expansion: the make target, script or package script
  // it came from ("make test", "scripts/e2e.sh", "npm run deploy"), "" otherwise.
  std::string invoked{};

  // The value of the action input `key`, "" when absent.
  std::string_view input(std::string_view key) const;
};

struct Workflow;

struct Job {
  std::string id{};    // the key under `jobs:` (GitHub) or the job's top-level key (GitLab)
  std::string name{};  // GitHub `name`, else the id
  std::string stage{};  // GitLab stage ("test" by default), "" on GitHub
  int line = 0;       // of the job's key
  int column = 0;
  std::vector<std::string> needs{};
  bool has_needs = false;  // `needs:` present (GitLab: even `needs: []` overrides stage order)
  int needs_line = 0;
  std::vector<Step> steps{};
  std::optional<double> timeout_minutes{};
  int timeout_line = 0;
  bool has_matrix = false;
  bool has_cache = false;     // GitLab `cache:` (own, inherited from `default:` or a template)
  std::string environment{};   // deployment environment name, "" if none
  std::string condition{};     // GitHub `if:`, "" if none
  bool allow_failure = false;  // GitLab `allow_failure`, GitHub job `continue-on-error`
  std::string uses{};           // GitHub reusable workflow called by the job, "" if none
  // The local reusable workflow `uses` names (./.github/workflows/x.yml),
  // resolved by whoever can read the repository (checks/ci); null otherwise.
  std::shared_ptr<const Workflow> called{};
};

// An `include:` of a GitLab template or file ("Security/Container-Scanning.gitlab-ci.yml").
struct Include {
  std::string value{};
  int line = 0;
};

struct Workflow {
  Provider provider = Provider::github_actions;
  std::string path{};
  std::string name{};
  std::vector<std::string> triggers{};  // GitHub `on:` events ("push", "workflow_run", ...)
  int triggers_line = 0;                // GitHub: the `on:` key
  std::vector<std::string> follows{};   // GitHub `workflow_run: workflows:` (names of the workflows it follows)
  std::vector<std::string> stages{};    // GitLab stage order (its default when `stages:` is absent)
  std::vector<Include> includes{};
  int jobs_line = 0;  // GitHub: the `jobs:` key; GitLab: the first job (or 1)
  std::vector<Job> jobs{};
  std::vector<ParseError> errors{};  // a non-empty list means the model may be incomplete

  const Job* job(std::string_view id) const;
  // Runs for every change: GitHub `push`, `pull_request`, `pull_request_target`
  // or `merge_group`; a GitLab pipeline always.
  bool runs_on_change() const;
  // Runs for pull requests (GitHub `pull_request`, `pull_request_target`,
  // `merge_group`; a GitLab pipeline always).
  bool runs_on_pull_request() const;
  // A GitHub workflow that only other workflows start (`workflow_call` alone).
  bool only_called() const;
  // For each job (by index), the indices of every job that must finish before
  // it starts: `needs` transitively; on GitLab, without `needs`, every job of
  // an earlier stage.
  std::vector<std::vector<bool>> runs_after() const;
};

// A GitHub action's metadata (action.yml): the steps of a composite action
// (`runs.using: composite`), none for JavaScript and Docker actions.
struct Action {
  std::string path{};
  bool composite = false;
  std::vector<Step> steps{};
  std::vector<ParseError> errors{};
};
Action parse_github_action(std::string path, const yaml::Stream& stream);

// Parses a GitHub Actions workflow. Never throws; syntax errors and shapes
// that are not a workflow are reported in `errors` with positions.
Workflow parse_github_workflow(std::string path, std::string_view text);
Workflow parse_github_workflow(std::string path, const yaml::Stream& stream);
// Parses a .gitlab-ci.yml: stages, jobs (hidden `.templates` resolved through
// `extends`), `default:` and global keywords.
Workflow parse_gitlab_ci(std::string path, std::string_view text);
Workflow parse_gitlab_ci(std::string path, const yaml::Stream& stream);

// "1h 30m", "90 minutes", "2 hours", "45m", "3600s", "1 day" -> minutes;
// nullopt when not a GitLab duration.
std::optional<double> parse_duration_minutes(std::string_view text);

}  // namespace constable::ci

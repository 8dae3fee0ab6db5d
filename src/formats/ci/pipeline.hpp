#pragma once
// One model for CI pipelines, whatever wrote them: GitHub Actions workflows
// (.github/workflows/*.yml) and GitLab CI (.gitlab-ci.yml). Jobs, what they
// run (steps), what they wait for (`needs`, GitLab stages), their time
// limits, caches and matrices, all with source positions, so that checks can
// reason about the pipeline's order without knowing the provider.

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
  int line = 0;
  int column = 0;

  // The value of the action input `key`, "" when absent.
  std::string_view input(std::string_view key) const;
};

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
  std::vector<std::string> stages{};    // GitLab stage order (its default when `stages:` is absent)
  std::vector<Include> includes{};
  int jobs_line = 0;  // GitHub: the `jobs:` key; GitLab: the first job (or 1)
  std::vector<Job> jobs{};
  std::vector<ParseError> errors{};  // a non-empty list means the model may be incomplete

  const Job* job(std::string_view id) const;
  // For each job (by index), the indices of every job that must finish before
  // it starts: `needs` transitively; on GitLab, without `needs`, every job of
  // an earlier stage.
  std::vector<std::vector<bool>> runs_after() const;
};

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

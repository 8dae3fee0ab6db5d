#pragma once
// What the CI checks share: the repository's pipeline (every GitHub Actions
// workflow and .gitlab-ci.yml, parsed into formats/ci's model, with what the
// steps call inside the repository followed: local actions, reusable
// workflows, make targets, scripts and package.json scripts) and the one
// table that recognises what a step does from the tools it runs.

#include <array>
#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "core/error.hpp"
#include "engine/check.hpp"
#include "formats/ci/pipeline.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::ci {

// What a step does, recognised from its tools (kRecognition in ci_support.cpp).
enum class Activity : std::uint8_t {
  lint,               // ruff, black, flake8, eslint, prettier, golangci-lint, clang-format, ...
  dependency_scan,    // pip-audit, safety, npm audit, snyk test, trivy fs, osv-scanner, govulncheck, ...
  unit_tests,         // pytest, jest, vitest, go test, ctest, cargo test, make test, ...
  build,              // npm run build, go build, cmake --build, python -m build, mvn package, ...
  integration_tests,  // a test command with an integration marker (name, path, -m/-tags integration)
  contract_tests,     // pact, pact-broker, can-i-deploy, spring-cloud-contract, specmatic, schemathesis
  image_build,        // docker build, buildx, kaniko, buildah, podman build, build-push-action
  image_scan,         // trivy image, grype, docker scout cves, snyk container, anchore, trivy-action
  publish,            // docker push, npm publish, twine upload, helm push, gh release, goreleaser, ...
  deploy,             // kubectl apply, helm upgrade, terraform apply, <tool> deploy, ...
  local_cluster,      // a throwaway Kubernetes cluster (kind, minikube, k3d): what a job deploys there ships nowhere
};
inline constexpr std::size_t kActivityCount = 11;
using Activities = std::bitset<kActivityCount>;
inline std::size_t bit(Activity a) { return static_cast<std::size_t>(a); }
std::string_view to_string(Activity activity);

// What one step does, with what it calls (its expansion); `job` gives the
// context that tells integration and contract tests from unit tests (a job
// named integration-tests running pytest).
Activities classify(const constable::ci::Step& step, const constable::ci::Job& job);
// The union over the job's steps and the jobs of the reusable workflow it
// calls. A job with an environment deploys when a step or the job says so
// by name; a job that starts a throwaway cluster neither deploys nor publishes.
Activities classify(const constable::ci::Job& job);
// Whether the table recognises anything in the step itself (its expansion aside).
bool recognised(const constable::ci::Step& step);
// The action or command line of the step, or of what it calls, that does
// `activity`, for messages: "docker/build-push-action", "`docker build -t app .`
// in test/e2e.sh"; "" if none.
std::string evidence(const constable::ci::Step& step, Activity activity);
// What makes a job publish or deploy, for messages: "publishes (`twine upload dist/*`)",
// "deploys (`kubectl apply -f k8s` in scripts/deploy.sh)", "deploys (environment 'production')".
std::string shipping_evidence(const constable::ci::Job& job);
// What a GitLab `include:` template adds (Dependency-Scanning, Container-Scanning).
Activities classify_include(std::string_view include);

// The repository's CI: every workflow, parsed and expanded, in path order.
// The pipeline proper is the part every change goes through: the workflows
// that run on pull requests and pushes (GitLab: its pipeline) and those
// that follow them (`workflow_run`); reusable workflows count through the
// jobs that call them.
struct Pipeline {
  std::vector<constable::ci::Workflow> workflows;
  std::vector<bool> in_pipeline{};  // per workflow
  std::string dependabot_path{};  // ".github/dependabot.yml" when Dependabot is configured
  bool empty() const { return workflows.empty(); }
  // The workflows of the pipeline proper.
  std::vector<const constable::ci::Workflow*> change_pipeline() const;
  // The workflows outside it (schedule, workflow_dispatch, release, ...; reusable ones excluded).
  std::vector<const constable::ci::Workflow*> elsewhere() const;
  // Where a finding about something missing from the pipeline goes: the
  // pipeline workflow that runs on pull requests and does the most (its
  // `jobs:` line); without one, the workflow with the most jobs (its `on:`
  // line); the conventional directory when there is no workflow at all.
  std::string anchor_path() const;
  int anchor_line() const;

 private:
  const constable::ci::Workflow* anchor() const;
};

// Reading commands: the index of the word that names the command after
// `VAR=value`, `sudo`, `env`, `uv run`, `npx` and the like; whether a word
// runs make (`make`, `$(MAKE)`).
std::size_t skip_command_prefixes(const std::vector<std::string>& words);
bool is_make_command(std::string_view word);

// What a package manager command (`npm test`, `npm run lint --prefix web`,
// `pnpm --filter api build`, `yarn build`; words[0] is the tool) runs: the
// package.json script ("" for the tool's own commands: install, ci, `bun
// test`), with its directory options (--prefix, -C, --cwd, --dir) and
// workspace filter (--filter, -w), in order.
struct PackageCommand {
  std::string script;
  std::vector<std::string> directories;
  std::string filter;
};
PackageCommand package_command(const std::vector<std::string>& words);

bool is_workflow_path(std::string_view path);
// Every workflow of the repository, from the run's shared parse of each file,
// with what its steps and jobs call inside the repository (checks/ci/expansion.hpp).
// Loaded once per run and shared by every check that asks (engine::derived):
// eighteen checks read the pipeline.
const Pipeline& load_pipeline(const engine::RepositoryContext& repo);
// "a.yml, b.yml (on schedule)": the workflows, for messages.
std::string describe(const std::vector<const constable::ci::Workflow*>& workflows);

// The file's text (BOM stripped), read once per run and shared with every
// other check (RepositoryContext::text); "" when unreadable.
std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file);

// Emits a finding at `path`:`line` (breaking `clause`, null for the bound one).
inline void emit_at(engine::Emitter& out, std::string path, int line, std::string message,
                    const constitution::Clause* clause = nullptr) {
  out.report_at(std::move(path), line, std::move(message), clause);
}

}  // namespace constable::checks::ci

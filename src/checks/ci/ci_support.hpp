#pragma once
// What the CI checks share: the repository's pipeline (every GitHub Actions
// workflow and .gitlab-ci.yml, parsed into formats/ci's model) and the one
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
  deploy,             // kubectl apply, helm upgrade, terraform apply, a job with an environment
};
inline constexpr std::size_t kActivityCount = 10;
using Activities = std::bitset<kActivityCount>;
inline std::size_t bit(Activity a) { return static_cast<std::size_t>(a); }
std::string_view to_string(Activity activity);

// What one step does; `job` gives the context that tells integration and
// contract tests from unit tests (a job named integration-tests running pytest).
Activities classify(const constable::ci::Step& step, const constable::ci::Job& job);
// The union over the job's steps (and the reusable workflow it calls).
Activities classify(const constable::ci::Job& job);
// What a GitLab `include:` template adds (Dependency-Scanning, Container-Scanning).
Activities classify_include(std::string_view include);

// The repository's pipeline: every workflow, parsed, in path order.
struct Pipeline {
  std::vector<constable::ci::Workflow> workflows;
  std::string dependabot_path{};  // ".github/dependabot.yml" when Dependabot is configured
  bool empty() const { return workflows.empty(); }
  // Where a finding about something missing from the pipeline goes: the
  // workflow with the most jobs (its `jobs:` line), or the conventional
  // directory when there is no pipeline at all.
  std::string anchor_path() const;
  int anchor_line() const;
};

bool is_workflow_path(std::string_view path);
// Every workflow of the repository, from the run's shared parse of each file.
Pipeline load_pipeline(const engine::RepositoryContext& repo);

// The file's text (BOM stripped), read once per run and shared with every
// other check (RepositoryContext::text); "" when unreadable.
std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file);

// Emits a finding at `path`:`line` (breaking `clause`, null for the bound one).
inline void emit_at(engine::Emitter& out, std::string path, int line, std::string message,
                    const constitution::Clause* clause = nullptr) {
  out.report_at(std::move(path), line, std::move(message), clause);
}

}  // namespace constable::checks::ci

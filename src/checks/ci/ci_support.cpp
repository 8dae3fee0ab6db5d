#include "checks/ci/ci_support.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <memory>

#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::ci {

namespace {

// The recognition table: one row per tool family. `run` matches the
// lower-cased shell command of a step (a GitLab script line), `uses` the
// lower-cased action name without its @ref. Documented in
// ci/pipeline-stages' rationale; keep both in step.
struct Recognition {
  Activity activity;
  std::string_view run;
  std::string_view uses;
};

constexpr std::string_view kTestRunners =
    R"(\b(pytest|py\.test|python3? -m (pytest|unittest)|jest|vitest|mocha|ava|go test|gotestsum|ctest|cargo (test|nextest)|)"
    R"((npm|yarn|pnpm|bun) (run )?test|make (test|check)|tox|nox|phpunit|rspec|dotnet test|mvn( -[^ ]+)* (test|verify)|)"
    R"(gradlew? (test|check)|mix test|swift test|meson test|bazel test)\b)";

const std::vector<Recognition>& table() {
  static const std::vector<Recognition> rows = {
      {Activity::lint,
       R"(\b(ruff|black|flake8|pylint|mypy|isort|eslint|prettier|golangci-lint|gofmt|go vet|staticcheck|clang-format|)"
       R"(clang-tidy|cppcheck|shellcheck|hadolint|rubocop|stylelint|ktlint|cargo (fmt|clippy)|markdownlint|yamllint|)"
       R"(pre-commit run|(npm|yarn|pnpm) (run )?(lint|format)|make (lint|format|fmt)|helm lint|tflint|terraform fmt)\b)",
       R"((golangci/golangci-lint-action|pre-commit/action|psf/black|astral-sh/ruff-action|chartboost/ruff-action|)"
       R"(hadolint/hadolint-action|super-linter|reviewdog/|wearerequired/lint-action|ludeeus/action-shellcheck))"},
      {Activity::dependency_scan,
       R"(\b(pip-audit|safety (check|scan)|(npm|yarn|pnpm) audit|snyk test|trivy (fs|filesystem|repo|repository|sbom)|)"
       R"(osv-scanner|govulncheck|cargo (audit|deny)|bundle(r)?[- ]audit|dependency-check|grype (dir|sbom|file):|)"
       R"(retire|nancy|mvn [^\n]*dependency-check|audit-ci|better-npm-audit))",
       R"((pypa/gh-action-pip-audit|snyk/actions/(node|python|golang|maven|gradle|ruby|dotnet|php|scala|setup)|)"
       R"(google/osv-scanner-action|actions/dependency-review-action|golang/govulncheck-action|)"
       R"(dependency-check/dependency-check_action|rustsec/audit-check))"},
      {Activity::build,
       R"(\b((npm|yarn|pnpm|bun) (run )?build|go build|cargo build|cmake --build|ninja|make( all| build| release)?$|)"
       R"(python3? -m build|poetry build|uv build|hatch build|pdm build|mvn( -[^ ]+)* (package|install)|)"
       R"(gradlew? (build|assemble)|dotnet (build|publish)|tsc\b|next build|vite build|webpack|bazel build|)"
       R"(meson compile|setup\.py (sdist|bdist)))",
       R"(^$)"},
      {Activity::contract_tests,
       R"(\b(pact|pactflow|pact-broker|can-i-deploy|spring-cloud-contract|specmatic|schemathesis|dredd)\b)",
       R"((pactflow/|pact-foundation/|specmatic/|schemathesis/))"},
      {Activity::image_build,
       R"(\b(docker (image )?build|docker buildx (build|bake)|docker compose build|docker-compose build|buildah (bud|build)|)"
       R"(podman build|kaniko|/kaniko/executor|img build|ko build|jib|pack build|nerdctl build)\b)",
       R"((docker/build-push-action|docker/bake-action|redhat-actions/buildah-build|int128/kaniko-action))"},
      {Activity::image_scan,
       R"(\b(trivy (image|i)\b|grype (?:[^ :]+$|[^ ]+:[^ ]+|docker:|registry:)|docker scout (cves|quickview|recommendations)|)"
       R"(snyk container|anchore|clair|dockle|neuvector|twistcli))",
       R"((aquasecurity/trivy-action|anchore/scan-action|docker/scout-action|snyk/actions/docker|crazy-max/ghaction-container-scan|)"
       R"(azure/container-scan))"},
      {Activity::publish,
       R"(\b(docker (image )?push|docker buildx build [^\n]*--push|podman push|buildah push|crane push|skopeo copy|)"
       R"((npm|yarn|pnpm) publish|twine upload|poetry publish|uv publish|flit publish|hatch publish|helm (push|cm-push)|)"
       R"(cargo publish|gh release (create|upload)|mvn( -[^ ]+)* deploy|gradlew? publish|goreleaser|gem push|)"
       R"(dotnet nuget push|oras push|/kaniko/executor)\b)",
       R"((pypa/gh-action-pypi-publish|softprops/action-gh-release|goreleaser/goreleaser-action|js-devtools/npm-publish|)"
       R"(ncipollo/release-action|actions/create-release|appleboy/helm-push|bsord/helm-push))"},
      {Activity::deploy,
       R"(\b(kubectl (apply|rollout|set image|create)|helm (upgrade|install)|helmfile (apply|sync)|terraform apply|)"
       R"(pulumi up|argocd app sync|flux reconcile|skaffold (run|deploy)|gcloud (run|app) deploy|aws ecs update-service|)"
       R"(aws deploy|az (webapp|containerapp) (deploy|up|update)|serverless deploy|sls deploy|vercel (deploy|--prod)|)"
       R"(fly(ctl)? deploy|netlify deploy|kustomize build [^\n]*\| *kubectl))",
       R"((azure/k8s-deploy|azure/webapps-deploy|google-github-actions/deploy-|aws-actions/amazon-ecs-deploy|)"
       R"(appleboy/ssh-action|peaceiris/actions-gh-pages|actions/deploy-pages|amondnet/vercel-action))"},
  };
  return rows;
}

struct Compiled {
  Activity activity;
  std::unique_ptr<RE2> run;
  std::unique_ptr<RE2> uses;
};

const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> rows = [] {
    std::vector<Compiled> out;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_posix_syntax(false);
    options.set_never_nl(false);
    for (const Recognition& row : table())
      out.push_back({row.activity, std::make_unique<RE2>(row.run, options), std::make_unique<RE2>(row.uses, options)});
    return out;
  }();
  return rows;
}

const RE2& test_runner() {
  static const RE2 re(kTestRunners);
  return re;
}

std::string action_name(std::string_view uses) {
  std::string name = text::to_lower(text::trim(uses));
  if (const auto at = name.find('@'); at != std::string::npos) name.resize(at);
  return name;
}

// Multi-line scripts are matched line by line, so `$` anchors a command's end.
bool matches_any_line(const RE2& re, std::string_view lower_script) {
  for (std::string_view line : text::split_lines(lower_script))
    if (RE2::PartialMatch(text::trim(line), re)) return true;
  return false;
}

}  // namespace

std::string_view to_string(Activity activity) {
  switch (activity) {
    case Activity::lint: return "lint and format check";
    case Activity::dependency_scan: return "dependency security scan";
    case Activity::unit_tests: return "unit tests";
    case Activity::build: return "build";
    case Activity::integration_tests: return "integration tests";
    case Activity::contract_tests: return "contract tests";
    case Activity::image_build: return "container image build";
    case Activity::image_scan: return "container image scan";
    case Activity::publish: return "publish";
    case Activity::deploy: return "deploy";
  }
  return "?";
}

Activities classify(const constable::ci::Step& step, const constable::ci::Job& job) {
  Activities out;
  const std::string run = text::to_lower(step.run);
  const std::string uses = action_name(step.uses);
  for (const Compiled& row : compiled()) {
    const bool by_run = !run.empty() && matches_any_line(*row.run, run);
    const bool by_uses = !uses.empty() && RE2::PartialMatch(uses, *row.uses);
    if (by_run || by_uses) out.set(bit(row.activity));
  }
  // Inputs that change what an action does.
  if (uses == "docker/build-push-action" || uses == "docker/bake-action") {
    if (text::iequals(step.input("push"), "true")) out.set(bit(Activity::publish));
  }
  if (uses == "aquasecurity/trivy-action") {
    const std::string_view scan_type = step.input("scan-type");
    if (!scan_type.empty() && !text::iequals(scan_type, "image")) {
      out.reset(bit(Activity::image_scan));
      out.set(bit(Activity::dependency_scan));
    }
  }
  if (run.find("kaniko") != std::string::npos && run.find("--no-push") != std::string::npos)
    out.reset(bit(Activity::publish));
  // A test runner: unit tests unless the step or its job says integration or contract.
  if (!run.empty() && matches_any_line(test_runner(), run)) {
    const std::string context = text::to_lower(job.id + ' ' + job.name + ' ' + step.name + ' ' + step.run);
    if (context.find("integration") != std::string::npos || context.find("testcontainers") != std::string::npos)
      out.set(bit(Activity::integration_tests));
    else if (context.find("contract") != std::string::npos || context.find("pact") != std::string::npos)
      out.set(bit(Activity::contract_tests));
    else
      out.set(bit(Activity::unit_tests));
  }
  return out;
}

Activities classify(const constable::ci::Job& job) {
  Activities out;
  for (const auto& step : job.steps) out |= classify(step, job);
  if (!job.environment.empty()) out.set(bit(Activity::deploy));
  return out;
}

Activities classify_include(std::string_view include) {
  Activities out;
  const std::string lower = text::to_lower(include);
  if (lower.find("dependency-scanning") != std::string::npos) out.set(bit(Activity::dependency_scan));
  if (lower.find("container-scanning") != std::string::npos) out.set(bit(Activity::image_scan));
  return out;
}

bool is_workflow_path(std::string_view path) {
  if (path == ".gitlab-ci.yml" || path == ".gitlab-ci.yaml") return true;
  if (!path.starts_with(".github/workflows/")) return false;
  const std::string_view name = path.substr(std::string_view(".github/workflows/").size());
  return name.find('/') == std::string_view::npos && (name.ends_with(".yml") || name.ends_with(".yaml"));
}

std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  return content != nullptr ? std::string_view(*content) : std::string_view{};
}

Pipeline load_pipeline(const engine::RepositoryContext& repo) {
  Pipeline pipeline;
  static const yaml::Stream kUnreadable = yaml::parse("");
  for (const workspace::File& file : repo.workspace().files) {
    if (file.path == ".github/dependabot.yml" || file.path == ".github/dependabot.yaml")
      pipeline.dependabot_path = file.path;
    if (!is_workflow_path(file.path)) continue;
    const yaml::Stream* stream = repo.yaml(file);
    const yaml::Stream& parsed = stream != nullptr ? *stream : kUnreadable;
    if (file.path.starts_with(".gitlab-ci"))
      pipeline.workflows.push_back(constable::ci::parse_gitlab_ci(file.path, parsed));
    else
      pipeline.workflows.push_back(constable::ci::parse_github_workflow(file.path, parsed));
  }
  return pipeline;
}

std::string Pipeline::anchor_path() const {
  if (workflows.empty()) return ".github/workflows/";
  const auto most = std::max_element(workflows.begin(), workflows.end(), [](const auto& a, const auto& b) {
    return a.jobs.size() < b.jobs.size();
  });
  return most->path;
}

int Pipeline::anchor_line() const {
  if (workflows.empty()) return 0;
  const auto most = std::max_element(workflows.begin(), workflows.end(), [](const auto& a, const auto& b) {
    return a.jobs.size() < b.jobs.size();
  });
  return most->jobs_line;
}


}  // namespace constable::checks::ci

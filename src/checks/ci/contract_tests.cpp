// ci/contract-tests: services use Pact or a similar contract testing framework.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"
#include "core/text.hpp"

namespace constable::checks::ci {

namespace {
namespace contract_tests_check {

constexpr engine::CheckInfo kInfo{
    .id = "ci/contract-tests",
    .domain = "ci",
    .nature = Nature::reliability,
    .summary = "Test service contracts with Pact or a similar framework",
    .rationale =
        "Services that only test themselves break their consumers silently; a contract test fails the "
        "provider's build when it changes what a consumer relies on. Recognised: a CI step running pact, "
        "pact-broker, can-i-deploy, spring-cloud-contract, specmatic, schemathesis or dredd, or one of them "
        "(pact-python, @pact-foundation/pact, pact-go, au.com.dius.pact, PactNet, spring-cloud-contract, "
        "specmatic, schemathesis) in a dependency manifest (package.json, requirements*.txt, pyproject.toml, "
        "Pipfile, go.mod, pom.xml, build.gradle[.kts], Gemfile, Cargo.toml, *.csproj). Applies to repositories "
        "that deploy services: a Dockerfile, Kubernetes manifests, a Helm chart or an OpenAPI document.",
    .remediation = "Add consumer tests that record a contract (pact) and a provider verification job in CI "
                   "(pact verifier, `pact-broker can-i-deploy` before deploying), or schemathesis against the "
                   "OpenAPI document.",
    .bad_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n",
    .good_example = "on: push\njobs:\n  contract:\n    runs-on: ubuntu-latest\n"
                    "    steps: [{run: pytest tests/contract}, {run: pact-broker can-i-deploy --pacticipant api}]\n",
    .parameters = "",
    .clause = {.section = "contract testing", .text = "pact|contract testing"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool is_manifest(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return name == "package.json" || (name.starts_with("requirements") && name.ends_with(".txt")) ||
         name == "pyproject.toml" || name == "Pipfile" || name == "go.mod" || name == "pom.xml" ||
         name == "build.gradle" || name == "build.gradle.kts" || name == "Gemfile" || name == "Cargo.toml" ||
         name.ends_with(".csproj");
}

class ContractTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto& stack = repo.workspace().stack;
    if (!stack.has("docker") && !stack.has("kubernetes") && !stack.has("helm") && !stack.has("openapi")) return;
    const Pipeline& pipeline = load_pipeline(repo);
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs)
        if (classify(job).test(bit(Activity::contract_tests))) return;
    static const RE2 kFramework(R"((?i)\b(pact|pactnet|spring-cloud-(starter-)?contract|specmatic|schemathesis|dredd)\b)");
    std::string first_manifest;
    for (const auto& file : repo.workspace().files) {
      if (!is_manifest(file.path)) continue;
      if (first_manifest.empty()) first_manifest = file.path;
      if (RE2::PartialMatch(read_file(repo, file), kFramework)) return;
    }
    if (!pipeline.empty())
      emit_at(out, pipeline.anchor_path(), pipeline.anchor_line(),
              "no contract tests: no CI job runs pact or a similar framework, and no dependency manifest uses one");
    else
      emit_at(out, first_manifest.empty() ? pipeline.anchor_path() : first_manifest, 0,
              "no contract tests: no dependency manifest uses pact or a similar framework, and there is no CI pipeline");
  }
};

}  // namespace contract_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_contract_tests_check() {
  return engine::make_check<contract_tests_check::ContractTestsCheck>();
}

}  // namespace constable::checks::ci

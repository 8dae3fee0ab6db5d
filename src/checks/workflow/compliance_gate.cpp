// workflow/compliance-gate: the CI pipeline every change goes through runs
// a check of the repository against its constitution.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_support.hpp"
#include "checks/workflow/workflow_checks.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::workflow {

namespace {
namespace compliance_gate_check {

namespace ci = constable::checks::ci;

constexpr engine::CheckInfo kInfo{
    .id = "workflow/compliance-gate",
    .domain = "workflow",
    .nature = Nature::maintainability,
    .summary = "Gate every change on a constitutional compliance check in CI",
    .rationale =
        "A constitution enforced only when someone remembers to run it drifts: the gate belongs where every "
        "change passes. The pipeline is the CI workflows that run on pull requests or pushes (GitLab: its "
        "pipeline), as ci/pipeline-stages reads them. Workflows started only by pushed tags are "
        "not part of it. A compliance gate is a step that runs constable (its binary, an image or action named "
        "constable) or a policy-as-code tool that judges the repository against written rules (conftest, `opa "
        "eval` or `opa test`, Gatekeeper's gator, the Kyverno CLI), or a make target or package script named "
        "for compliance, policy or the constitution. A gate that runs only on a "
        "schedule or by hand is reported, naming that workflow. A repository without CI is not reported here "
        "(ci/pipeline-stages reports it).",
    .remediation = "Add a job to the pull request pipeline that runs `constable check` (or your policy tool) and "
                   "fails the pipeline on violations.",
    .bad_example = "on: pull_request\n"
                   "jobs:\n"
                   "  test:\n"
                   "    runs-on: ubuntu-latest\n"
                   "    steps:\n"
                   "      - run: pytest\n",
    .good_example = "on: pull_request\n"
                    "jobs:\n"
                    "  test:\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps:\n"
                    "      - run: pytest\n"
                    "      - run: constable check . --format sarif --output constable.sarif\n",
    .parameters = "",
    .clause = {.section = "compliance verification|automated checks|compliance", .text = "gates?.*compliance|compliance.*gates?"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool runs_gate(const constable::ci::Step& step) {
  static const RE2 kGate(
      R"((?i)(^|[\s/:'"])constable(\s|:|@|$)|constable[-_]action|(^|\s)conftest\s+(test|verify)|(^|\s)opa\s+(eval|test|exec)|(^|\s)gator\s+(test|verify)|(^|\s)kyverno\s+(apply|test))");
  // A make target or package script named for it (`make policy`, `npm run compliance`).
  static const RE2 kNamed(R"((?i)(^|\s)(make|npm run|pnpm|yarn|just|task)\s+[^\n;&|]*\b(compliance|polic(y|ies)|constitution|conftest)\b)");
  for (const std::string* text : {&step.run, &step.uses})
    if (RE2::PartialMatch(*text, kGate) || RE2::PartialMatch(*text, kNamed)) return true;
  return false;
}

bool workflow_runs_gate(const constable::ci::Workflow& workflow) {
  for (const auto& job : workflow.jobs) {
    for (const auto& step : job.steps)
      if (runs_gate(step)) return true;
    if (job.called != nullptr && workflow_runs_gate(*job.called)) return true;
  }
  return false;
}

// A workflow started only by pushed tags releases what was already checked: no change goes through it.
bool runs_only_on_tags(const engine::RepositoryContext& repo, const constable::ci::Workflow& workflow) {
  if (workflow.provider != constable::ci::Provider::github_actions || workflow.runs_on_pull_request()) return false;
  for (const auto& event : workflow.triggers)
    if (event != "push" && event != "workflow_dispatch" && event != "release") return false;
  for (const auto& file : repo.workspace().files) {
    if (file.path != workflow.path) continue;
    const yaml::Stream* stream = repo.yaml(file);
    if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) return false;
    const yaml::Node* root = stream->documents.front().root;
    const yaml::Node* on = root->get("on") != nullptr ? root->get("on") : root->get("true");
    const yaml::Node* push = on != nullptr ? on->get("push") : nullptr;
    return push != nullptr && push->get("tags") != nullptr && push->get("branches") == nullptr &&
           push->get("branches-ignore") == nullptr;
  }
  return false;
}

class ComplianceGateCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    if (pipeline.empty()) return;
    std::vector<const constable::ci::Workflow*> members;
    for (const auto* workflow : pipeline.change_pipeline())
      if (!runs_only_on_tags(repo, *workflow)) members.push_back(workflow);
    if (members.empty()) return;  // nothing runs on changes: ci/tests-in-pipeline and ci/pipeline-stages say so
    for (const auto* workflow : members)
      if (workflow_runs_gate(*workflow)) return;
    std::vector<const constable::ci::Workflow*> elsewhere;
    for (const auto* workflow : pipeline.elsewhere())
      if (workflow_runs_gate(*workflow)) elsewhere.push_back(workflow);
    std::string message = "no CI job on pull requests or pushes checks the repository against its constitution "
                          "(constable, conftest, opa, gator or kyverno)";
    if (!elsewhere.empty()) message += fmt::format("; only {} does", ci::describe(elsewhere));
    out.report_at(pipeline.anchor_path(), pipeline.anchor_line(), std::move(message));
  }
};

}  // namespace compliance_gate_check
}  // namespace

std::unique_ptr<engine::Check> make_compliance_gate_check() {
  return engine::make_check<compliance_gate_check::ComplianceGateCheck>();
}

}  // namespace constable::checks::workflow

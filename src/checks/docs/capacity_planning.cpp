// docs/capacity-planning: Write capacity planning documents.

#include "checks/docs/docs_checks.hpp"
#include "checks/docs/operational_docs.hpp"

namespace constable::checks::docs {

namespace {
namespace capacity_planning_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/capacity-planning",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Write capacity planning documents",
    .rationale = "Capacity that is not planned is discovered during an outage; the document states expected load, limits per component and when to scale. Applies to repositories that deploy something (a Dockerfile that is not for development, a "
                 "Compose file, Kubernetes manifests, a Helm chart or Terraform). Recognised: a .md, .markdown, .rst, .adoc or .txt file whose path matches "
                 "`capacity`, or a Markdown section whose heading starts with capacity (planning) or ends with capacity planning (the constitution itself does not count).",
    .remediation = "Add docs/capacity-planning.md: current and expected load, resource requests and limits per component, scaling thresholds and the review cadence.",
    .bad_example = "Dockerfile\nREADME.md\n",
    .good_example = "Dockerfile\nREADME.md\ndocs/capacity-planning.md\n",
    .parameters = "",
    .clause = {.section = "operational documentation|documentation", .text = "capacity planning"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact: a repository that ships something
    .scope = engine::Scope::repository,
};

}  // namespace capacity_planning_check
}  // namespace

std::unique_ptr<engine::Check> make_capacity_planning_check() {
  return make_operational_doc_check(capacity_planning_check::kInfo,
                                    {.name = "capacity planning",
                                     .path_pattern = R"(capacity)",
                                     .heading_pattern = R"(^capacity( planning| plan| model(l?ing)?)?\b|\bcapacity (planning|plan)$)",
                                     .expected_path = "docs/capacity-planning.md"});
}

}  // namespace constable::checks::docs

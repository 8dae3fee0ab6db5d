// docs/runbooks: Write runbooks for common operational tasks.

#include "checks/docs/docs_checks.hpp"
#include "checks/docs/operational_docs.hpp"

namespace constable::checks::docs {

namespace {
namespace runbooks_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/runbooks",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Write runbooks for common operational tasks",
    .rationale = "A runbook turns a 3 a.m. page into a checklist; without one the fix lives in one person's head. Applies to repositories that deploy something (a Dockerfile that is not for development, a "
                 "Compose file, Kubernetes manifests, a Helm chart or Terraform). Recognised: a .md, .markdown, .rst, .adoc or .txt file whose path matches "
                 "`run-?books?|playbooks?`, or a Markdown section whose heading starts or ends with runbook or playbook (the constitution itself does not count).",
    .remediation = "Add docs/runbooks/ with one page per operational task (restart, scale, rotate credentials, restore), each with steps and checks.",
    .bad_example = "Dockerfile\nREADME.md\n",
    .good_example = "Dockerfile\nREADME.md\ndocs/runbooks/\n",
    .parameters = "",
    .clause = {.section = "operational documentation|documentation", .text = "runbook"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact: a repository that ships something
    .scope = engine::Scope::repository,
};

}  // namespace runbooks_check
}  // namespace

std::unique_ptr<engine::Check> make_runbooks_check() {
  return make_operational_doc_check(runbooks_check::kInfo,
                                    {.name = "runbook",
                                     .path_pattern = R"(run-?books?|playbooks?)",
                                     .heading_pattern = R"(^(operational )?(run-?books?|playbooks?)\b|\b(run-?books?|playbooks?)$)",
                                     .expected_path = "docs/runbooks/"});
}

}  // namespace constable::checks::docs

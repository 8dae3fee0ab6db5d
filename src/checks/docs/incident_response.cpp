// docs/incident-response: Document the incident response procedure.

#include "checks/docs/docs_checks.hpp"
#include "checks/docs/operational_docs.hpp"

namespace constable::checks::docs {

namespace {
namespace incident_response_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/incident-response",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Document the incident response procedure",
    .rationale = "When an incident starts, nobody should have to invent who decides, who communicates and how to escalate. Applies to repositories that deploy something (a Dockerfile that is not for development, a "
                 "Compose file, Kubernetes manifests, a Helm chart or Terraform). Recognised: a .md, .markdown, .rst, .adoc or .txt file whose path matches "
                 "`incident`, or a Markdown section whose heading starts with incident or ends with incident(s), incident response, management, procedure or handling (the constitution itself does not count).",
    .remediation = "Add docs/incident-response.md: severity levels, roles (incident commander, communications), escalation, communication channels, post-mortem template.",
    .bad_example = "Dockerfile\nREADME.md\n",
    .good_example = "Dockerfile\nREADME.md\ndocs/incident-response.md\n",
    .parameters = "",
    .clause = {.section = "operational documentation|documentation", .text = "incident response"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact: a repository that ships something
    .scope = engine::Scope::repository,
};

}  // namespace incident_response_check
}  // namespace

std::unique_ptr<engine::Check> make_incident_response_check() {
  return make_operational_doc_check(incident_response_check::kInfo,
                                    {.name = "incident response",
                                     .path_pattern = R"(incident)",
                                     .heading_pattern = R"(^incidents?\b|\bincidents?( response| management| procedures?| handling)?( plan)?$)",
                                     .expected_path = "docs/incident-response.md"});
}

}  // namespace constable::checks::docs

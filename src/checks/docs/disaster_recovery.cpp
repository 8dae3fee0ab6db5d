// docs/disaster-recovery: Write a disaster recovery plan.

#include "checks/docs/docs_checks.hpp"
#include "checks/docs/operational_docs.hpp"

namespace constable::checks::docs {

namespace {
namespace disaster_recovery_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/disaster-recovery",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Write a disaster recovery plan",
    .rationale = "Backups nobody has restored and failovers nobody has rehearsed fail when they are needed; the plan states the recovery objectives and the steps. Applies to repositories that deploy something (a Dockerfile that is not for development, a "
                 "Compose file, Kubernetes manifests, a Helm chart or Terraform). Recognised: a .md, .markdown, .rst, .adoc or .txt file whose path matches "
                 "`disaster[-_ ]?recovery|(^|[/_-])dr[-_]plan|business[-_ ]continuity|backup[-_ ]and[-_ ]restore`, or a Markdown section whose heading starts with disaster recovery, business continuity or backup and restore, or ends with them (plan, procedure) (the constitution itself does not count).",
    .remediation = "Add docs/disaster-recovery.md with RPO/RTO targets, what is backed up and where, the restore procedure and how often it is tested.",
    .bad_example = "Dockerfile\nREADME.md\n",
    .good_example = "Dockerfile\nREADME.md\ndocs/disaster-recovery.md\n",
    .parameters = "",
    .clause = {.section = "operational documentation|documentation", .text = "disaster recovery"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact: a repository that ships something
    .scope = engine::Scope::repository,
};

}  // namespace disaster_recovery_check
}  // namespace

std::unique_ptr<engine::Check> make_disaster_recovery_check() {
  return make_operational_doc_check(disaster_recovery_check::kInfo,
                                    {.name = "disaster recovery",
                                     .path_pattern = R"(disaster[-_ ]?recovery|(^|[/_-])dr[-_]plan|business[-_ ]continuity|backup[-_ ]and[-_ ]restore)",
                                     .heading_pattern = R"(^(disaster recovery|business continuity|backup and restore|backups? and recovery)\b|(disaster recovery|business continuity|backup and restore)( plan| procedures?)?$)",
                                     .expected_path = "docs/disaster-recovery.md"});
}

}  // namespace constable::checks::docs

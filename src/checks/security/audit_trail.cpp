// security/audit-trail: "All authentication attempts MUST be logged". An AWS
// account records console sign-ins and the IAM and STS calls that
// authenticate in CloudTrail, as global service events; a trail the
// repository switches off (`enable_logging = false`), or whose trails all
// leave global service events out, records none of them.

#include <fmt/format.h>

#include "checks/security/cloudtrail_templates.hpp"
#include "checks/security/security_checks.hpp"
#include "checks/security/terraform_blocks.hpp"

namespace constable::checks::security {

namespace {
namespace audit_trail_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/audit-trail",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Keep CloudTrail on and recording sign-ins (global service events)",
    .rationale =
        "Console sign-ins, failed ones included, and the IAM and STS calls that authenticate are CloudTrail's "
        "global service events: a trail records them only while it is logging and only with "
        "include_global_service_events (the default). Judged: the Terraform aws_cloudtrail resources and the "
        "CloudFormation AWS::CloudTrail::Trail resources of the repository. A trail with `enable_logging = false` "
        "(`IsLogging: false`) records nothing; a trail with `include_global_service_events = false` "
        "(`IncludeGlobalServiceEvents: false`) is reported when no trail of the repository records them. "
        "Values set by variables are not judged, nor are trails the repository does not declare.",
    .remediation =
        "Remove `enable_logging = false`; keep `include_global_service_events = true` on at least one trail "
        "(a multi-region trail: `is_multi_region_trail = true`).",
    .bad_example = "resource \"aws_cloudtrail\" \"main\" {\n  name           = \"main\"\n"
                   "  s3_bucket_name = aws_s3_bucket.trail.id\n  enable_logging = false\n}\n",
    .good_example = "resource \"aws_cloudtrail\" \"main\" {\n  name                       = \"main\"\n"
                    "  s3_bucket_name             = aws_s3_bucket.trail.id\n  is_multi_region_trail      = true\n"
                    "  enable_log_file_validation = true\n}\n",
    .parameters = "",
    .clause = {.section = "audit|compliance|security", .text = R"(authentication attempts?|authentication.*\blogged)"},
    .file_kind = FileKind::other,
    .stack = "",  // Terraform or CloudFormation
    .scope = engine::Scope::repository,
};

class AuditTrailCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    struct Excluding {
      std::string path;
      int line;
      std::string name;
    };
    std::vector<Excluding> excluding;
    bool records_global = false;
    for (const TerraformFile& tf : terraform_files_with(repo, "aws_cloudtrail")) {
      for (const TerraformBlock& trail : terraform_resources(tf.text, {"aws_cloudtrail"})) {
        const std::size_t base = static_cast<std::size_t>(trail.body.data() - tf.text.data());
        const auto logging = terraform_attribute(trail.body, "enable_logging");
        if (logging && terraform_bool(logging->value) == false) {
          out.report_at(tf.file->path, terraform_line(tf.text, base + logging->offset),
                        fmt::format("CloudTrail trail '{}' is switched off (enable_logging = false): no sign-in or "
                                    "API call of the account is recorded",
                                    trail.name));
          continue;
        }
        const auto global = terraform_attribute(trail.body, "include_global_service_events");
        if (!global || terraform_bool(global->value) != false) {
          records_global = true;  // the default, true, or a value constable cannot read
          continue;
        }
        excluding.push_back({tf.file->path, terraform_line(tf.text, base + global->offset), std::string(trail.name)});
      }
    }
    for (const TemplateTrail& trail : cloudformation_trails(repo)) {
      const yaml::Node* logging = trail.properties != nullptr ? trail.properties->get("IsLogging") : nullptr;
      if (template_bool(logging) == false) {
        out.report_at(trail.file->path, logging->start.line,
                      fmt::format("CloudTrail trail '{}' is switched off (IsLogging: false): no sign-in or API call of "
                                  "the account is recorded",
                                  trail.logical_id->str()));
        continue;
      }
      const yaml::Node* global =
          trail.properties != nullptr ? trail.properties->get("IncludeGlobalServiceEvents") : nullptr;
      if (template_bool(global) != false) {
        records_global = true;
        continue;
      }
      excluding.push_back({trail.file->path, global->start.line, std::string(trail.logical_id->str())});
    }
    if (records_global) return;
    for (const Excluding& trail : excluding)
      out.report_at(trail.path, trail.line,
                    fmt::format("CloudTrail trail '{}' leaves out global service events and no other trail of the repository "
                                "records them: console sign-ins and IAM and STS authentications go unlogged",
                                trail.name));
  }
};

}  // namespace audit_trail_check
}  // namespace

std::unique_ptr<engine::Check> make_audit_trail_check() {
  return engine::make_check<audit_trail_check::AuditTrailCheck>();
}

}  // namespace constable::checks::security

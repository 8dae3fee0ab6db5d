// security/audit-log-integrity: "Logs MUST be immutable and retained per
// compliance requirements". An AWS CloudTrail trail proves its log files
// unaltered only with log file validation (signed digest files), off unless
// the trail turns it on. When the clause states how long logs are kept
// ("retained for 1 year"), the S3 bucket a trail delivers to is held to it:
// a lifecycle rule expiring the whole bucket sooner is reported.

#include <fmt/format.h>
#include <re2/re2.h>

#include <chrono>
#include <map>
#include <optional>

#include "checks/security/cloudtrail_templates.hpp"
#include "checks/security/security_checks.hpp"
#include "checks/security/terraform_blocks.hpp"
#include "checks/testing/testing_support.hpp"  // read_file
#include "constitution/parameters.hpp"

namespace constable::checks::security {

namespace {
namespace audit_log_integrity_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/audit-log-integrity",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Validate CloudTrail log files, and keep audit logs as long as the clause says",
    .rationale =
        "An audit log is evidence only if an alteration would show: CloudTrail signs a digest of every log file "
        "it delivers when `enable_log_file_validation` is true, and not otherwise (the default is false), so an "
        "edited or deleted log file goes unnoticed. Judged: the repository's Terraform aws_cloudtrail resources "
        "and CloudFormation AWS::CloudTrail::Trail resources (EnableLogFileValidation); a value set by a "
        "variable, parameter or condition is not judged. When the clause names a retention period, the bucket a trail "
        "delivers to is held to it: an enabled lifecycle rule for the whole bucket (no prefix or tag filter) "
        "whose expiration deletes objects sooner is reported. Without a period in the clause, retention is not "
        "judged: 'per compliance requirements' names no figure. Log files an API server rotates on its node are "
        "not judged, since an agent usually ships them elsewhere.",
    .remediation =
        "Set `enable_log_file_validation = true` on the trail (and an S3 Object Lock on its bucket for "
        "write-once storage); keep audit logs at least as long as the clause's period.",
    .bad_example = "resource \"aws_cloudtrail\" \"main\" {\n  name           = \"main\"\n"
                   "  s3_bucket_name = aws_s3_bucket.trail.id\n}\n",
    .good_example = "resource \"aws_cloudtrail\" \"main\" {\n  name                       = \"main\"\n"
                    "  s3_bucket_name             = aws_s3_bucket.trail.id\n  enable_log_file_validation = true\n}\n",
    .parameters = "the retention period the clause names, if any",
    .clause = {.section = "audit|compliance|security", .text = R"(\bimmutable\b|logs? .*\bretained\b)"},
    .file_kind = FileKind::other,
    .stack = "",  // Terraform or CloudFormation
    .scope = engine::Scope::repository,
};

constexpr long long kDayMs = 86'400'000;

class AuditLogIntegrityCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    retention_days_.reset();
    if (const auto period = constitution::capture_duration(clause.text)) {
      const long long days = period->count() / kDayMs;
      if (days < 1)
        return fail(fmt::format("security/audit-log-integrity: the clause's retention period is shorter than a "
                                "day ('{}'); expected days, months or years",
                                clause.text));
      retention_days_ = days;
    }
    return {};
  }

  std::string bound_parameters() const override {
    return retention_days_ ? fmt::format("retention: at least {} days", *retention_days_)
                           : std::string("retention: no period stated (log file validation only)");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    // The buckets trails deliver to: "aws_s3_bucket.<name>" -> trail name.
    std::map<std::string, std::string, std::less<>> trail_buckets;
    static const RE2 kBucketRef(R"(^aws_s3_bucket\.([\w-]+)\.(?:id|bucket)$)");
    for (const TerraformFile& tf : terraform_files_with(repo, "aws_cloudtrail")) {
      for (const TerraformBlock& trail : terraform_resources(tf.text, {"aws_cloudtrail"})) {
        const std::size_t base = static_cast<std::size_t>(trail.body.data() - tf.text.data());
        const auto validation = terraform_attribute(trail.body, "enable_log_file_validation");
        if (!validation) {
          out.report_at(tf.file->path, terraform_line(tf.text, trail.offset),
                        fmt::format("CloudTrail trail '{}' does not validate its log files (enable_log_file_validation "
                                    "is not set; the default is false): an altered or deleted log file goes unnoticed",
                                    trail.name));
        } else if (terraform_bool(validation->value) == false) {
          out.report_at(tf.file->path, terraform_line(tf.text, base + validation->offset),
                        fmt::format("CloudTrail trail '{}' does not validate its log files (enable_log_file_validation "
                                    "= false): an altered or deleted log file goes unnoticed",
                                    trail.name));
        }
        if (!retention_days_) continue;
        if (const auto bucket = terraform_attribute(trail.body, "s3_bucket_name")) {
          std::string name;
          if (RE2::PartialMatch(bucket->value, kBucketRef, &name)) trail_buckets.emplace(name, trail.name);
        }
      }
    }
    for (const TemplateTrail& trail : cloudformation_trails(repo)) {
      const yaml::Node* validation =
          trail.properties != nullptr ? trail.properties->get("EnableLogFileValidation") : nullptr;
      if (validation == nullptr)
        out.report_at(trail.file->path, trail.logical_id->start.line,
                      fmt::format("CloudTrail trail '{}' does not validate its log files (EnableLogFileValidation is "
                                  "not set; the default is false): an altered or deleted log file goes unnoticed",
                                  trail.logical_id->str()));
      else if (template_bool(validation) == false)
        out.report_at(trail.file->path, validation->start.line,
                      fmt::format("CloudTrail trail '{}' does not validate its log files (EnableLogFileValidation: "
                                  "false): an altered or deleted log file goes unnoticed",
                                  trail.logical_id->str()));
    }
    if (!retention_days_ || trail_buckets.empty()) return;
    const long long minimum = *retention_days_;
    // Lifecycle rules that expire every object of a trail's bucket sooner.
    const auto judge_rule = [&](const TerraformFile& tf, std::string_view rule, std::string_view bucket,
                                std::string_view trail) {
      const auto status = terraform_attribute(rule, "status");
      const auto enabled = terraform_attribute(rule, "enabled");
      const bool on = (status && status->value == "\"Enabled\"") || (enabled && terraform_bool(enabled->value) == true);
      if (!on) return;
      // A rule for some prefix or tag only is not judged: the trail's objects may lie outside it.
      for (const auto& [filter, at] : terraform_nested(rule, "filter")) {
        (void)at;
        if (filter.find_first_not_of("{} \t\r\n") != std::string_view::npos) return;
      }
      if (const auto prefix = terraform_attribute(rule, "prefix"); prefix && prefix->value != "\"\"") return;
      for (const auto& [expiration, at] : terraform_nested(rule, "expiration")) {
        const auto days = terraform_attribute(expiration, "days");
        long long value = 0;
        if (!days || !RE2::FullMatch(days->value, R"((\d+))", &value) || value == 0 || value >= minimum) continue;
        (void)at;
        out.report_at(tf.file->path, terraform_line(tf.text, static_cast<std::size_t>(days->value.data() - tf.text.data())),
                      fmt::format("bucket '{}' of CloudTrail trail '{}' deletes its log files after {} days, less than "
                                  "the {} days the constitution requires",
                                  bucket, trail, value, minimum));
      }
    };
    for (const TerraformFile& tf : terraform_files_with(repo, "aws_s3_bucket"))
      for (const TerraformBlock& block :
           terraform_resources(tf.text, {"aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration"})) {
        std::string bucket(block.name);
        if (block.type == "aws_s3_bucket_lifecycle_configuration") {
          const auto target = terraform_attribute(block.body, "bucket");
          if (!target || !RE2::PartialMatch(target->value, kBucketRef, &bucket)) continue;
        }
        const auto trail = trail_buckets.find(bucket);
        if (trail == trail_buckets.end()) continue;
        for (const auto& [rule, at] : terraform_nested(block.body, block.type == "aws_s3_bucket" ? "lifecycle_rule" : "rule")) {
          (void)at;
          judge_rule(tf, rule, bucket, trail->second);
        }
      }
  }

 private:
  std::optional<long long> retention_days_;
};

}  // namespace audit_log_integrity_check
}  // namespace

std::unique_ptr<engine::Check> make_audit_log_integrity_check() {
  return engine::make_check<audit_log_integrity_check::AuditLogIntegrityCheck>();
}

}  // namespace constable::checks::security

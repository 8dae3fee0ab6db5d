// security/data-access-audit: "All data access MUST be logged with user
// context". Google Cloud records who read and wrote data in its Data Access
// audit logs (DATA_READ, DATA_WRITE) as an IAM audit config turns them on;
// the members it lists in `exempted_members` are left out of them.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/security/security_checks.hpp"
#include "checks/security/terraform_blocks.hpp"

namespace constable::checks::security {

namespace {
namespace data_access_audit_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/data-access-audit",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Exempt no one from Google Cloud's Data Access audit logs",
    .rationale =
        "Google Cloud's Data Access audit logs (log types DATA_READ and DATA_WRITE) record which principal read "
        "or changed which data. An IAM audit config's `exempted_members` takes the members it names out of "
        "them: what those accounts read or write leaves no record, whoever uses their credentials. Judged: the "
        "Terraform google_project_iam_audit_config, google_folder_iam_audit_config and "
        "google_organization_iam_audit_config resources of the repository whose DATA_READ or DATA_WRITE "
        "config lists members literally; a list built from a variable is not judged.",
    .remediation =
        "Remove the exempted members; reduce the volume of a noisy service account's entries with an exclusion "
        "filter on the log sink or bucket that routes them, which keeps the _Required trail of who did what.",
    .bad_example = "resource \"google_project_iam_audit_config\" \"all\" {\n  project = var.project_id\n"
                   "  service = \"allServices\"\n  audit_log_config {\n    log_type         = \"DATA_READ\"\n"
                   "    exempted_members = [\"serviceAccount:etl@shop.iam.gserviceaccount.com\"]\n  }\n}\n",
    .good_example = "resource \"google_project_iam_audit_config\" \"all\" {\n  project = var.project_id\n"
                    "  service = \"allServices\"\n  audit_log_config {\n    log_type = \"DATA_READ\"\n  }\n"
                    "  audit_log_config {\n    log_type = \"DATA_WRITE\"\n  }\n}\n",
    .parameters = "",
    .clause = {.section = "audit|compliance|security", .text = R"(data access)"},
    .file_kind = FileKind::other,
    .stack = "terraform",
    .scope = engine::Scope::repository,
};

class DataAccessAuditCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 kMember(R"re("(?:user|serviceAccount|group|domain|principal|principalSet):[^"]*")re");
    for (const TerraformFile& tf : terraform_files_with(repo, "_iam_audit_config")) {
      for (const TerraformBlock& config :
           terraform_resources(tf.text, {"google_project_iam_audit_config", "google_folder_iam_audit_config",
                                         "google_organization_iam_audit_config"})) {
        const auto service = terraform_attribute(config.body, "service");
        for (const auto& [log, at] : terraform_nested(config.body, "audit_log_config")) {
          (void)at;
          const auto type = terraform_attribute(log, "log_type");
          if (!type || (type->value != "\"DATA_READ\"" && type->value != "\"DATA_WRITE\"")) continue;
          const auto members = terraform_attribute(log, "exempted_members");
          if (!members || !members->value.starts_with('[')) continue;
          // A list may span lines: count the members up to its closing bracket.
          const std::size_t from = static_cast<std::size_t>(members->value.data() - tf.text.data());
          const std::size_t close = tf.text.find(']', from);
          if (close == std::string_view::npos) continue;
          const std::string_view list = tf.text.substr(from, close - from);
          if (list.find("var.") != std::string_view::npos || list.find("local.") != std::string_view::npos) continue;
          re2::StringPiece input(list.data(), list.size());
          int count = 0;
          while (RE2::FindAndConsume(&input, kMember)) ++count;
          if (count == 0) continue;
          out.report_at(tf.file->path, terraform_line(tf.text, from),
                        fmt::format("{} '{}' exempts {} member{} from {} audit logging{}: their data access is not "
                                    "recorded",
                                    config.type, config.name, count, count == 1 ? "" : "s",
                                    type->value.substr(1, type->value.size() - 2),
                                    service ? fmt::format(" of {}", service->value) : std::string()));
        }
      }
    }
  }
};

}  // namespace data_access_audit_check
}  // namespace

std::unique_ptr<engine::Check> make_data_access_audit_check() {
  return engine::make_check<data_access_audit_check::DataAccessAuditCheck>();
}

}  // namespace constable::checks::security

// cost/storage-lifecycle: "Data lifecycle policies for cold storage". The
// buckets a Terraform root configuration creates for data that goes cold
// (logs, backups, archives, audit trails) carry a lifecycle policy that moves
// that data to a colder storage class or expires it.

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "checks/cost/cost_checks.hpp"
#include "checks/security/terraform_blocks.hpp"
#include "core/text.hpp"

namespace constable::checks::cost {

namespace {
namespace storage_lifecycle_check {

constexpr engine::CheckInfo kInfo{
    .id = "cost/storage-lifecycle",
    .domain = "cost",
    .nature = Nature::maintainability,
    .summary = "Give log, backup and archive buckets a lifecycle policy that moves their data to cold storage",
    .rationale =
        "Logs, backups and archives are written once and rarely read: kept in the standard storage class for "
        "ever they are most of a storage bill. Judged: Terraform S3 and Cloud Storage buckets of root "
        "configurations (directories with their own `provider \"aws\"` or `\"google\"` block; a reusable "
        "module's buckets are its caller's to manage) whose resource name or literal bucket name has a word "
        "log(s), logging, backup(s), archive(s), audit, cloudtrail or snapshot(s). An S3 bucket has a policy "
        "with an inline `lifecycle_rule`, or an `aws_s3_bucket_lifecycle_configuration` or "
        "`aws_s3_bucket_intelligent_tiering_configuration` of the same directory naming it (when one names its "
        "bucket through a variable or local, no bucket of the directory is judged); a Cloud Storage bucket has "
        "a `lifecycle_rule` or `autoclass` block.",
    .remediation =
        "Add a lifecycle configuration: `resource \"aws_s3_bucket_lifecycle_configuration\" \"logs\" { bucket = "
        "aws_s3_bucket.logs.id  rule { id = \"cold\"  status = \"Enabled\"  filter {}  transition { days = 30  "
        "storage_class = \"GLACIER_IR\" }  expiration { days = 365 } } }`; on Cloud Storage, a `lifecycle_rule` "
        "with a SetStorageClass or Delete action, or `autoclass { enabled = true }`.",
    .bad_example = "provider \"aws\" { region = \"eu-west-1\" }\n\nresource \"aws_s3_bucket\" \"access_logs\" {\n"
                   "  bucket = \"shop-access-logs\"\n}\n",
    .good_example = "resource \"aws_s3_bucket_lifecycle_configuration\" \"access_logs\" {\n"
                    "  bucket = aws_s3_bucket.access_logs.id\n  rule {\n    id     = \"cold\"\n"
                    "    status = \"Enabled\"\n    filter {}\n    transition {\n      days          = 30\n"
                    "      storage_class = \"GLACIER_IR\"\n    }\n  }\n}\n",
    .parameters = "",
    .clause = {.section = "cost", .text = R"(lifecycle polic)"},
    .file_kind = FileKind::other,
    .stack = "terraform",
    .scope = engine::Scope::repository,
};

// Whether a name ("shop-access-logs", "db_backups") is one of data that goes cold.
bool names_cold_data(std::string_view name) {
  static const std::set<std::string, std::less<>> kWords = {
      "log",   "logs",  "logging",    "backup",   "backups",   "archive", "archives",
      "audit", "audits", "cloudtrail", "snapshot", "snapshots", "trail"};
  std::string word;
  auto flush = [&] {
    const bool found = kWords.contains(word);
    word.clear();
    return found;
  };
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (flush()) {
      return true;
    }
  }
  return flush();
}

// A literal string attribute's value without its quotes, "" when not literal.
std::string_view literal(std::string_view value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"' || text::contains(value, "${")) return {};
  return value.substr(1, value.size() - 2);
}

struct Bucket {
  const workspace::File* file = nullptr;
  int line = 0;
  std::string type;  // "aws_s3_bucket"
  std::string name;  // "access_logs"
  std::string bucket_name;  // literal bucket name, "" when not literal
};

class StorageLifecycleCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto aws_files = security::terraform_files_with(repo, "aws_s3_bucket");
    const auto google_files = security::terraform_files_with(repo, "google_storage_bucket");
    if (aws_files.empty() && google_files.empty()) return;
    // Root configurations: directories with a provider block of the cloud.
    static const RE2 kProvider(R"re((?m)^provider\s+"(aws|google|google-beta)"\s*\{)re");
    std::set<std::pair<std::string, std::string>> roots;  // (directory, "aws" | "google")
    for (const workspace::File& file : repo.workspace().files) {
      if (!file.path.ends_with(".tf") || file.size > 4 * 1024 * 1024) continue;
      const std::string* content = repo.text(file);
      if (content == nullptr || !text::contains(*content, "provider")) continue;
      re2::StringPiece input(*content), cloud;
      while (RE2::FindAndConsume(&input, kProvider, &cloud)) {
        const std::string_view c(cloud.data(), cloud.size());
        roots.emplace(std::string(text::dirname(file.path)), c == "aws" ? "aws" : "google");
      }
    }
    std::vector<Bucket> buckets;
    // Directory -> bucket resource names its lifecycle configurations name; a
    // configuration naming its bucket otherwise covers the whole directory.
    std::map<std::string, std::set<std::string>> covered;
    std::set<std::string> covered_directories;
    static const RE2 kReference(R"(aws_s3_bucket\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.)");
    for (const auto& tf : aws_files) {
      const std::string directory(text::dirname(tf.file->path));
      if (!roots.contains({directory, "aws"})) continue;
      for (const auto& block :
           security::terraform_resources(tf.text, {"aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration",
                                                   "aws_s3_bucket_intelligent_tiering_configuration"})) {
        if (block.type == "aws_s3_bucket") {
          if (!security::terraform_nested(block.body, "lifecycle_rule").empty()) continue;
          const auto bucket = security::terraform_attribute(block.body, "bucket");
          buckets.push_back({tf.file, security::terraform_line(tf.text, block.offset), std::string(block.type),
                             std::string(block.name), bucket ? std::string(literal(bucket->value)) : std::string()});
          continue;
        }
        const auto bucket = security::terraform_attribute(block.body, "bucket");
        std::string referenced;
        if (bucket && RE2::PartialMatch(bucket->value, kReference, &referenced)) {
          covered[directory].insert(referenced);
        } else {
          covered_directories.insert(directory);
        }
      }
    }
    for (const auto& tf : google_files) {
      const std::string directory(text::dirname(tf.file->path));
      if (!roots.contains({directory, "google"})) continue;
      for (const auto& block : security::terraform_resources(tf.text, {"google_storage_bucket"})) {
        if (!security::terraform_nested(block.body, "lifecycle_rule").empty() ||
            !security::terraform_nested(block.body, "autoclass").empty())
          continue;
        const auto bucket = security::terraform_attribute(block.body, "name");
        buckets.push_back({tf.file, security::terraform_line(tf.text, block.offset), std::string(block.type),
                           std::string(block.name), bucket ? std::string(literal(bucket->value)) : std::string()});
      }
    }
    for (const Bucket& bucket : buckets) {
      if (!names_cold_data(bucket.name) && !names_cold_data(bucket.bucket_name)) continue;
      const std::string directory(text::dirname(bucket.file->path));
      if (bucket.type == "aws_s3_bucket") {
        if (covered_directories.contains(directory)) continue;
        if (const auto it = covered.find(directory); it != covered.end() && it->second.contains(bucket.name)) continue;
      }
      const std::string shown =
          bucket.bucket_name.empty() ? std::string() : fmt::format(" ('{}')", bucket.bucket_name);
      out.emit({.range = SourceRange::at_line(bucket.line),
                .message = fmt::format("{}.{}{} holds data that goes cold but has no lifecycle policy: nothing moves "
                                       "it to a colder storage class or expires it",
                                       bucket.type, bucket.name, shown),
                .path_override = bucket.file->path,
                .anchor = fmt::format("{}.{}", bucket.type, bucket.name)});
    }
  }
};

}  // namespace storage_lifecycle_check
}  // namespace

std::unique_ptr<engine::Check> make_storage_lifecycle_check() {
  return engine::make_check<storage_lifecycle_check::StorageLifecycleCheck>();
}

}  // namespace constable::checks::cost

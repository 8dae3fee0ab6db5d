// cost/resource-tagging: "All cloud resources MUST be tagged with:" and the
// tags its list names (project name, environment, cost center, owner). What
// a repository shows of its cloud resources is its Terraform: AWS and Azure
// `tags`, Google `labels`, with the AWS provider's `default_tags` and the
// Google provider's `default_labels` added in.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "checks/cost/cost_checks.hpp"
#include "checks/security/terraform_blocks.hpp"
#include "checks/testing/testing_support.hpp"  // read_file, line_of
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::cost {

namespace {
namespace resource_tagging_check {

constexpr engine::CheckInfo kInfo{
    .id = "cost/resource-tagging",
    .domain = "cost",
    .nature = Nature::maintainability,
    .summary = "Tag every cloud resource with the keys the constitution lists",
    .rationale =
        "Costs that cannot be attributed to a project, environment, cost center and owner cannot be reviewed, "
        "charged back or cleaned up. Judged: Terraform resources of root configurations (directories with "
        "their own `provider \"aws\"`, `\"azurerm\"` or `\"google\"` block; a reusable module's tags come from "
        "its caller). A resource's keys are its literal `tags` (AWS, Azure) or `labels` (Google) map plus the "
        "provider's literal `default_tags` (AWS) or `default_labels` (Google); a map built from variables, "
        "locals or `merge()` is not judged, since its keys are not known. A resource without any is judged "
        "when its type is one that carries tags (instances, buckets, databases, networks, clusters, queues, "
        "keys, ...). A key matches a listed tag written in any case or separator: `CostCenter`, `cost_center` "
        "and `cost-center` all name 'Cost center'; `env` names 'Environment'. Kubernetes objects are not cloud "
        "resources and are not judged.",
    .remediation = "Set the tags once for every AWS resource in the provider (`default_tags { tags = { Project = "
                   "\"shop\", Environment = \"prod\", CostCenter = \"cc-1234\", Owner = \"team-orders\" } }`), "
                   "Google labels in `default_labels`, and Azure tags on each resource (a `local.tags` map).",
    .bad_example = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"shop-logs\"\n  tags = { Name = \"logs\" }\n}\n",
    .good_example = "provider \"aws\" {\n  default_tags {\n    tags = {\n      Project     = \"shop\"\n"
                    "      Environment = \"prod\"\n      CostCenter  = \"cc-1234\"\n      Owner       = \"team-orders\"\n"
                    "    }\n  }\n}\n",
    .parameters = "the tags the clause's list names",
    .clause = {.section = "resource tagging|cost", .text = R"(\btagged\b|\btags\b)"},
    .file_kind = FileKind::other,
    .stack = "terraform",
    .scope = engine::Scope::repository,
};

// One tag the constitution requires, and the clause that lists it.
struct RequiredTag {
  std::string label;                 // "Cost center"
  std::vector<std::string> accepted;  // normalised key forms: "costcenter"
  const constitution::Clause* clause = nullptr;
};

// "Cost-Center" -> "costcenter".
std::string normalise(std::string_view key) {
  std::string out;
  for (const char c : key)
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

bool matches(const RequiredTag& tag, std::string_view key) {
  const std::string k = normalise(key);
  for (const std::string& accepted : tag.accepted)
    if (k == accepted || (accepted.size() >= 5 && (k.starts_with(accepted) || k.ends_with(accepted)))) return true;
  return false;
}

// Resource types that carry a tags (or labels) map, for findings about a
// resource with none.
bool carries_tags(std::string_view type) {
  static const std::set<std::string_view, std::less<>> kTypes = {
      "aws_instance", "aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_vpc", "aws_subnet",
      "aws_security_group", "aws_lb", "aws_alb", "aws_elb", "aws_lb_target_group", "aws_eks_cluster",
      "aws_eks_node_group", "aws_ecs_cluster", "aws_ecs_service", "aws_ecs_task_definition", "aws_lambda_function",
      "aws_dynamodb_table", "aws_sqs_queue", "aws_sns_topic", "aws_kms_key", "aws_ebs_volume", "aws_nat_gateway",
      "aws_internet_gateway", "aws_eip", "aws_elasticache_cluster", "aws_elasticache_replication_group",
      "aws_cloudwatch_log_group", "aws_ecr_repository", "aws_efs_file_system", "aws_launch_template",
      "aws_route_table", "aws_secretsmanager_secret", "aws_msk_cluster", "aws_opensearch_domain",
      "aws_elasticsearch_domain", "aws_cloudfront_distribution", "aws_api_gateway_rest_api", "aws_apigatewayv2_api",
      "aws_sfn_state_machine", "aws_kinesis_stream", "aws_redshift_cluster", "aws_iam_role",
      "azurerm_resource_group", "azurerm_virtual_network", "azurerm_kubernetes_cluster", "azurerm_storage_account",
      "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_public_ip",
      "azurerm_network_security_group", "azurerm_key_vault", "azurerm_postgresql_flexible_server",
      "azurerm_mssql_server", "azurerm_container_registry", "azurerm_log_analytics_workspace",
      "azurerm_service_plan", "azurerm_linux_web_app", "azurerm_cosmosdb_account", "azurerm_redis_cache",
      "azurerm_eventhub_namespace", "azurerm_servicebus_namespace", "azurerm_application_gateway", "azurerm_lb",
      "azurerm_network_interface", "azurerm_managed_disk",
      "google_compute_instance", "google_storage_bucket", "google_compute_disk", "google_pubsub_topic",
      "google_pubsub_subscription", "google_bigquery_dataset", "google_bigquery_table", "google_redis_instance",
      "google_cloud_run_v2_service", "google_cloudfunctions2_function", "google_kms_crypto_key",
      "google_secret_manager_secret", "google_artifact_registry_repository"};
  return kTypes.contains(type);
}

// The cloud of a resource or provider type, "" for others.
std::string_view cloud_of(std::string_view type) {
  if (type == "aws" || type.starts_with("aws_")) return "aws";
  if (type == "azurerm" || type.starts_with("azurerm_")) return "azurerm";
  if (type == "google" || type == "google-beta" || type.starts_with("google_")) return "google";
  return {};
}

// Offset in `block` (a `{...}` block) of the value of top-level attribute
// `name` (`name = value`), or npos; nested blocks are skipped.
std::size_t attribute(std::string_view block, std::string_view name) {
  int depth = 0;
  bool line_start = true;
  for (std::size_t i = 0; i < block.size(); ++i) {
    const char c = block[i];
    if (c == '\n') {
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t') continue;
    if (depth == 1 && line_start && block.substr(i).starts_with(name)) {
      std::size_t j = i + name.size();
      while (j < block.size() && (block[j] == ' ' || block[j] == '\t')) ++j;
      if (j < block.size() && block[j] == '=' && (j + 1 >= block.size() || block[j + 1] != '=')) {
        ++j;
        while (j < block.size() && (block[j] == ' ' || block[j] == '\t')) ++j;
        return j;
      }
    }
    line_start = false;
    if (c == '"') {
      i = security::hcl_string_end(block, i);
    } else if (const std::size_t end = security::hcl_comment_end(block, i); end != i) {
      // The newline ending a line comment starts the next line.
      i = end < block.size() && block[end] == '\n' ? end - 1 : end;
    } else if (c == '{' || c == '[' || c == '(') {
      ++depth;
    } else if (c == '}' || c == ']' || c == ')') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// The nested block `name { ... }` at the top level of `block`, or nullopt.
std::optional<std::string_view> nested_block(std::string_view block, std::string_view name) {
  static const RE2 kOpen(R"((?m)^[ \t]*(\w+)[ \t]*\{)");
  re2::StringPiece input(block.data(), block.size()), word;
  while (RE2::FindAndConsume(&input, kOpen, &word)) {
    if (std::string_view(word.data(), word.size()) != name) continue;
    return security::hcl_block(block, static_cast<std::size_t>(word.data() - block.data()));
  }
  return std::nullopt;
}

// The keys of a literal map value (`{ Project = "shop", "Cost-Center" = "1" }`),
// or nullopt when the value is an expression (a variable, merge(), a for).
std::optional<std::vector<std::string>> literal_keys(std::string_view value) {
  if (!value.starts_with('{')) return std::nullopt;
  const auto map = security::hcl_block(value, 0);
  if (!map) return std::nullopt;
  const std::string_view body = map->substr(1, map->size() - 2);
  if (text::contains(body, "${") || text::contains(body, " for ") || text::contains(body, "...")) return std::nullopt;
  static const RE2 kKey(R"re(^\s*(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_.:/-]*))\s*[=:])re");
  std::vector<std::string> keys;
  for (std::string_view entry : text::split_lines(body))
    for (std::string_view part : text::split(entry, ',')) {
      std::string quoted, bare;
      if (RE2::PartialMatch(part, kKey, &quoted, &bare)) keys.push_back(quoted.empty() ? bare : quoted);
    }
  return keys;
}

// What a directory's providers add to every resource of one cloud: literal
// keys, or nullopt when some provider adds keys constable cannot read.
struct ProviderTags {
  bool declared = false;
  std::optional<std::set<std::string>> keys = std::set<std::string>{};  // intersection over the providers
};

class ResourceTaggingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    required_.clear();
    for (const constitution::Clause* clause : section) {
      if (clause->kind != constitution::ClauseKind::list_item && clause->kind != constitution::ClauseKind::standard_item)
        continue;
      // "Environment (dev/staging/prod)" -> "Environment".
      std::string label(text::trim(clause->text.substr(0, clause->text.find('('))));
      while (!label.empty() && (label.back() == '.' || label.back() == ':')) label.pop_back();
      const std::string key = normalise(label);
      if (key.empty()) continue;
      RequiredTag tag{label, {key}, clause};
      // "Project name" is the tag "Project"; "Environment" is often "env".
      const auto space = label.find(' ');
      if (space != std::string::npos && text::iequals(text::trim(label.substr(space + 1)), "name"))
        tag.accepted.push_back(normalise(label.substr(0, space)));
      if (key == "environment") tag.accepted.emplace_back("env");
      required_.push_back(std::move(tag));
    }
    if (required_.empty())
      return fail("cost/resource-tagging: the resource tagging clause lists no tags (expected a list such as "
                  "'Project name', 'Environment', 'Cost center', 'Owner')");
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (const RequiredTag& tag : required_) out.push_back(tag.clause);
    return out;
  }

  std::string bound_parameters() const override {
    std::string out = "tags:";
    for (std::size_t i = 0; i < required_.size(); ++i) out += fmt::format("{} {}", i == 0 ? "" : ",", required_[i].label);
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    // Provider tags by (directory, cloud).
    std::map<std::pair<std::string, std::string>, ProviderTags> providers;
    std::vector<const workspace::File*> files;
    static const RE2 kProvider(R"re((?m)^provider\s+"([\w-]+)"\s*\{)re");
    for (const workspace::File& file : repo.workspace().files) {
      if (!file.path.ends_with(".tf") || file.size > 1024 * 1024) continue;
      files.push_back(&file);
      const std::string_view content = testing::read_file(repo, file);
      re2::StringPiece input(content.data(), content.size()), type;
      while (RE2::FindAndConsume(&input, kProvider, &type)) {
        const std::string_view cloud = cloud_of(std::string_view(type.data(), type.size()));
        if (cloud.empty()) continue;
        // The match ends with the block's '{'.
        const auto block = security::hcl_block(content, static_cast<std::size_t>(input.data() - content.data()) - 1);
        ProviderTags& tags = providers[{std::string(text::dirname(file.path)), std::string(cloud)}];
        const bool first = !tags.declared;
        tags.declared = true;
        if (!block || !tags.keys) continue;
        std::optional<std::vector<std::string>> keys = std::vector<std::string>{};
        if (cloud == "aws") {
          if (const auto defaults = nested_block(*block, "default_tags")) {
            const std::size_t at = attribute(*defaults, "tags");
            keys = at == std::string_view::npos ? std::vector<std::string>{} : literal_keys(defaults->substr(at));
          }
        } else if (cloud == "google") {
          const std::size_t at = attribute(*block, "default_labels");
          if (at != std::string_view::npos) keys = literal_keys(block->substr(at));
        }
        if (!keys) {
          tags.keys.reset();
          continue;
        }
        std::set<std::string> these(keys->begin(), keys->end());
        if (first) {
          tags.keys = std::move(these);
        } else {
          std::set<std::string> common;
          std::set_intersection(tags.keys->begin(), tags.keys->end(), these.begin(), these.end(),
                                std::inserter(common, common.begin()));
          tags.keys = std::move(common);
        }
      }
    }
    static const RE2 kResource(R"re((?m)^resource\s+"(\w+)"\s+"([\w-]+)"\s*\{)re");
    for (const workspace::File* file : files) {
      const std::string_view content = testing::read_file(repo, *file);
      re2::StringPiece input(content.data(), content.size()), type_piece, name_piece;
      while (RE2::FindAndConsume(&input, kResource, &type_piece, &name_piece)) {
        const std::string_view type(type_piece.data(), type_piece.size());
        const std::string_view cloud = cloud_of(type);
        if (cloud.empty()) continue;
        const auto provider = providers.find({std::string(text::dirname(file->path)), std::string(cloud)});
        if (provider == providers.end() || !provider->second.keys) continue;  // a module, or unknown provider tags
        const std::size_t offset = static_cast<std::size_t>(type_piece.data() - content.data());
        // The match ends with the block's '{'.
        const auto block = security::hcl_block(content, static_cast<std::size_t>(input.data() - content.data()) - 1);
        if (!block) continue;
        const std::string_view attribute_name = cloud == "google" ? "labels" : "tags";
        const std::size_t at = attribute(*block, attribute_name);
        std::vector<std::string> keys(provider->second.keys->begin(), provider->second.keys->end());
        if (at != std::string_view::npos) {
          const auto own = literal_keys(block->substr(at));
          if (!own) continue;  // built from variables: not known here
          keys.insert(keys.end(), own->begin(), own->end());
        } else if (!carries_tags(type)) {
          continue;
        }
        std::vector<const RequiredTag*> missing;
        for (const RequiredTag& tag : required_)
          if (std::none_of(keys.begin(), keys.end(), [&](const std::string& key) { return matches(tag, key); }))
            missing.push_back(&tag);
        if (missing.empty()) continue;
        std::vector<std::string> labels;
        for (const RequiredTag* tag : missing) labels.push_back(text::to_lower(tag->label));
        std::string listed;
        for (std::size_t i = 0; i < labels.size(); ++i)
          listed += fmt::format("{}{}", i == 0 ? "" : (i + 1 == labels.size() ? " and " : ", "), labels[i]);
        const std::size_t block_offset = static_cast<std::size_t>(block->data() - content.data());
        const int line = testing::line_of(content, at != std::string_view::npos ? block_offset + at : offset);
        out.emit({.range = SourceRange::at_line(line),
                  .message = fmt::format("{}.{} has no {} tag{}{}", type, std::string_view(name_piece.data(), name_piece.size()),
                                         listed, missing.size() == 1 ? "" : "s",
                                         keys.empty() ? fmt::format(" (no {} at all)", attribute_name) : ""),
                  .path_override = file->path,
                  .anchor = fmt::format("{}.{}", type, std::string_view(name_piece.data(), name_piece.size())),
                  .clause = missing.size() == 1 ? missing.front()->clause : nullptr});
      }
    }
  }

 private:
  std::vector<RequiredTag> required_;
};

}  // namespace resource_tagging_check
}  // namespace

std::unique_ptr<engine::Check> make_resource_tagging_check() {
  return engine::make_check<resource_tagging_check::ResourceTaggingCheck>();
}

}  // namespace constable::checks::cost

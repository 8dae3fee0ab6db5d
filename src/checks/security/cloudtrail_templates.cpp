#include "checks/security/cloudtrail_templates.hpp"

#include "core/text.hpp"

namespace constable::checks::security {

namespace {

std::vector<TemplateTrail> find_trails(const engine::RepositoryContext& repo) {
  std::vector<TemplateTrail> out;
  for (const workspace::File& file : repo.workspace().files) {
    const std::string_view path = file.path;
    if (!(path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json") || path.ends_with(".template")) ||
        file.size > 4 * 1024 * 1024)
      continue;
    // A chart's templates and values are never CloudFormation: chart
    // repositories, where most files are, pay nothing for this check.
    const std::string_view name = text::basename(path);
    if (file.kind == FileKind::helm_template || name.starts_with("values") || name.starts_with("Chart.")) continue;
    const std::string* content = repo.text(file);
    if (content == nullptr || content->find("AWS::CloudTrail::Trail") == std::string::npos) continue;
    const yaml::Stream* stream = repo.yaml(file);
    if (stream == nullptr) continue;
    for (const yaml::Document& document : stream->documents) {
      const yaml::Node* resources = document.root != nullptr && document.root->is_mapping()
                                        ? document.root->get("Resources")
                                        : nullptr;
      if (resources == nullptr || !resources->is_mapping()) continue;
      for (const yaml::Entry& entry : resources->entries) {
        if (entry.value == nullptr || !entry.value->is_mapping()) continue;
        const yaml::Node* type = entry.value->get("Type");
        if (type == nullptr || type->str() != "AWS::CloudTrail::Trail") continue;
        const yaml::Node* properties = entry.value->get("Properties");
        out.push_back({&file, entry.key, properties != nullptr && properties->is_mapping() ? properties : nullptr});
      }
    }
  }
  return out;
}

}  // namespace

const std::vector<TemplateTrail>& cloudformation_trails(const engine::RepositoryContext& repo) {
  return engine::derived<std::vector<TemplateTrail>>(repo, "security/cloudformation-trails",
                                                      [&] { return find_trails(repo); });
}

std::optional<bool> template_bool(const yaml::Node* value) {
  if (value == nullptr || !value->is_scalar() || (!value->tag().empty() && !value->tag().starts_with("tag:yaml.org")))
    return std::nullopt;
  const std::string lower = text::to_lower(value->str());
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

}  // namespace constable::checks::security

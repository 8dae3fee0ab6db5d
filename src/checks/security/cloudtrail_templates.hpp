#pragma once
// The CloudTrail trails of the repository's CloudFormation (and SAM)
// templates: each `AWS::CloudTrail::Trail` resource with its properties, for
// the checks that read the same settings from Terraform.

#include <optional>
#include <string>
#include <vector>

#include "engine/check.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::security {

struct TemplateTrail {
  const workspace::File* file = nullptr;
  const yaml::Node* logical_id = nullptr;  // the resource's key
  const yaml::Node* properties = nullptr;  // null when it has none
};

// Every trail of every YAML or JSON template that names the type, found
// once per run and shared by the checks that ask.
const std::vector<TemplateTrail>& cloudformation_trails(const engine::RepositoryContext& repo);

// A property's literal boolean (true, "false"), nullopt when absent or set by
// an intrinsic function (!Ref, Fn::If) or a parameter.
std::optional<bool> template_bool(const yaml::Node* value);

}  // namespace constable::checks::security

#pragma once
// Small YAML helpers shared by the CI parsers.

#include <string>
#include <vector>

#include "formats/yaml/yaml.hpp"

namespace constable::ci {

// A scalar or a list of scalars ("build" or [build, test]) as strings;
// mappings in a list contribute their `job:` value (GitLab `needs`).
inline std::vector<std::string> scalar_list(const yaml::Node& node) {
  std::vector<std::string> out;
  if (node.is_scalar()) {
    if (!node.is_null()) out.emplace_back(node.value);
    return out;
  }
  for (const yaml::Node* item : node.items) {
    if (item->is_scalar() && !item->is_null()) out.emplace_back(item->value);
    else if (item->is_mapping())
      if (const auto* job = item->get("job"); job != nullptr && job->is_scalar()) out.emplace_back(job->value);
  }
  return out;
}

}  // namespace constable::ci

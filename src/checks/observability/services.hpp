#pragma once
// What the observability checks that judge services share: a service is a
// directory holding a dependency manifest, and a file belongs to the
// nearest such directory above it.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/text.hpp"

namespace constable::checks::observability {

// The service `path` belongs to: the entry of its nearest directory (or the
// repository root, "") in `services`; null when none encloses it.
template <class Service>
Service* enclosing_service(std::map<std::string, Service, std::less<>>& services, std::string_view path) {
  for (std::string_view dir = text::dirname(path);; dir = text::dirname(dir)) {
    if (auto it = services.find(dir); it != services.end()) return &it->second;
    if (dir.empty()) return nullptr;
  }
}

// Whether a lower-cased file name is a Dockerfile's.
inline bool is_dockerfile_name(std::string_view name) {
  return name == "dockerfile" || name.starts_with("dockerfile.") || name.ends_with(".dockerfile");
}

}  // namespace constable::checks::observability

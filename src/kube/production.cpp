#include "kube/production.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace constable::kube {

namespace {

bool is_production_word(std::string_view word) { return word == "prod" || word == "production"; }

}  // namespace

ProductionRules::ProductionRules(const engine::ProductionRules& configured) : configured_(configured) {}

std::string ProductionRules::values_environment(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  std::string_view stem = name;
  if (stem.ends_with(".yaml"))
    stem.remove_suffix(5);
  else if (stem.ends_with(".yml"))
    stem.remove_suffix(4);
  else
    return {};
  if (!stem.starts_with("values") || stem.size() < 8) return {};
  const char separator = stem[6];
  if (separator != '-' && separator != '.' && separator != '_') return {};
  return std::string(stem.substr(7));
}

std::optional<std::string> ProductionRules::for_path(std::string_view path) const {
  if (is_production_word(values_environment(path)))
    return fmt::format("'{}' is a production values file", text::basename(path));
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) break;  // the last segment is the file itself
    const std::string segment = text::to_lower(rest.substr(0, slash));
    if (is_production_word(segment))
      return fmt::format("it is under the '{}' directory",
                         path.substr(0, static_cast<std::size_t>(rest.data() - path.data()) + slash));
    rest.remove_prefix(slash + 1);
  }
  for (const auto& glob : configured_.paths)
    if (workspace::glob_matches(glob, path))
      return fmt::format("it matches production path '{}' in .constable.yaml", glob);
  return std::nullopt;
}

std::optional<std::string> ProductionRules::for_namespace(std::string_view name) const {
  const std::string lower = text::to_lower(name);
  std::string_view n = lower;
  for (const auto& configured : configured_.namespaces)
    if (text::to_lower(configured) == n) return fmt::format("namespace '{}' is production in .constable.yaml", name);
  bool production = is_production_word(n);
  for (std::string_view word : {"prod", "production"}) {
    production = production || (n.starts_with(word) && n.size() > word.size() && n[word.size()] == '-') ||
                 (n.ends_with(word) && n.size() > word.size() && n[n.size() - word.size() - 1] == '-');
  }
  if (production) return fmt::format("it is deployed to namespace '{}'", name);
  return std::nullopt;
}

}  // namespace constable::kube

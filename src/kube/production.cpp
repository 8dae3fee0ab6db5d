#include "kube/production.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/text.hpp"

namespace constable::kube {

namespace {

bool is_production_word(std::string_view word) { return word == "prod" || word == "production"; }

constexpr std::string_view kNonProductionWords[] = {
    "ci",      "demo", "dev",   "develop", "development", "e2e",  "kind",    "local", "minikube", "preview", "qa",
    "sandbox", "stage", "staging", "stg",   "test",        "testing", "uat"};

bool is_non_production_word(std::string_view word) {
  return std::find(std::begin(kNonProductionWords), std::end(kNonProductionWords), word) !=
         std::end(kNonProductionWords);
}

// "prod-eu", "shop-production", "prod": a namespace named for the word or
// prefixed/suffixed with it.
bool namespace_names(std::string_view name, bool (*is_word)(std::string_view)) {
  if (is_word(name)) return true;
  const auto dash = name.find('-');
  if (dash != std::string_view::npos && is_word(name.substr(0, dash))) return true;
  const auto last = name.rfind('-');
  return last != std::string_view::npos && is_word(name.substr(last + 1));
}

// The first directory of `path` (its last segment is the file) named for a word.
std::optional<std::string> directory_named(std::string_view path, bool (*is_word)(std::string_view)) {
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) break;
    if (is_word(text::to_lower(rest.substr(0, slash))))
      return fmt::format("it is under the '{}' directory",
                         path.substr(0, static_cast<std::size_t>(rest.data() - path.data()) + slash));
    rest.remove_prefix(slash + 1);
  }
  return std::nullopt;
}

// "namespace 'shop' is labelled environment=production" when one of the
// environment labels names an environment of that kind.
std::optional<std::string> labelled(std::string_view name, const yaml::Node* labels,
                                    bool (*is_word)(std::string_view)) {
  if (labels == nullptr || !labels->is_mapping()) return std::nullopt;
  for (const auto& entry : labels->entries) {
    const std::string_view key = entry.key->str();
    const auto slash = key.rfind('/');
    const std::string_view label = slash == std::string_view::npos ? key : key.substr(slash + 1);
    if (label != "environment" && label != "env" && label != "stage") continue;
    if (is_word(text::to_lower(entry.value->str())))
      return fmt::format("namespace '{}' is labelled {}={}", name, key, entry.value->str());
  }
  return std::nullopt;
}

}  // namespace

std::span<const std::string_view> non_production_words() { return kNonProductionWords; }

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
  if (auto reason = directory_named(path, is_production_word)) return reason;
  for (const auto& glob : configured_.paths)
    if (workspace::glob_matches(glob, path))
      return fmt::format("it matches production path '{}' in .constable.yaml", glob);
  return std::nullopt;
}

std::optional<std::string> ProductionRules::for_namespace(std::string_view name, const yaml::Node* labels) const {
  const std::string lower = text::to_lower(name);
  std::string_view n = lower;
  for (const auto& configured : configured_.namespaces)
    if (text::to_lower(configured) == n) return fmt::format("namespace '{}' is production in .constable.yaml", name);
  if (namespace_names(n, is_production_word)) return fmt::format("it is deployed to namespace '{}'", name);
  return labelled(name, labels, is_production_word);
}

std::optional<std::string> ProductionRules::non_production_for_path(std::string_view path) const {
  if (for_path(path)) return std::nullopt;
  if (is_non_production_word(values_environment(path)))
    return fmt::format("'{}' is a {} values file", text::basename(path), values_environment(path));
  return directory_named(path, is_non_production_word);
}

std::optional<std::string> ProductionRules::non_production_for_namespace(std::string_view name,
                                                                         const yaml::Node* labels) const {
  if (for_namespace(name, labels)) return std::nullopt;
  // A label says more than a name: `preview-42` labelled production is production.
  if (auto reason = labelled(name, labels, is_non_production_word)) return reason;
  if (namespace_names(text::to_lower(name), is_non_production_word))
    return fmt::format("it is deployed to namespace '{}'", name);
  return std::nullopt;
}

}  // namespace constable::kube

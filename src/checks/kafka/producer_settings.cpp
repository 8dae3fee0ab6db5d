#include "checks/kafka/producer_settings.hpp"

#include <charconv>

#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::kafka {

namespace {

// The key without the property's own words: `spring.kafka.producer.properties.` of
// `spring.kafka.producer.properties.retry.backoff.ms`.
std::string prefix_of(const ClientSetting& setting) {
  const std::string key = text::to_lower(setting.key);
  std::size_t words = 1;
  for (char c : setting.property)
    if (c == '.') ++words;
  std::size_t end = key.size();
  for (std::size_t i = 0; i < words && end > 0; ++i) {
    const std::size_t separator = key.find_last_of(".-_", end - 1);
    if (separator == std::string::npos) return "";
    end = separator;
  }
  // camelCase keys (`retryBackoffMs`) have fewer separators than words: what is left is still a prefix.
  std::string prefix = key.substr(0, end);
  // Spring's `spring.kafka.producer.properties.*` configure the same client as `spring.kafka.producer.*`.
  if (prefix.ends_with(".properties")) prefix.resize(prefix.size() - 11);
  return prefix;
}

int document_of(const engine::FileContext& file, int line) {
  const std::string path = text::to_lower(file.file().path);
  if (!path.ends_with(".yaml") && !path.ends_with(".yml")) return 0;
  for (const yaml::Document& document : file.yaml().documents)
    if (line >= document.start.line && line <= document.end.line) return document.index;
  return 0;
}

}  // namespace

std::optional<long long> whole_number(const std::string& value) {
  const std::string_view trimmed = text::trim(value);
  long long number = 0;
  const auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
  if (trimmed.empty() || error != std::errc() || end != trimmed.data() + trimmed.size()) return std::nullopt;
  return number;
}

namespace {

std::vector<ProducerGroup> read_producer_groups(const engine::FileContext& file) {
  std::vector<ProducerGroup> groups;
  if (text::to_lower(file.file().path).ends_with(".py")) {
    for (const CodeClient& client : code_clients(file)) {
      if (client.role != ClientRole::producer) continue;
      ProducerGroup group;
      for (const auto& [key, value] : client.values) {
        ClientSetting setting{.role = ClientRole::producer, .property = key, .key = key, .value = value,
                              .range = client.value_ranges.at(key)};
        group.settings.emplace(key, std::move(setting));
      }
      groups.push_back(std::move(group));
    }
    return groups;
  }
  std::map<std::pair<int, std::string>, ProducerGroup> by_client;
  for (const ClientSetting& setting : client_settings(file)) {
    if (setting.role != ClientRole::producer) continue;
    by_client[{document_of(file, setting.range.line), prefix_of(setting)}].settings.emplace(setting.property, setting);
  }
  for (auto& [client, group] : by_client) groups.push_back(std::move(group));
  return groups;
}

}  // namespace

const std::vector<ProducerGroup>& producer_groups(const engine::FileContext& file) {
  return engine::derived<std::vector<ProducerGroup>>(file, "kafka/producer-groups",
                                                     [&] { return read_producer_groups(file); });
}

}  // namespace constable::checks::kafka

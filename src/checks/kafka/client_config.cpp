#include "checks/kafka/client_config.hpp"

#include <algorithm>
#include <functional>

#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::kafka {

namespace {

struct Known {
  std::string_view normalized;  // the property with separators removed, lower-case
  std::string_view property;
  ClientRole role;
};
constexpr Known kKnown[] = {
    {"acks", "acks", ClientRole::producer},
    {"enableidempotence", "enable.idempotence", ClientRole::producer},
    {"enableautocommit", "enable.auto.commit", ClientRole::consumer},
    {"valueserializer", "value.serializer", ClientRole::producer},
    {"valuedeserializer", "value.deserializer", ClientRole::consumer},
    {"retries", "retries", ClientRole::producer},
    {"maxinflightrequestsperconnection", "max.in.flight.requests.per.connection", ClientRole::producer},
};

std::vector<std::string> words_of(std::string_view key) {
  std::vector<std::string> words;
  std::string word;
  for (char c : key) {
    if (c == '.' || c == '-' || c == '_' || c == '[' || c == ']' || c == '"' || c == '\'') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool is_placeholder(std::string_view value) {
  return value.empty() || value.find_first_of("${}<>%") != std::string_view::npos;
}

// The setting `key` names, if it is one of ours: its last words spell the
// property (`enable-auto-commit`, `enableAutoCommit`, `enable.auto.commit`);
// a prefixed key must be about Kafka and name the role it configures
// (`spring.kafka.producer.acks`); a bare one (`acks`) counts in a file that
// configures a Kafka client (`kafka_file`).
std::optional<ClientSetting> setting_of(std::string_view key, bool kafka_file) {
  const std::vector<std::string> words = words_of(key);
  if (words.empty()) return std::nullopt;
  for (const Known& known : kKnown) {
    std::string tail;
    std::size_t first = words.size();
    while (first > 0 && tail.size() < known.normalized.size()) tail = words[--first] + tail;
    if (tail != known.normalized) continue;
    const std::vector<std::string> prefix(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(first));
    if (prefix.empty()) {
      if (!kafka_file) return std::nullopt;
    } else {
      const bool about_kafka = std::find(prefix.begin(), prefix.end(), "kafka") != prefix.end();
      const std::string_view role_word = known.role == ClientRole::producer ? "producer" : "consumer";
      const std::string_view other_word = known.role == ClientRole::producer ? "consumer" : "producer";
      const auto role = std::find_if(prefix.begin(), prefix.end(),
                                     [&](const std::string& w) { return w.starts_with(role_word); });
      const auto other = std::find_if(prefix.begin(), prefix.end(),
                                      [&](const std::string& w) { return w.starts_with(other_word); });
      if (!about_kafka || role == prefix.end() || other != prefix.end()) return std::nullopt;
    }
    ClientSetting setting;
    setting.role = known.role;
    setting.property = std::string(known.property);
    setting.key = std::string(key);
    return setting;
  }
  return std::nullopt;
}

bool looks_like_kafka_client_file(std::string_view text) {
  return text.find("bootstrap.servers") != std::string_view::npos ||
         text.find("bootstrap-servers") != std::string_view::npos ||
         text.find("key.serializer") != std::string_view::npos ||
         text.find("value.serializer") != std::string_view::npos ||
         text.find("key.deserializer") != std::string_view::npos ||
         text.find("value.deserializer") != std::string_view::npos;
}

void from_properties(const engine::FileContext& file, std::vector<ClientSetting>& out) {
  const bool kafka_file = looks_like_kafka_client_file(file.text());
  const auto& lines = file.lines();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view raw = lines[i];
    const std::string_view line = text::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == '!') continue;
    const auto separator = line.find_first_of("=:");
    if (separator == std::string_view::npos) continue;
    const std::string_view key = text::trim(line.substr(0, separator));
    std::string_view value = text::trim(line.substr(separator + 1));
    auto setting = setting_of(key, kafka_file);
    if (!setting || is_placeholder(value)) continue;
    setting->value = std::string(value);
    const auto column = static_cast<int>(value.data() - raw.data()) + 1;
    setting->range = {static_cast<int>(i + 1), column, static_cast<int>(i + 1),
                      column + static_cast<int>(value.size())};
    out.push_back(std::move(*setting));
  }
}

void from_yaml(const engine::FileContext& file, std::vector<ClientSetting>& out) {
  const bool kafka_file = looks_like_kafka_client_file(file.text());
  std::function<void(const yaml::Node*, const std::string&, int)> walk = [&](const yaml::Node* node,
                                                                              const std::string& path, int depth) {
    if (node == nullptr || depth > 32) return;
    if (node->is_mapping()) {
      for (const auto& entry : node->entries) {
        if (!entry.key->is_scalar()) continue;
        walk(entry.value, path.empty() ? entry.key->value : path + "." + entry.key->value, depth + 1);
      }
      return;
    }
    if (node->is_sequence()) {
      // Compose's `environment: [SPRING_KAFKA_PRODUCER_ACKS=1]`.
      for (const yaml::Node* item : node->items) {
        if (!item->is_scalar()) continue;
        const auto eq = item->value.find('=');
        if (eq == std::string::npos || item->start.line != item->end.line) continue;
        auto setting = setting_of(path + "." + item->value.substr(0, eq), false);
        const std::string value = item->value.substr(eq + 1);
        if (!setting || is_placeholder(value)) continue;
        setting->key = item->value.substr(0, eq);
        setting->value = value;
        const int quote = item->style == yaml::ScalarStyle::plain ? 0 : 1;
        const int column = item->start.column + quote + static_cast<int>(eq) + 1;
        setting->range = {item->start.line, column, item->start.line, column + static_cast<int>(value.size())};
        out.push_back(std::move(*setting));
      }
      return;
    }
    if (node->is_null()) return;
    auto setting = setting_of(path, kafka_file);
    if (!setting || is_placeholder(node->value)) return;
    setting->value = node->value;
    setting->range = {node->start.line, node->start.column, node->start.line,
                      node->end.line == node->start.line ? node->end.column : 0};
    out.push_back(std::move(*setting));
  };
  for (const auto& document : file.yaml().documents) {
    const yaml::Node* root = document.root;
    // Kubernetes objects carry client settings only inside embedded files, which are not read.
    if (root == nullptr || (root->is_mapping() && root->get("kind") != nullptr && root->get("apiVersion") != nullptr))
      continue;
    walk(root, "", 0);
  }
}

}  // namespace

bool may_hold_client_settings(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  return name.ends_with(".properties") || name.ends_with(".yaml") || name.ends_with(".yml");
}

std::vector<ClientSetting> client_settings(const engine::FileContext& file) {
  std::vector<ClientSetting> out;
  const std::string_view path = file.file().path;
  if (!may_hold_client_settings(path)) return out;
  const std::string_view text = file.text();
  // A cheap test first: every setting read has one of these words in its key.
  const bool mentions = text::icontains(text, "acks") || text::icontains(text, "idempotence") ||
                        text::icontains(text, "retries") || text::icontains(text, "in-flight") ||
                        text::icontains(text, "serializer") ||
                        text::icontains(text, "in.flight") || text::icontains(text, "inflight") ||
                        text::icontains(text, "auto.commit") || text::icontains(text, "auto-commit") ||
                        text::icontains(text, "autocommit") || text::icontains(text, "auto_commit");
  if (!mentions) return out;
  if (text::to_lower(path).ends_with(".properties")) {
    from_properties(file, out);
  } else {
    from_yaml(file, out);
  }
  return out;
}

}  // namespace constable::checks::kafka

#include "checks/kafka/client_config.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/literals.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/provenance.hpp"

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
    {"retrybackoffms", "retry.backoff.ms", ClientRole::producer},
    {"retrybackoffmaxms", "retry.backoff.max.ms", ClientRole::producer},
    {"partitionerclass", "partitioner.class", ClientRole::producer},
    {"partitionerignorekeys", "partitioner.ignore.keys", ClientRole::producer},
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
  for (const std::string_view key : {"bootstrap.servers", "bootstrap-servers", "key.serializer", "value.serializer",
                                     "key.deserializer", "value.deserializer"})
    if (text::contains(text, key)) return true;
  return false;
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
        walk(entry.value, path.empty() ? std::string(entry.key->value) : fmt::format("{}.{}", path, entry.key->value),
             depth + 1);
      }
      return;
    }
    if (node->is_sequence()) {
      // Compose's `environment: [SPRING_KAFKA_PRODUCER_ACKS=1]`.
      for (const yaml::Node* item : node->items) {
        if (!item->is_scalar()) continue;
        const auto eq = item->value.find('=');
        if (eq == std::string::npos || item->start.line != item->end.line) continue;
        auto setting = setting_of(fmt::format("{}.{}", path, item->value.substr(0, eq)), false);
        const std::string value(item->value.substr(eq + 1));
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

// A Python dict literal's top-level entries from `open` (its `{`): key ->
// (value text, value offset); nullopt when a key is not a string literal, the
// dict spreads another (`**defaults`) or does not close.
struct DictEntry {
  std::string key;
  std::string value;
  std::size_t value_offset = 0;
};
std::optional<std::vector<DictEntry>> python_dict(std::string_view text, std::size_t open) {
  std::vector<DictEntry> entries;
  std::size_t i = open + 1;
  auto skip_space = [&] {
    while (i < text.size()) {
      if (text[i] == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
      } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
        ++i;
      } else {
        break;
      }
    }
  };
  auto string_end = [&](std::size_t at) -> std::size_t {  // past the closing quote, or npos
    const char quote = text[at];
    for (std::size_t k = at + 1; k < text.size(); ++k) {
      if (text[k] == '\\') ++k;
      else if (text[k] == quote) return k + 1;
      else if (text[k] == '\n') return std::string_view::npos;
    }
    return std::string_view::npos;
  };
  while (true) {
    skip_space();
    if (i >= text.size()) return std::nullopt;
    if (text[i] == '}') return entries;
    if (text[i] != '\'' && text[i] != '"') return std::nullopt;  // a computed key or `**spread`
    const std::size_t key_end = string_end(i);
    if (key_end == std::string_view::npos) return std::nullopt;
    DictEntry entry;
    entry.key = std::string(text.substr(i + 1, key_end - i - 2));
    i = key_end;
    skip_space();
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    skip_space();
    entry.value_offset = i;
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '\'' || c == '"') {
        const std::size_t end = string_end(i);
        if (end == std::string_view::npos) return std::nullopt;
        i = end;
        continue;
      }
      if (c == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      }
      if (c == ',' && depth == 0) break;
      ++i;
    }
    if (i >= text.size()) return std::nullopt;
    entry.value = std::string(text::trim(text.substr(entry.value_offset, i - entry.value_offset)));
    entries.push_back(std::move(entry));
    if (text[i] == ',') ++i;
  }
}

SourceRange range_at(std::string_view text, std::size_t offset, std::size_t length) {
  const std::string_view before = text.substr(0, offset);
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const auto line_start = before.rfind('\n');
  const int column = static_cast<int>(offset - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
  return {line, column, line, column + static_cast<int>(length)};
}

// confluent-kafka's Producer and Consumer (and their serializing variants) built from a dict
// literal, inline or assigned to a name earlier in the file.
void from_python(const engine::FileContext& file, std::vector<ClientSetting>& out,
                 std::vector<CodeClient>* clients) {
  const std::string_view text = file.text();
  if (text.find("confluent_kafka") == std::string_view::npos) return;
  static constexpr std::pair<std::string_view, ClientRole> kConstructors[] = {
      {"SerializingProducer", ClientRole::producer}, {"DeserializingConsumer", ClientRole::consumer},
      {"Producer", ClientRole::producer}, {"Consumer", ClientRole::consumer}};
  auto identifier_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (const auto& [constructor, role] : kConstructors) {
    for (std::size_t at = text.find(constructor); at != std::string_view::npos;
         at = text.find(constructor, at + constructor.size())) {
      const std::size_t after = at + constructor.size();
      // The whole word (not AdminProducer, not producer_config), and not a class definition or import.
      if (at > 0 && identifier_char(text[at - 1])) continue;
      if (after >= text.size() || identifier_char(text[after])) continue;
      const auto line_start = text.rfind('\n', at);
      const std::string_view line_head =
          text::trim(text.substr(line_start == std::string_view::npos ? 0 : line_start + 1,
                                 at - (line_start == std::string_view::npos ? 0 : line_start + 1)));
      if (line_head.starts_with("class ") || line_head.starts_with("def ") || line_head.starts_with("#") ||
          line_head.starts_with("from ") || line_head.starts_with("import "))
        continue;
      std::size_t i = after;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i >= text.size() || text[i] != '(') continue;
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
      std::size_t open = std::string_view::npos;
      if (i < text.size() && text[i] == '{') {
        open = i;
      } else {
        // `Producer(conf)`: the dict literal last assigned to that name before the call.
        std::size_t end = i;
        while (end < text.size() && identifier_char(text[end])) ++end;
        if (end == i) continue;
        std::size_t close = end;
        while (close < text.size() && (text[close] == ' ' || text[close] == '\n')) ++close;
        if (close >= text.size() || text[close] != ')') continue;  // more arguments: not judged
        const std::string name(text.substr(i, end - i));
        for (std::size_t a = text.rfind(name, at); a != std::string_view::npos && a > 0;
             a = text.rfind(name, a - 1)) {
          if (identifier_char(text[a - 1]) || a + name.size() >= text.size() ||
              identifier_char(text[a + name.size()]))
            continue;
          std::size_t k = a + name.size();
          while (k < text.size() && text[k] == ' ') ++k;
          if (k + 1 < text.size() && text[k] == '=' && text[k + 1] != '=') {
            ++k;
            while (k < text.size() && text[k] == ' ') ++k;
            // A dict changed between its literal and the call (`conf.update(...)`, `conf[key] = ...`)
            // holds keys nobody can read here.
            const std::string_view between = text.substr(k, at - k);
            const bool changed = between.find(name + ".update(") != std::string_view::npos ||
                                 between.find(name + "[") != std::string_view::npos ||
                                 between.find(name + ".setdefault(") != std::string_view::npos ||
                                 between.find(name + " |=") != std::string_view::npos;
            if (k < text.size() && text[k] == '{' && !changed) open = k;
            break;  // the last assignment decides, dict literal or not
          }
        }
      }
      if (open == std::string_view::npos) continue;
      const auto entries = python_dict(text, open);
      if (!entries) continue;
      CodeClient client{role, "confluent-kafka", std::string(constructor),
                        range_at(text, at, constructor.size()), {}, {}};
      for (const auto& entry : *entries) {
        std::string value = entry.value;
        const bool quoted =
            value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front();
        const bool number = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
          return (c >= '0' && c <= '9') || c == '-';
        });
        const bool bare_literal = value == "True" || value == "False" || number;
        if (quoted) value = value.substr(1, value.size() - 2);
        const bool known = quoted || bare_literal;
        const SourceRange value_range = range_at(text, entry.value_offset, entry.value.size());
        client.values[entry.key] = known ? text::to_lower(value) : std::string();
        client.value_ranges[entry.key] = value_range;
        auto setting = setting_of(entry.key, true);
        if (!setting || setting->role != role || !known) continue;
        setting->value = text::to_lower(value);
        setting->range = value_range;
        out.push_back(std::move(*setting));
      }
      if (clients != nullptr) clients->push_back(std::move(client));
    }
  }
}

// A JavaScript object literal's top-level properties from `open` (its `{`):
// nullopt when one is spread (`...defaults`) or computed, or the literal does
// not close. Values are kept as written.
std::optional<std::vector<DictEntry>> js_object(std::string_view text, std::size_t open) {
  std::vector<DictEntry> entries;
  std::size_t i = open + 1;
  auto skip_space_and_comments = [&] {
    while (i < text.size()) {
      if (text.substr(i).starts_with("//")) {
        while (i < text.size() && text[i] != '\n') ++i;
      } else if (text.substr(i).starts_with("/*")) {
        const auto end = text.find("*/", i + 2);
        i = end == std::string_view::npos ? text.size() : end + 2;
      } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
        ++i;
      } else {
        break;
      }
    }
  };
  auto string_end = [&](std::size_t at) -> std::size_t {
    const char quote = text[at];
    for (std::size_t k = at + 1; k < text.size(); ++k) {
      if (text[k] == '\\') ++k;
      else if (text[k] == quote) return k + 1;
    }
    return std::string_view::npos;
  };
  auto identifier_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  };
  while (true) {
    skip_space_and_comments();
    if (i >= text.size()) return std::nullopt;
    if (text[i] == '}') return entries;
    DictEntry entry;
    if (text[i] == '\'' || text[i] == '"') {
      const std::size_t end = string_end(i);
      if (end == std::string_view::npos) return std::nullopt;
      entry.key = std::string(text.substr(i + 1, end - i - 2));
      i = end;
    } else if (identifier_char(text[i])) {
      const std::size_t start = i;
      while (i < text.size() && identifier_char(text[i])) ++i;
      entry.key = std::string(text.substr(start, i - start));
    } else {
      return std::nullopt;  // `...spread` or `[computed]`
    }
    skip_space_and_comments();
    if (i < text.size() && (text[i] == ',' || text[i] == '}')) {  // shorthand `{ idempotent }`: a variable
      entry.value_offset = i;
      entries.push_back(std::move(entry));
      if (text[i] == ',') ++i;
      continue;
    }
    if (i >= text.size() || text[i] != ':') {
      // A method (`eachMessage(...) {}`): skip its parameters and body.
      int depth = 0;
      while (i < text.size()) {
        if (text[i] == '(' || text[i] == '{') ++depth;
        if (text[i] == ')' || text[i] == '}') {
          if (depth == 0) break;
          if (--depth == 0 && text[i] == '}') {
            ++i;
            break;
          }
        }
        ++i;
      }
      entry.value_offset = i;
      entries.push_back(std::move(entry));
      skip_space_and_comments();
      if (i < text.size() && text[i] == ',') ++i;
      continue;
    }
    ++i;
    skip_space_and_comments();
    entry.value_offset = i;
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '\'' || c == '"' || c == '`') {
        const std::size_t end = string_end(i);
        if (end == std::string_view::npos) return std::nullopt;
        i = end;
        continue;
      }
      if (text.substr(i).starts_with("//")) {
        while (i < text.size() && text[i] != '\n') ++i;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      }
      if (c == ',' && depth == 0) break;
      ++i;
    }
    if (i >= text.size()) return std::nullopt;
    entry.value = std::string(text::trim(text.substr(entry.value_offset, i - entry.value_offset)));
    entries.push_back(std::move(entry));
    if (text[i] == ',') ++i;
  }
}

// kafkajs: `<kafka>.producer({...})` (or `()`), and a consumer's `.run({...})`
// (its object names eachMessage or eachBatch, which is how kafkajs's run is told
// from any other).
void from_kafkajs(const engine::FileContext& file, std::vector<CodeClient>& clients) {
  const std::string_view text = file.text();
  if (text.find("kafkajs") == std::string_view::npos) return;
  auto literal_value = [](const std::string& value) -> std::string {
    if (value == "true" || value == "false") return value;
    if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return value;
    return {};
  };
  for (const auto& [method, role] : {std::pair{std::string_view(".producer("), ClientRole::producer},
                                     std::pair{std::string_view(".run("), ClientRole::consumer}}) {
    for (std::size_t at = text.find(method); at != std::string_view::npos; at = text.find(method, at + 1)) {
      std::size_t i = at + method.size();
      while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
      std::vector<DictEntry> entries;
      if (i < text.size() && text[i] == ')') {
        if (role == ClientRole::consumer) continue;  // `run()` with nothing to run is not kafkajs's
      } else if (i < text.size() && text[i] == '{') {
        auto parsed = js_object(text, i);
        if (!parsed) continue;
        entries = std::move(*parsed);
      } else {
        continue;  // a configuration from elsewhere: not judged
      }
      if (role == ClientRole::consumer &&
          std::none_of(entries.begin(), entries.end(), [](const DictEntry& e) {
            return e.key == "eachMessage" || e.key == "eachBatch";
          }))
        continue;
      const std::string_view name = method.substr(1, method.size() - 2);
      CodeClient client{role, "kafkajs", std::string(name), range_at(text, at + 1, name.size()), {}, {}};
      for (const auto& entry : entries) {
        client.values[entry.key] = literal_value(entry.value);
        client.value_ranges[entry.key] = range_at(text, entry.value_offset, entry.value.size());
      }
      clients.push_back(std::move(client));
    }
  }
}

bool is_script_source(std::string_view lower_name) {
  for (std::string_view ext : {".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"})
    if (lower_name.ends_with(ext)) return !lower_name.ends_with(".d.ts");
  return false;
}

}  // namespace

bool is_client_source(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  return name.ends_with(".py") || is_script_source(name);
}

bool may_hold_client_settings(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  return name.ends_with(".properties") || name.ends_with(".yaml") || name.ends_with(".yml") ||
         is_client_source(path);
}

namespace {

std::vector<ClientSetting> read_client_settings(const engine::FileContext& file) {
  std::vector<ClientSetting> out;
  const std::string_view path = file.file().path;
  if (!may_hold_client_settings(path) || workspace::is_test_source(path) || workspace::is_test_artifact(path))
    return out;
  // A chart template is no YAML until rendered (parsing it reports its `{{`
  // as a syntax error), and what it renders is objects, whose settings live
  // in embedded files that are not read.
  if (file.file().kind == FileKind::helm_template) return out;
  const std::string_view text = file.text();
  // A cheap test first: every setting read has one of these words in its key.
  // One pass of one automaton, not a scan per word: this runs on every YAML
  // file of a repository (64 MB on bitnami/charts), once per Kafka check.
  // `acks` and `retries` as words only: "stacks", "maxRetries" are common.
  static const RE2 kMentions(
      R"re((?i)(?:\b|_)acks(?:\b|_)|idempotence|(?:\b|_)retries(?:\b|_)|in[-._]?flight|serializer|auto[-._]?commit|backoff|partitioner)re");
  // Each of its words holds one of these, in any case: one literal pass
  // first skips the three quarters of a chart repository's YAML with none.
  static const text::Literals kStems(
      {"acks", "idempotence", "retries", "flight", "serializer", "commit", "backoff", "partitioner"},
      text::Literals::Case::insensitive);
  if (!kStems.any_in(text) || !RE2::PartialMatch(text, kMentions)) return out;
  if (text::to_lower(path).ends_with(".properties")) {
    from_properties(file, out);
  } else if (text::to_lower(path).ends_with(".py")) {
    from_python(file, out, nullptr);
  } else if (is_client_source(path)) {
    return out;  // kafkajs clients are judged as clients (code_clients), not as settings
  } else {
    from_yaml(file, out);
  }
  return out;
}

}  // namespace

const std::vector<ClientSetting>& client_settings(const engine::FileContext& file) {
  return engine::derived<std::vector<ClientSetting>>(file, "kafka/client-settings",
                                                     [&] { return read_client_settings(file); });
}

std::vector<CodeClient> code_clients(const engine::FileContext& file) {
  std::vector<CodeClient> clients;
  const std::string_view path = file.file().path;
  // Tests build clients against mocks and test brokers with whatever a case needs.
  if (!is_client_source(path) || workspace::is_test_source(path) || workspace::is_test_artifact(path))
    return clients;
  if (text::to_lower(path).ends_with(".py")) {
    std::vector<ClientSetting> settings;
    from_python(file, settings, &clients);
  } else {
    from_kafkajs(file, clients);
  }
  return clients;
}

}  // namespace constable::checks::kafka

// kafka/consumer-groups: "Consumer groups MUST be used for horizontal scaling".
// A Kafka consumer joins a consumer group that every instance of the service
// shares: a consumer without one, or with a group made unique per process,
// cannot share the partitions with its replicas.

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <set>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "code/model.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/provenance.hpp"

namespace constable::checks::kafka {

namespace {
namespace consumer_groups_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/consumer-groups",
    .domain = "kafka",
    .nature = Nature::reliability,
    .summary = "Give every Kafka consumer a consumer group its replicas share",
    .rationale =
        "Kafka spreads a topic's partitions over the members of a consumer group: adding an instance of the "
        "service takes work off the others. A consumer outside any group reads partitions it assigns itself "
        "and commits no offsets to the broker; a consumer whose group is unique per process (a UUID, a random "
        "number, the time, the host name or process id in the group id) is alone in its group, so every "
        "replica reads every message and adding replicas multiplies the work instead of dividing it. The check "
        "reports aiokafka's AIOKafkaConsumer and kafka-python's KafkaConsumer made without group_id (or with "
        "None); confluent-kafka consumers whose configuration, a dict literal of the same file, has no "
        "group.id; kafkajs consumers whose `kafka.consumer({...})` has no groupId; group ids of any of these "
        "made unique per process; Spring Cloud Stream input bindings (`<name>-in-<n>`, `input`) of the Kafka "
        "binder with a destination and no group (nor `spring.cloud.stream.default.group`), which get an anonymous "
        "group of their own (the Kafka Streams binder is not judged: its application id defaults to one every "
        "instance shares; nor a binding whose binder the file does not show to be Kafka's); and Dapr Kafka pub/sub and binding components whose consumerGroup or consumerID is "
        "`{uuid}`, `{podName}` or the host name. A Dapr pub/sub component without consumerGroup is not a "
        "finding: Dapr then uses the app id, shared by every replica. Java clients configured in code and "
        "Spring Kafka listeners (whose group may be the @KafkaListener's) are not judged; configurations a "
        "program builds elsewhere (`Consumer(load_config())`, `**settings`) are not guessed.",
    .remediation =
        "Set a group id named after the service (`group_id=\"orders-service\"`, `groupId: 'orders-service'`, "
        "`spring.cloud.stream.bindings.process-in-0.group=orders-service`, Dapr's `consumerGroup: "
        "\"{appID}\"`) and the same in every replica; a consumer that must see every message (a cache "
        "invalidator) still needs a stable group per purpose, not one per process.",
    .bad_example = "consumer = AIOKafkaConsumer(\"orders.order.created\", bootstrap_servers=\"kafka:9092\")\n",
    .good_example = "consumer = AIOKafkaConsumer(\n    \"orders.order.created\", bootstrap_servers=\"kafka:9092\", "
                    "group_id=\"orders-service\",\n    enable_auto_commit=False,\n)\n",
    .parameters = "",
    .clause = {.section = "kafka|consumer", .text = R"(consumer.?groups?)"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka consumers are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

// A group id written so that it differs per process: each replica alone in its group.
std::string_view per_process(std::string_view value) {
  static const RE2 pattern(
      R"re((?i)(uuid|random|randint|nanoid|Date\.now|time\.time|time_ns|perf_counter|hostname|gethostname|getpid|process\.pid|\{podName\}))re");
  re2::StringPiece what;
  if (!RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), pattern, &what)) return {};
  return {what.data(), what.size()};
}

std::string_view text_at(const engine::FileContext& file, const SourceRange& range) {
  const auto& lines = file.lines();
  if (range.line <= 0 || static_cast<std::size_t>(range.line) > lines.size()) return {};
  const std::string_view line = lines[static_cast<std::size_t>(range.line - 1)];
  const auto start = static_cast<std::size_t>(std::max(range.column - 1, 0));
  if (start >= line.size()) return {};
  const std::size_t end = range.end_line == range.line && range.end_column > range.column
                              ? static_cast<std::size_t>(range.end_column - 1)
                              : line.size();
  return line.substr(start, std::min(end, line.size()) - start);
}

void report_unique(engine::Emitter& out, const SourceRange& range, std::string_view who, std::string_view key,
                   std::string_view value, std::string_view what) {
  out.report(range,
             fmt::format("{} of {} is {}, unique per process ({}): every replica is alone in its group and reads "
                         "every partition, so adding instances does not share the work",
                         key, who, text::shorten(text::trim(value), 80), what),
             std::string(who) + " " + std::string(key));
}

// aiokafka and kafka-python: the group is a keyword argument.
void check_python_consumers(const engine::FileContext& file, engine::Emitter& out) {
  const std::string_view text = file.text();
  if (!text::contains(text, "KafkaConsumer")) return;
  const code::Module* module = file.code();
  if (module == nullptr) return;
  for (const code::Call& call : module->calls) {
    const std::string qualified = module->qualified(call.callee);
    std::string_view library;
    if (qualified == "aiokafka.AIOKafkaConsumer" || qualified == "aiokafka.consumer.AIOKafkaConsumer")
      library = "aiokafka";
    else if (qualified == "kafka.KafkaConsumer" || qualified == "kafka.consumer.KafkaConsumer")
      library = "kafka-python";
    else
      continue;
    const std::string who = fmt::format("{} {}", library, call.method());
    // A consumer given no topic and never subscribed or assigned only reads metadata (`topics()`).
    const bool consumes = call.positional(0) != nullptr || text::contains(text, ".subscribe(") ||
                          text::contains(text, ".assign(");
    const code::Argument* group = call.keyword("group_id");
    if (group == nullptr) {
      // `**config` may hold it.
      const bool spread = std::any_of(call.arguments.begin(), call.arguments.end(), [](const code::Argument& a) {
        return a.keyword.empty() && a.text.starts_with("**");
      });
      if (spread || !consumes) continue;
      out.report(call.range,
                 fmt::format("{} is made without group_id: it joins no consumer group, so its replicas cannot "
                             "share the partitions and no offsets are committed to Kafka",
                             who),
                 who + " group_id");
      continue;
    }
    if (text::trim(group->text) == "None") {
      out.report(group->range,
                 fmt::format("group_id of {} is None: it joins no consumer group, so its replicas cannot share "
                             "the partitions and no offsets are committed to Kafka",
                             who),
                 who + " group_id");
      continue;
    }
    if (const std::string_view what = per_process(group->text); !what.empty())
      report_unique(out, group->range, who, "group_id", group->text, what);
  }
}

// kafkajs: `kafka.consumer({ groupId })`.
void check_kafkajs_consumers(const engine::FileContext& file, engine::Emitter& out) {
  const std::string_view text = file.text();
  if (!text::contains(text, "kafkajs") || !text::contains(text, ".consumer(")) return;
  const code::Module* module = file.code();
  if (module == nullptr || !module->imports_module("kafkajs")) return;
  static const RE2 group_value(R"re((?s)(?:^|[{,\s])["']?groupId["']?\s*:\s*(.+?)\s*(?:,\s*[A-Za-z_"'\[.]|\}$))re");
  static const RE2 group_key(R"re((?:^|[{,\s])["']?groupId\b)re");
  for (const code::Call& call : module->calls) {
    if (call.method() != "consumer" || call.callee.find('.') == std::string::npos) continue;
    const code::Argument* options = call.positional(0);
    if (options == nullptr) continue;
    const std::string_view object = text::trim(options->text);
    if (!object.starts_with("{")) continue;  // options from elsewhere: not judged
    const std::string who = "kafkajs consumer";
    re2::StringPiece captured;
    if (RE2::PartialMatch(re2::StringPiece(object.data(), object.size()), group_value, &captured)) {
      const std::string_view value(captured.data(), captured.size());
      if (const std::string_view what = per_process(value); !what.empty())
        report_unique(out, options->range, who, "groupId", value, what);
      continue;
    }
    if (RE2::PartialMatch(object, group_key) || text::contains(object, "...")) continue;
    out.report(options->range,
               "kafkajs consumer is made without groupId: it joins no consumer group, so its replicas cannot share "
               "the partitions",
               who + " groupId");
  }
}

// confluent-kafka: the configuration dict literal.
void check_confluent_consumers(const engine::FileContext& file, engine::Emitter& out) {
  if (!text::contains(file.text(), "confluent_kafka")) return;
  for (const auto& client : code_clients(file)) {
    if (client.role != ClientRole::consumer || client.library != "confluent-kafka") continue;
    const std::string who = fmt::format("confluent-kafka {}", client.constructor);
    const auto group = client.value_ranges.find("group.id");
    if (group == client.value_ranges.end()) {
      out.report(client.range,
                 fmt::format("{} is made without group.id: it joins no consumer group, so its replicas cannot "
                             "share the partitions",
                             who),
                 who + " group.id");
      continue;
    }
    const std::string_view value = text_at(file, group->second);
    if (const std::string_view what = per_process(value); !what.empty())
      report_unique(out, group->second, who, "group.id", value, what);
  }
}

// Spring Cloud Stream: an input binding of the Kafka binder without a group
// gets an anonymous one per instance. The Kafka Streams binder is not judged:
// its application id, a group for every instance, defaults to a static one.
struct Binding {
  SourceRange destination{};
  std::string destination_value;
  std::string binder;  // as the binding names it, "" for the default binder
  bool has_group = false;
};

struct StreamSettings {
  std::map<std::string, Binding> bindings;
  std::map<std::string, std::string> binder_types;  // binder name -> type ("kafka", "kstream", "rabbit")
  std::string default_binder;
  bool default_group = false;
  bool kafka_binder = false;  // the message-channel Kafka binder is configured (spring.cloud.stream.kafka.binder.*)
  bool kafka_streams = false; // the Kafka Streams binder is configured
};

bool is_input_binding(std::string_view name) {
  static const RE2 functional(R"re(.+-in-\d+)re");
  return name == "input" || RE2::FullMatch(name, functional);
}

void collect_flat(std::string_view key, std::string_view value, const SourceRange& range, StreamSettings& settings) {
  const std::string lower = text::to_lower(key);
  // Relaxed binding: `default-binder`, `defaultBinder`, `default_binder` are one key.
  std::string folded;
  for (char c : lower)
    if (c != '-' && c != '_') folded += c;
  if (text::contains(folded, ".kafka.streams.")) settings.kafka_streams = true;
  static constexpr std::string_view kPrefix = "spring.cloud.stream.";
  if (!lower.starts_with(kPrefix)) return;
  const std::string_view rest = std::string_view(lower).substr(kPrefix.size());
  const std::string_view folded_rest = std::string_view(folded).substr(kPrefix.size());
  value = text::trim(value);
  if (folded_rest.starts_with("kafka.binder.")) settings.kafka_binder = true;
  if (folded_rest == "defaultbinder") settings.default_binder = text::to_lower(value);
  if (folded_rest == "default.group") {
    settings.default_group = !value.empty();
    return;
  }
  if (rest.starts_with("binders.")) {
    const std::string_view tail = rest.substr(8);
    const auto dot = tail.find('.');
    if (dot != std::string_view::npos && tail.substr(dot + 1) == "type")
      settings.binder_types[text::to_lower(key.substr(kPrefix.size() + 8, dot))] = text::to_lower(value);
    return;
  }
  if (!rest.starts_with("bindings.")) return;
  const std::string_view tail = rest.substr(9);
  const auto dot = tail.rfind('.');
  if (dot == std::string_view::npos) return;
  const std::string name(key.substr(kPrefix.size() + 9, dot));
  const std::string_view property = tail.substr(dot + 1);
  if (property == "destination") {
    Binding& binding = settings.bindings[name];
    binding.destination = range;
    binding.destination_value = std::string(value);
  } else if (property == "group" && !value.empty()) {
    settings.bindings[name].has_group = true;
  } else if (property == "binder") {
    settings.bindings[name].binder = text::to_lower(value);
  }
}

// Whether the binding's messages come through the Kafka (message-channel) binder.
bool kafka_binding(const Binding& binding, const StreamSettings& settings) {
  const std::string binder = binding.binder.empty() ? settings.default_binder : binding.binder;
  if (binder.empty()) {
    // The one binder there is; with several and no default, Spring asks for one.
    if (settings.binder_types.size() == 1) return settings.binder_types.begin()->second == "kafka";
    return settings.binder_types.empty() && settings.kafka_binder && !settings.kafka_streams;
  }
  const auto type = settings.binder_types.find(binder);
  if (type != settings.binder_types.end()) return type->second == "kafka";
  return binder == "kafka";
}

// The words the Spring Cloud Stream and Dapr readers below look for, found
// in one pass over a file for both.
const text::Literals& configuration_signs() {
  static const text::Literals kSigns{"spring", "destination", "bindings", ".kafka", "consumer"};
  return kSigns;
}

void check_spring_cloud_stream(const engine::FileContext& file, const text::Literals::Found& signs,
                               engine::Emitter& out) {
  const std::string_view text = file.text();
  // Spring configuration names all three (`destination` alone is common in Istio and Argo CD charts).
  if (!signs.has("spring") || !signs.has("destination") || !signs.has("bindings") || !text::icontains(text, "kafka"))
    return;
  StreamSettings settings;
  const std::string lower_path = text::to_lower(file.file().path);
  if (lower_path.ends_with(".properties")) {
    const auto& lines = file.lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = text::trim(lines[i]);
      if (line.empty() || line.front() == '#' || line.front() == '!') continue;
      const auto separator = line.find_first_of("=:");
      if (separator == std::string_view::npos) continue;
      const std::string_view value = text::trim(line.substr(separator + 1));
      const int column = value.empty() ? 0 : static_cast<int>(value.data() - lines[i].data()) + 1;
      const int number = static_cast<int>(i + 1);
      collect_flat(text::trim(line.substr(0, separator)), value,
                   {number, column, number, column == 0 ? 0 : column + static_cast<int>(value.size())}, settings);
    }
  } else if (lower_path.ends_with(".yaml") || lower_path.ends_with(".yml")) {
    // Flattened without recursion: (node, dotted path) pairs on a stack, depth bounded.
    struct Item {
      const yaml::Node* node;
      std::string path;
      int depth;
    };
    for (const auto& document : file.yaml().documents) {
      if (document.root == nullptr || !document.root->is_mapping()) continue;
      if (document.root->get("kind") != nullptr && document.root->get("apiVersion") != nullptr) continue;
      std::vector<Item> stack{{document.root, "", 0}};
      while (!stack.empty()) {
        Item item = std::move(stack.back());
        stack.pop_back();
        if (item.node->is_mapping()) {
          if (item.depth > 16) continue;
          for (auto it = item.node->entries.rbegin(); it != item.node->entries.rend(); ++it) {
            if (!it->key->is_scalar() || it->value == nullptr) continue;
            std::string path =
                item.path.empty() ? std::string(it->key->value) : fmt::format("{}.{}", item.path, it->key->value);
            stack.push_back({it->value, std::move(path), item.depth + 1});
          }
        } else if (item.node->is_scalar()) {
          const yaml::Node* node = item.node;
          collect_flat(item.path, node->value,
                       {node->start.line, node->start.column, node->start.line,
                        node->end.line == node->start.line ? node->end.column : 0},
                       settings);
        }
      }
    }
  }
  if (settings.default_group) return;
  for (const auto& [name, binding] : settings.bindings) {
    if (binding.has_group || binding.destination.line == 0 || !is_input_binding(name)) continue;
    if (!kafka_binding(binding, settings)) continue;
    out.report(binding.destination,
               fmt::format("Spring Cloud Stream input binding {} (destination {}) has no group: each instance "
                           "gets an anonymous consumer group of its own and reads every message, so replicas do "
                           "not share the partitions",
                           name, text::shorten(binding.destination_value, 80)),
               "binding " + name);
  }
}

// Dapr's Kafka pub/sub and bindings: consumerGroup / consumerID templated per instance.
void check_dapr_components(const engine::FileContext& file, const text::Literals::Found& signs,
                           engine::Emitter& out) {
  if (!signs.has(".kafka") || !signs.has("consumer")) return;
  for (const auto& document : file.yaml().documents) {
    const yaml::Node* root = document.root;
    if (root == nullptr || !root->is_mapping()) continue;
    const yaml::Node* kind = root->get("kind");
    const yaml::Node* type = root->at("spec", "type");
    if (kind == nullptr || !kind->is_scalar() || kind->value != "Component" || type == nullptr ||
        !type->is_scalar() || (type->value != "pubsub.kafka" && type->value != "bindings.kafka"))
      continue;
    const yaml::Node* metadata = root->at("spec", "metadata");
    if (metadata == nullptr || !metadata->is_sequence()) continue;
    const yaml::Node* name = root->at("metadata", "name");
    const std::string who = fmt::format("Dapr {} component '{}'", type->value,
                                        name != nullptr && name->is_scalar() ? name->value : "");
    for (const yaml::Node* item : metadata->items) {
      if (item == nullptr || !item->is_mapping()) continue;
      const yaml::Node* key = item->get("name");
      const yaml::Node* value = item->get("value");
      if (key == nullptr || value == nullptr || !key->is_scalar() || !value->is_scalar()) continue;
      if (key->value != "consumerGroup" && key->value != "consumerID") continue;
      static const RE2 unique(R"re((?i)(\{uuid\}|\{podName\}|\{hostname\}))re");
      re2::StringPiece captured;
      if (!RE2::PartialMatch(value->value, unique, &captured)) continue;
      const std::string_view what(captured.data(), captured.size());
      report_unique(out,
                    {value->start.line, value->start.column, value->start.line,
                     value->end.line == value->start.line ? value->end.column : 0},
                    who, key->value, value->value, what);
    }
  }
}

class ConsumerGroupsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const std::string_view path = file.file().path;
    if (workspace::is_test_source(path) || workspace::is_test_artifact(path)) return;
    if (is_client_source(path)) {
      const std::string lower = text::to_lower(path);
      if (lower.ends_with(".py")) {
        check_python_consumers(file, out);
        check_confluent_consumers(file, out);
      } else {
        check_kafkajs_consumers(file, out);
      }
      return;
    }
    const text::Literals::Found signs = configuration_signs().found_in(file.text());
    check_spring_cloud_stream(file, signs, out);
    const std::string lower = text::to_lower(path);
    if (lower.ends_with(".yaml") || lower.ends_with(".yml")) check_dapr_components(file, signs, out);
  }
};

}  // namespace consumer_groups_check
}  // namespace

std::unique_ptr<engine::Check> make_consumer_groups_check() {
  return engine::make_check<consumer_groups_check::ConsumerGroupsCheck>();
}

}  // namespace constable::checks::kafka

// kafka/compacted-state-topics: "Compacted topics MUST be used for state representation".

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace compacted_state_topics_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/compacted-state-topics",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Compact the Kafka topics that hold state",
    .rationale =
        "A topic that represents state (a table, a snapshot, a changelog) is read from the beginning to "
        "rebuild that state. With the default cleanup.policy, delete, its oldest records, often the only "
        "record of a key, disappear after the retention period and the rebuilt state silently loses them; "
        "compaction keeps the latest record of every key instead.",
    .remediation =
        "Set cleanup.policy to compact (or compact,delete) on the topic: spec.config of a Strimzi "
        "KafkaTopic, --config cleanup.policy=compact of kafka-topics --create, -c cleanup.policy=compact "
        "of rpk topic create. If the topic carries events rather than state, rename it.",
    .bad_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: inventory.stock.state\n"
        "spec:\n  partitions: 3\n",
    .good_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: inventory.stock.state\n"
        "spec:\n  partitions: 3\n  config:\n    cleanup.policy: compact\n",
    .parameters = "",
    .clause = {.section = "kafka", .text = "compact"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Kafka topic declarations are judged, wherever they are
    .scope = engine::Scope::manifests,
};

// The word a state topic's name ends with (`inventory.stock.state`,
// `orders-snapshot-v2`, `app-store-changelog`); the same word elsewhere
// (`orders.order.state-changed`, `orders.table.booked`) names an event.
std::optional<std::string> state_word(std::string_view name) {
  static constexpr std::array kWords = {"state",     "states",    "snapshot", "snapshots", "changelog",
                                        "compacted", "table",     "ktable",   "statestore"};
  std::vector<std::string> words;
  std::string word;
  for (char c : name) {
    if (c == '.' || c == '-' || c == '_') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  // A version suffix follows the word it versions: `orders-state-v2`.
  auto is_version = [](const std::string& w) {
    const std::string_view digits = w.starts_with('v') ? std::string_view(w).substr(1) : std::string_view(w);
    return !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  while (!words.empty() && is_version(words.back())) words.pop_back();
  if (words.empty()) return std::nullopt;
  if (std::find(kWords.begin(), kWords.end(), words.back()) == kWords.end()) return std::nullopt;
  return words.back();
}

class CompactedStateTopicsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const auto& topic : collect_topics(context).topics) {
      if (topic.internal() || !topic.name_known || topic.config_unknown || topic.compacted()) continue;
      const auto word = state_word(topic.name);
      if (!word) continue;
      const auto policy = topic.config.find("cleanup.policy");
      if (policy != topic.config.end()) {
        report(out, topic, topic.config_places.at("cleanup.policy"),
               fmt::format("{} holds state (its name ends in '{}') but its cleanup.policy is {}, not compact",
                           topic.describe(), *word, policy->second));
        continue;
      }
      const Place& at = topic.config_place.known() ? topic.config_place : topic.declaration;
      report(out, topic, at,
             fmt::format("{} holds state (its name ends in '{}') but sets no cleanup.policy: Kafka's default, "
                         "delete, drops its oldest records instead of compacting them",
                         topic.describe(), *word));
    }
  }
};

}  // namespace compacted_state_topics_check
}  // namespace

std::unique_ptr<engine::Check> make_compacted_state_topics_check() {
  return engine::make_check<compacted_state_topics_check::CompactedStateTopicsCheck>();
}

}  // namespace constable::checks::kafka

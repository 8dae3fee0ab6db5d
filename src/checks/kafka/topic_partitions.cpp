// kafka/topic-partitions: "Topics MUST have minimum 3 partitions for scalability".

#include <fmt/format.h>

#include <algorithm>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace topic_partitions_check {

// Kafka's num.partitions and Redpanda's default_topic_partitions out of the box.
constexpr long long kBrokerDefault = 1;
// What `confluent kafka topic create` gives a topic without --partitions on Confluent Cloud.
constexpr long long kConfluentCloudDefault = 6;

constexpr engine::CheckInfo kInfo{
    .id = "kafka/topic-partitions",
    .domain = "kafka",
    .nature = Nature::reliability,
    .summary = "Create Kafka topics with at least the constitution's number of partitions",
    .rationale =
        "A topic's partitions bound how many consumers of a group can share its load, and adding "
        "partitions later moves keys to other partitions, breaking per-key ordering. A topic created "
        "without a partition count gets the broker's num.partitions, which is 1 unless the brokers say otherwise "
        "(the repository's Strimzi Kafka objects, broker properties and KAFKA_NUM_PARTITIONS settings are read; "
        "Confluent Cloud's default, 6, for `confluent kafka topic create`).",
    .remediation =
        "Give the topic the constitution's number of partitions or more: spec.partitions of a Strimzi "
        "KafkaTopic, --partitions of kafka-topics --create, -p of rpk topic create.",
    .bad_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders.order.created\n"
        "spec:\n  partitions: 1\n",
    .good_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders.order.created\n"
        "spec:\n  partitions: 3\n  config:\n    retention.ms: 604800000\n",
    .parameters = "the number of partitions in the clause, e.g. \"minimum 3 partitions\"",
    .clause = {.section = "kafka", .text = "partitions"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Kafka topic declarations are judged, wherever they are
    .scope = engine::Scope::manifests,
};

// Kafka Connect keeps its connectors' configuration in a compacted topic that
// must have exactly one partition (`connect-configs`, `docker-connect-configs`).
bool connect_config_topic(const TopicDeclaration& topic) {
  if (!topic.name_known || !topic.compacted()) return false;
  const std::string name = text::to_lower(topic.name);
  return name.ends_with("configs") || name.ends_with("config");
}

class TopicPartitionsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    auto n = constitution::capture_integer_before(clause.text, {"partitions", "partition"});
    if (!n || *n < 1) return fail("the clause gives no number of partitions, e.g. \"minimum 3 partitions\"");
    minimum_ = *n;
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("at least {} partitions", minimum_); }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const TopicInventory inventory = collect_topics(context);
    const auto& defaults = inventory.brokers.num_partitions;
    const bool defaults_suffice = !defaults.empty() && std::all_of(defaults.begin(), defaults.end(),
                                                                   [this](long long n) { return n >= minimum_; });
    for (const auto& topic : inventory.topics) {
      if (topic.internal() || connect_config_topic(topic)) continue;
      if (topic.partitions_given) {
        if (topic.partitions && *topic.partitions < minimum_)
          report(out, topic, topic.partitions_place,
                 fmt::format("{} has {} partition{}; the constitution asks for at least {}", topic.describe(),
                             *topic.partitions, *topic.partitions == 1 ? "" : "s", minimum_));
        continue;
      }
      if (topic.tool == "confluent") {
        if (kConfluentCloudDefault < minimum_)
          report(out, topic, topic.declaration,
                 fmt::format("{} sets no partition count: Confluent Cloud's default is {}; the constitution asks "
                             "for at least {}",
                             topic.describe(), kConfluentCloudDefault, minimum_));
        continue;
      }
      if (defaults_suffice) continue;
      const std::string broker =
          defaults.empty() ? fmt::format("the broker's num.partitions decides (Kafka's default is {})", kBrokerDefault)
                           : fmt::format("the broker's num.partitions decides ({} in this repository)",
                                         *std::min_element(defaults.begin(), defaults.end()));
      report(out, topic, topic.declaration,
             fmt::format("{} sets no partition count: {}; the constitution asks for at least {}", topic.describe(),
                         broker, minimum_));
    }
  }

 private:
  long long minimum_ = 3;
};

}  // namespace topic_partitions_check
}  // namespace

std::unique_ptr<engine::Check> make_topic_partitions_check() {
  return engine::make_check<topic_partitions_check::TopicPartitionsCheck>();
}

}  // namespace constable::checks::kafka

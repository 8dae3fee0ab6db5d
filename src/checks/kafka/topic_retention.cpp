// kafka/topic-retention: "Retention period MUST be explicitly configured based on business needs".

#include <fmt/format.h>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace topic_retention_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/topic-retention",
    .domain = "kafka",
    .nature = Nature::reliability,
    .summary = "Set each Kafka topic's retention explicitly",
    .rationale =
        "A topic without retention.ms or retention.bytes keeps the broker's default (log.retention.hours, "
        "7 days out of the box): events a consumer or a replay needs disappear after a week, or a topic "
        "that should be short-lived fills the disks. How long events stay is a business decision, written "
        "down with the topic. A topic that is only compacted keeps the latest value of every key and is exempt.",
    .remediation =
        "Set retention.ms (or retention.bytes) on the topic: spec.config of a Strimzi KafkaTopic, "
        "--config retention.ms=... of kafka-topics --create, -c retention.ms=... of rpk topic create.",
    .bad_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders.order.created\n"
        "spec:\n  partitions: 3\n",
    .good_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders.order.created\n"
        "spec:\n  partitions: 3\n  config:\n    retention.ms: 604800000\n",
    .parameters = "",
    .clause = {.section = "kafka", .text = "retention"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Kafka topic declarations are judged, wherever they are
    .scope = engine::Scope::manifests,
};

class TopicRetentionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const auto& topic : collect_topics(context).topics) {
      if (topic.internal() || topic.config_unknown) continue;
      if (topic.config.contains("retention.ms") || topic.config.contains("retention.bytes")) continue;
      // Compaction alone keeps every key's latest value for good: no retention to choose.
      if (topic.compacted() && !text::icontains(topic.config.at("cleanup.policy"), "delete")) continue;
      const Place& at = topic.config_place.known() ? topic.config_place : topic.declaration;
      report(out, topic, at,
             fmt::format("{} sets neither retention.ms nor retention.bytes: it keeps the broker's default "
                         "(log.retention.hours, 7 days unless the brokers change it)",
                         topic.describe()));
    }
  }
};

}  // namespace topic_retention_check
}  // namespace

std::unique_ptr<engine::Check> make_topic_retention_check() {
  return engine::make_check<topic_retention_check::TopicRetentionCheck>();
}

}  // namespace constable::checks::kafka

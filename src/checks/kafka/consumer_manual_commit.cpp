// kafka/consumer-manual-commit: "Offset management MUST be manual for at-least-once semantics".

#include <fmt/format.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace consumer_manual_commit_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/consumer-manual-commit",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Commit Kafka consumer offsets after processing, not on a timer",
    .rationale =
        "With enable.auto.commit the client commits offsets every few seconds whether or not the records "
        "were processed: a consumer that crashes after a commit and before processing skips those records "
        "for good. At-least-once delivery needs the offset committed after the work is done. The Java "
        "client and librdkafka auto-commit by default, Spring Kafka does not (since 2.3) unless told to; "
        "the check reports consumers whose configuration turns auto-commit on: Java properties, Spring "
        "Boot and Spring Cloud Stream settings, Compose environments; Python confluent-kafka consumers "
        "whose configuration, a dict literal in the same file, leaves enable.auto.commit on without "
        "enable.auto.offset.store set to False (storing offsets after processing makes the timer commit only "
        "processed records); and kafkajs consumers whose `run({ eachMessage })` leaves autoCommit on.",
    .remediation =
        "Set enable.auto.commit to false and commit after processing (Spring Kafka's container does this "
        "with its default AckMode.BATCH; plain clients call commitSync or commitAsync).",
    .bad_example = "spring.kafka.consumer.enable-auto-commit=true\n",
    .good_example = "spring.kafka.consumer.enable-auto-commit=false\n",
    .parameters = "",
    .clause = {.section = "kafka", .text = "offset"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

class ConsumerManualCommitCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (is_client_source(file.file().path)) {
      check_code(file, out);
      return;
    }
    for (const auto& setting : client_settings(file)) {
      if (setting.property != "enable.auto.commit") continue;
      if (text::to_lower(text::trim(setting.value)) != "true") continue;
      out.report(setting.range,
                 fmt::format("{} is true: offsets are committed on a timer, processed or not, so a consumer "
                             "that crashes loses the records committed before it handled them",
                             setting.key),
                 setting.key);
    }
  }

 private:
  // librdkafka and kafkajs consumers commit on a timer unless told not to; storing offsets explicitly
  // (librdkafka's enable.auto.offset.store False) makes the timer commit only what the program processed.
  static void check_code(const engine::FileContext& file, engine::Emitter& out) {
    // A Python consumer that never polls (one asking for watermarks or committed offsets) commits nothing.
    const bool consumes = file.text().find(".poll(") != std::string_view::npos ||
                          file.text().find(".consume(") != std::string_view::npos;
    for (const auto& client : code_clients(file)) {
      if (client.role != ClientRole::consumer) continue;
      const bool kafkajs = client.library == "kafkajs";
      if (!kafkajs && !consumes) continue;
      const auto store = client.values.find("enable.auto.offset.store");
      if (store != client.values.end() && (store->second == "false" || store->second == "0")) continue;
      const std::string key = kafkajs ? "autoCommit" : "enable.auto.commit";
      const auto commit = client.values.find(key);
      if (commit == client.values.end()) {
        out.report(client.range,
                   fmt::format("{} {} is made without {}: {} commits offsets on a timer by default, processed or not",
                               client.library, client.constructor, key, kafkajs ? "kafkajs" : "librdkafka"),
                   client.constructor + " " + key);
      } else if (commit->second == "true" || commit->second == "1") {
        out.report(client.value_ranges.at(commit->first),
                   fmt::format("{} of {} {} is true: offsets are committed on a timer, processed or not{}", key,
                               client.library, client.constructor,
                               kafkajs ? "" : ", and enable.auto.offset.store is not False"),
                   client.constructor + " " + key);
      }
    }
  }
};

}  // namespace consumer_manual_commit_check
}  // namespace

std::unique_ptr<engine::Check> make_consumer_manual_commit_check() {
  return engine::make_check<consumer_manual_commit_check::ConsumerManualCommitCheck>();
}

}  // namespace constable::checks::kafka

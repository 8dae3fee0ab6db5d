// kafka/producer-acks: "Acknowledgment level MUST be all for critical data".

#include <fmt/format.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace producer_acks_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/producer-acks",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Do not lower a Kafka producer's acknowledgements below all",
    .rationale =
        "With acks=1 a record counts as written once the partition leader has it; if the leader fails "
        "before a follower copies it, the record is gone although the producer was told it succeeded. "
        "acks=0 does not wait at all. acks=all (-1) waits for every in-sync replica, and is the Java "
        "client's default since Kafka 3.0, so the check reports only acks set lower in a client's "
        "configuration: Java properties, Spring Boot and Spring Cloud Stream settings, Compose environments. "
        "Dapr's pubsub.kafka component has no acknowledgement setting to judge.",
    .remediation =
        "Set acks to all (or remove the setting: the Java client defaults to all). If the topic's data is "
        "not critical, say so with a suppression that gives the reason.",
    .bad_example = "spring.kafka.producer.acks=1\n",
    .good_example = "spring.kafka.producer.acks=all\n",
    .parameters = "",
    .clause = {.section = "kafka", .text = "acknowledg|\\backs\\b"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

class ProducerAcksCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    for (const auto& setting : client_settings(file)) {
      if (setting.property != "acks") continue;
      const std::string value = text::to_lower(text::trim(setting.value));
      if (value != "0" && value != "1") continue;
      out.report(setting.range,
                 fmt::format("{} is {}: {}; the constitution asks for acks=all for critical data", setting.key,
                             setting.value,
                             value == "1" ? "a record the leader loses before a follower copies it is gone, though "
                                            "the producer was told it was written"
                                          : "the producer does not wait for the broker at all"),
                 setting.key);
    }
  }
};

}  // namespace producer_acks_check
}  // namespace

std::unique_ptr<engine::Check> make_producer_acks_check() {
  return engine::make_check<producer_acks_check::ProducerAcksCheck>();
}

}  // namespace constable::checks::kafka

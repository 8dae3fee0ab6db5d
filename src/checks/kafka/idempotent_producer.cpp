// kafka/idempotent-producer: "Idempotent producers MUST be enabled".

#include <fmt/format.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/idempotent-producer",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Keep Kafka producers idempotent",
    .rationale =
        "An idempotent producer numbers its records so the broker drops the duplicate a retried send "
        "would write and keeps each partition in order. The Java client is idempotent by default since "
        "Kafka 3.0; librdkafka (confluent-kafka for Python, Go and .NET) is not unless enable.idempotence "
        "is set; Dapr's pubsub.kafka component has no such setting. The check reports producers whose "
        "configuration switches idempotence off: Java properties, Spring Boot and Spring Cloud Stream "
        "settings, Compose environments.",
    .remediation =
        "Set enable.idempotence to true (or remove the setting on a Java client, which defaults to true), "
        "with acks=all and retries left at their defaults.",
    .bad_example = "spring.kafka.producer.properties.enable.idempotence=false\n",
    .good_example = "spring.kafka.producer.properties.enable.idempotence=true\n",
    .parameters = "",
    .clause = {.section = "kafka", .text = "idempot"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

class IdempotentProducerCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    for (const auto& setting : client_settings(file)) {
      if (setting.property != "enable.idempotence") continue;
      if (text::to_lower(text::trim(setting.value)) != "false") continue;
      out.report(setting.range,
                 fmt::format("{} is false: a retried send can write a record twice, or out of order", setting.key),
                 setting.key);
    }
  }
};

}  // namespace

std::unique_ptr<engine::Check> make_idempotent_producer_check() {
  return engine::make_check<IdempotentProducerCheck>();
}

}  // namespace constable::checks::kafka

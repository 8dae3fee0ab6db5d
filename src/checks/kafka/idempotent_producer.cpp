// kafka/idempotent-producer: "Idempotent producers MUST be enabled".

#include <fmt/format.h>

#include <algorithm>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace idempotent_producer_check {

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
        "configuration switches idempotence off, explicitly or, on the Java client, with settings it "
        "cannot be idempotent with (retries=0, more than 5 requests in flight): Java properties, Spring "
        "Boot and Spring Cloud Stream settings, Compose environments; and producers made in code with "
        "their whole configuration in view that leave idempotence out: Python confluent-kafka (a dict "
        "literal) and kafkajs (`kafka.producer({...})`, whose `idempotent` defaults to false).",
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

bool above_five(const std::string& number) {
  const bool digits = !number.empty() && number.size() < 6 &&
                      std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits && std::stoi(number) > 5;
}

class IdempotentProducerCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (is_client_source(file.file().path)) {
      check_code(file, out);
      return;
    }
    const auto settings = client_settings(file);
    // Set to true, idempotence is what the client asked for: a conflicting setting then fails at start-up.
    const bool asked_for = std::any_of(settings.begin(), settings.end(), [](const ClientSetting& s) {
      return s.property == "enable.idempotence" && text::to_lower(text::trim(s.value)) == "true";
    });
    for (const auto& setting : settings) {
      const std::string value = text::to_lower(text::trim(setting.value));
      if (setting.property == "enable.idempotence" && value == "false") {
        out.report(setting.range,
                   fmt::format("{} is false: a retried send can write a record twice, or out of order", setting.key),
                   setting.key);
      } else if (!asked_for && setting.property == "retries" && value == "0") {
        out.report(setting.range,
                   fmt::format("{} is 0: the Java client then leaves idempotence off (since Kafka 3.2; 3.0 and 3.1 "
                               "refuse to start), so the producer is not idempotent",
                               setting.key),
                   setting.key);
      } else if (!asked_for && setting.property == "max.in.flight.requests.per.connection" && above_five(value)) {
        out.report(setting.range,
                   fmt::format("{} is {}: above 5 the Java client leaves idempotence off, so the producer is not "
                               "idempotent",
                               setting.key, setting.value),
                   setting.key);
      }
    }
  }

 private:
  // librdkafka and kafkajs producers are not idempotent unless their configuration says so.
  static void check_code(const engine::FileContext& file, engine::Emitter& out) {
    for (const auto& client : code_clients(file)) {
      // A transactional producer is idempotent whatever enable.idempotence says.
      if (client.role != ClientRole::producer || client.values.contains("transactional.id")) continue;
      const bool kafkajs = client.library == "kafkajs";
      const std::string key = kafkajs ? "idempotent" : "enable.idempotence";
      const auto setting = client.values.find(key);
      if (setting == client.values.end()) {
        out.report(client.range,
                   fmt::format("{} {} is created without {}: {} defaults it to false, so a retried send can write "
                               "a record twice, or out of order",
                               client.library, client.constructor, key, kafkajs ? "kafkajs" : "librdkafka"),
                   client.constructor + " " + key);
      } else if (setting->second == "false" || setting->second == "0") {
        out.report(client.value_ranges.at(setting->first),
                   fmt::format("{} of {} {} is false: a retried send can write a record twice, or out of order", key,
                               client.library, client.constructor),
                   client.constructor + " " + key);
      }
    }
  }
};

}  // namespace idempotent_producer_check
}  // namespace

std::unique_ptr<engine::Check> make_idempotent_producer_check() {
  return engine::make_check<idempotent_producer_check::IdempotentProducerCheck>();
}

}  // namespace constable::checks::kafka

// kafka/key-ordering: "Message ordering MUST be preserved per partition key".

#include <fmt/format.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/producer_settings.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace key_ordering_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/key-ordering",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Keep a Kafka producer's records of one key in order",
    .rationale =
        "Kafka keeps order within a partition; records of one key stay in order only if they all go to the "
        "same partition and a retried batch cannot overtake the one sent after it. The check reports producer "
        "settings written out that break either: a partitioner that ignores keys (`partitioner.class` "
        "RoundRobinPartitioner or UniformStickyPartitioner, `partitioner.ignore.keys=true`, librdkafka's "
        "`partitioner: random`), and more than one request in flight per connection on a producer whose "
        "idempotence is switched off (`enable.idempotence=false`) while it may retry. It reads the settings "
        "of one client together: Java properties, Spring Boot and Spring Cloud Stream settings (one YAML "
        "document), Compose environments and confluent-kafka clients configured by a dict literal in Python.",
    .remediation = "Use the default partitioner (it hashes the key), and keep idempotence on; a producer that "
                   "must run without it sets `max.in.flight.requests.per.connection=1`.",
    .bad_example = "bootstrap.servers=kafka:9092\n"
                   "partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner\n",
    .good_example = "bootstrap.servers=kafka:9092\nenable.idempotence=true\n",
    .parameters = "",
    .clause = {.section = "kafka|producer", .text = R"(order.*(partition|key))"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

class KeyOrderingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    for (const ProducerGroup& group : producer_groups(file)) {
      for (const char* property : {"partitioner.class", "partitioner"}) {
        const ClientSetting* partitioner = group.get(property);
        if (partitioner == nullptr) continue;
        const std::string value = text::to_lower(text::trim(partitioner->value));
        const bool key_blind = value.ends_with("roundrobinpartitioner") || value.ends_with("uniformstickypartitioner") ||
                               (std::string_view(property) == "partitioner" && value == "random");
        if (key_blind)
          out.report(partitioner->range,
                     fmt::format("{} is {}, which ignores record keys: records of one key land on different "
                                 "partitions and lose their order",
                                 partitioner->key, text::trim(partitioner->value)),
                     partitioner->key);
      }
      if (const ClientSetting* ignore = group.get("partitioner.ignore.keys");
          ignore != nullptr && text::to_lower(text::trim(ignore->value)) == "true")
        out.report(ignore->range,
                   fmt::format("{} is true: records of one key land on different partitions and lose their order",
                               ignore->key),
                   ignore->key);

      const ClientSetting* idempotence = group.get("enable.idempotence");
      const ClientSetting* in_flight = group.get("max.in.flight.requests.per.connection");
      const ClientSetting* retries = group.get("retries");
      if (idempotence == nullptr || in_flight == nullptr) continue;
      const std::string off = text::to_lower(text::trim(idempotence->value));
      if (off != "false" && off != "0") continue;
      const auto requests = whole_number(in_flight->value);
      if (!requests || *requests <= 1) continue;
      if (retries != nullptr && whole_number(retries->value) == 0) continue;  // nothing is retried: nothing overtakes
      out.report(in_flight->range,
                 fmt::format("{} is {} while {} is false: a retried batch can land after the one sent behind it, "
                             "so records of one key change order",
                             in_flight->key, *requests, idempotence->key),
                 in_flight->key);
    }
  }
};

}  // namespace key_ordering_check
}  // namespace

std::unique_ptr<engine::Check> make_key_ordering_check() {
  return engine::make_check<key_ordering_check::KeyOrderingCheck>();
}

}  // namespace constable::checks::kafka

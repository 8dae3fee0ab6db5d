// kafka/message-encoding: "All messages MUST be Avro or Protobuf encoded".

#include <fmt/format.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace message_encoding_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/message-encoding",
    .domain = "kafka",
    .nature = Nature::maintainability,
    .summary = "Encode Kafka message values with Avro or Protobuf, not plain strings or JSON",
    .rationale =
        "A message value written as a plain string or schemaless JSON carries no schema: a producer can "
        "change its shape and every consumer finds out at run time. Avro and Protobuf serializers write "
        "against a schema the Schema Registry checks for compatible evolution. The check reads the value "
        "serializer and deserializer classes a client's configuration names (Java properties, Spring Boot "
        "and Spring Cloud Stream settings, Compose environments) and reports the String and JSON ones; "
        "byte arrays, wrappers such as Spring's ErrorHandlingDeserializer, JSON Schema and classes of the "
        "project's own are not judged.",
    .remediation =
        "Use an Avro or Protobuf serializer (io.confluent.kafka.serializers.KafkaAvroSerializer, "
        "io.confluent.kafka.serializers.protobuf.KafkaProtobufSerializer, or Apicurio's) with the Schema "
        "Registry's URL, and the matching deserializer on consumers.",
    .bad_example =
        "spring.kafka.producer.value-serializer=org.springframework.kafka.support.serializer.JsonSerializer\n",
    .good_example = "spring.kafka.producer.value-serializer=io.confluent.kafka.serializers.KafkaAvroSerializer\n",
    .parameters = "",
    .clause = {.section = "kafka", .text = "avro|protobuf"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

// "String" or "JSON" for a schemaless serializer class, "" otherwise.
std::string_view schemaless(std::string_view class_name) {
  const auto dot = class_name.find_last_of(".$");
  const std::string simple = text::to_lower(dot == std::string_view::npos ? class_name : class_name.substr(dot + 1));
  if (simple == "stringserializer" || simple == "stringdeserializer") return "String";
  if (simple == "jsonserializer" || simple == "jsondeserializer" || simple == "kafkajsonserializer" ||
      simple == "kafkajsondeserializer" || simple == "jsonnodeserializer" || simple == "jsonnodedeserializer")
    return "JSON";
  return {};
}

class MessageEncodingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    for (const auto& setting : client_settings(file)) {
      if (setting.property != "value.serializer" && setting.property != "value.deserializer") continue;
      const std::string_view kind = schemaless(text::trim(setting.value));
      if (kind.empty()) continue;
      out.report(setting.range,
                 fmt::format("{} is {}: message values are {}, with no schema for the Schema Registry to keep "
                             "compatible; the constitution asks for Avro or Protobuf",
                             setting.key, text::trim(setting.value),
                             kind == "String" ? "plain strings" : "schemaless JSON"),
                 setting.key);
    }
  }
};

}  // namespace message_encoding_check
}  // namespace

std::unique_ptr<engine::Check> make_message_encoding_check() {
  return engine::make_check<message_encoding_check::MessageEncodingCheck>();
}

}  // namespace constable::checks::kafka

// kafka/schema-registry: "Schema Registry MUST be used for schema evolution".
// A client configured with a registry-aware serializer (Confluent's or
// Apicurio's Avro, Protobuf and JSON Schema serdes) says where the registry
// is in the same configuration, and that registry is not the in-memory mock.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"
#include "workspace/provenance.hpp"

namespace constable::checks::kafka {

namespace {
namespace schema_registry_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/schema-registry",
    .domain = "kafka",
    .nature = Nature::maintainability,
    .summary = "Point Avro and Protobuf Kafka serializers at a Schema Registry",
    .rationale =
        "Avro and Protobuf only keep producers and consumers compatible when the schemas live in a registry "
        "that checks every new version against the old ones: the registry-aware serializers register or look "
        "up the schema and write its id into each message. The check reads the value serializer and "
        "deserializer a client's configuration names (Java properties, Spring Boot and Spring Cloud Stream "
        "settings, Compose environments) and, where it is one of Confluent's or Apicurio's Avro, Protobuf or "
        "JSON Schema serdes, reports a configuration that names no registry URL (`schema.registry.url`, "
        "`apicurio.registry.url`, in any spelling, as a placeholder too) and one whose registry is `mock://`, "
        "the in-memory registry of tests, outside tests. Configurations whose serializer is a class of the "
        "project's own, and clients made in code, are not judged: whether they reach a registry is not written "
        "in one place; that messages are Avro or Protobuf at all is kafka/message-encoding's business.",
    .remediation =
        "Set the registry's URL beside the serializer (`spring.kafka.properties.schema.registry.url`, "
        "`schema.registry.url`, `apicurio.registry.url`), from an environment variable if it differs per "
        "environment, and keep `mock://` to test configuration.",
    .bad_example = "spring.kafka.producer.value-serializer=io.confluent.kafka.serializers.KafkaAvroSerializer\n",
    .good_example = "spring.kafka.producer.value-serializer=io.confluent.kafka.serializers.KafkaAvroSerializer\n"
                    "spring.kafka.properties.schema.registry.url=${SCHEMA_REGISTRY_URL}\n",
    .parameters = "",
    .clause = {.section = "kafka|message|schema", .text = R"(schema.?registry)"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

// Whether a serializer class writes through a schema registry (Confluent, Apicurio).
bool registry_serde(std::string_view class_name) {
  const auto dot = class_name.find_last_of(".$");
  const std::string simple = text::to_lower(dot == std::string_view::npos ? class_name : class_name.substr(dot + 1));
  for (std::string_view known :
       {"kafkaavroserializer", "kafkaavrodeserializer", "kafkaprotobufserializer", "kafkaprotobufdeserializer",
        "kafkajsonschemaserializer", "kafkajsonschemadeserializer", "avrokafkaserializer", "avrokafkadeserializer",
        "protobufkafkaserializer", "protobufkafkadeserializer", "jsonschemakafkaserializer",
        "jsonschemakafkadeserializer"})
    if (simple == known) return true;
  return false;
}

// A registry URL in any spelling: `schema.registry.url`, `SCHEMA_REGISTRY_URL`,
// `apicurio.registry.url`, Spring Cloud Stream's schema registry client endpoint.
const RE2& registry_mention() {
  static const RE2 pattern(
      R"re((?i)registry[._-]?urls?|registry\s*:\s+urls?\s*:|schema[._-]?registry[._-]?client|schemaregistryclient)re");
  return pattern;
}

class SchemaRegistryCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override {
    return may_hold_client_settings(path) && !is_client_source(path);
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (is_client_source(file.file().path)) return;
    const ClientSetting* first = nullptr;
    for (const auto& setting : client_settings(file)) {
      if (setting.property != "value.serializer" && setting.property != "value.deserializer") continue;
      if (!registry_serde(text::trim(setting.value))) continue;
      first = &setting;
      break;
    }
    if (first == nullptr) return;
    const std::string_view text = file.text();
    if (!RE2::PartialMatch(text, registry_mention())) {
      out.report(first->range,
                 fmt::format("{} is {}, but this configuration names no schema registry URL "
                             "(schema.registry.url, apicurio.registry.url): where schemas are registered and "
                             "checked for compatibility is not in version control",
                             first->key, text::trim(first->value)),
                 first->key);
      return;
    }
    if (text.find("mock://") == std::string_view::npos) return;
    const std::string_view path = file.file().path;
    if (workspace::is_test_source(path) || workspace::is_test_artifact(path)) return;
    static const RE2 mock(R"re((?i)registry[._-]?urls?["']?\s*[:=]\s*["']?(mock://[^\s"',]*))re");
    const auto& lines = file.lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      re2::StringPiece captured;
      if (!RE2::PartialMatch(re2::StringPiece(lines[i].data(), lines[i].size()), mock, &captured)) continue;
      const std::string_view url(captured.data(), captured.size());
      const int column = static_cast<int>(url.data() - lines[i].data()) + 1;
      const int line = static_cast<int>(i + 1);
      out.report({line, column, line, column + static_cast<int>(url.size())},
                 fmt::format("the schema registry is {}, the in-memory registry of tests: schemas are neither "
                             "shared with other services nor checked against their earlier versions",
                             url),
                 "mock registry");
    }
  }
};

}  // namespace schema_registry_check
}  // namespace

std::unique_ptr<engine::Check> make_schema_registry_check() {
  return engine::make_check<schema_registry_check::SchemaRegistryCheck>();
}

}  // namespace constable::checks::kafka

#pragma once
// Kafka client settings as configuration files state them: Java client
// properties (`acks=1`), Spring Boot (`spring.kafka.producer.acks`,
// `spring.kafka.consumer.enable-auto-commit`, in application.properties or
// application.yml), Spring Cloud Stream's Kafka binder, and Compose or other
// YAML environments (`SPRING_KAFKA_PRODUCER_ACKS`). Only settings written
// out are read: what a client does by default is each check's business.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::kafka {

enum class ClientRole : std::uint8_t { producer, consumer };

struct ClientSetting {
  ClientRole role = ClientRole::producer;
  // Kafka's name: "acks", "enable.idempotence", "enable.auto.commit", "retries",
  // "max.in.flight.requests.per.connection", "value.serializer", "value.deserializer",
  // "retry.backoff.ms", "retry.backoff.max.ms", "partitioner.class", "partitioner.ignore.keys"
  std::string property;
  std::string key;       // as written: "spring.kafka.producer.acks"
  std::string value;     // as written, unquoted
  SourceRange range{};   // the value
};

// A client a program creates with its whole configuration in view:
// confluent-kafka's `Producer({...})` / `Consumer(conf)` in Python, with `conf`
// a dict literal of the same file (librdkafka's defaults apply to what it
// leaves out), and kafkajs's `kafka.producer({...})` and `consumer.run({...})`
// in JavaScript and TypeScript.
struct CodeClient {
  ClientRole role = ClientRole::producer;
  std::string library;      // "confluent-kafka" or "kafkajs"
  std::string constructor;  // "Producer", "DeserializingConsumer", "producer", "run"
  SourceRange range{};      // the constructor's name at the call
  // Every key the configuration sets, with its value when a literal (lower-case, unquoted;
  // "" for a variable or a call) and where that value is.
  std::map<std::string, std::string> values;
  std::map<std::string, SourceRange> value_ranges;
};

// Whether `path` is a file client settings are read from (.properties, .yaml,
// .yml; Python, JavaScript and TypeScript sources for clients made in code).
bool may_hold_client_settings(std::string_view path);
// Whether `path` is a source file clients are made in (CodeClient).
bool is_client_source(std::string_view path);

// The clients a Python (confluent-kafka) or JavaScript/TypeScript (kafkajs)
// file makes with a literal configuration; tests are left out.
std::vector<CodeClient> code_clients(const engine::FileContext& file);

// The producer and consumer settings of a configuration file; values that are
// placeholders (`${KAFKA_ACKS}`) are left out.
// Read once per file, shared by every Kafka check that asks (engine::derived).
const std::vector<ClientSetting>& client_settings(const engine::FileContext& file);

}  // namespace constable::checks::kafka

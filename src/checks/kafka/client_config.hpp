#pragma once
// Kafka client settings as configuration files state them: Java client
// properties (`acks=1`), Spring Boot (`spring.kafka.producer.acks`,
// `spring.kafka.consumer.enable-auto-commit`, in application.properties or
// application.yml), Spring Cloud Stream's Kafka binder, and Compose or other
// YAML environments (`SPRING_KAFKA_PRODUCER_ACKS`). Only settings written
// out are read: what a client does by default is each check's business.

#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::kafka {

enum class ClientRole : std::uint8_t { producer, consumer };

struct ClientSetting {
  ClientRole role = ClientRole::producer;
  // Kafka's name: "acks", "enable.idempotence", "enable.auto.commit", "retries",
  // "max.in.flight.requests.per.connection", "value.serializer", "value.deserializer"
  std::string property;
  std::string key;       // as written: "spring.kafka.producer.acks"
  std::string value;     // as written, unquoted
  SourceRange range{};   // the value
};

// Whether `path` is a file client settings are read from (.properties, .yaml, .yml).
bool may_hold_client_settings(std::string_view path);

// The producer and consumer settings of a configuration file; values that are
// placeholders (`${KAFKA_ACKS}`) are left out.
std::vector<ClientSetting> client_settings(const engine::FileContext& file);

}  // namespace constable::checks::kafka

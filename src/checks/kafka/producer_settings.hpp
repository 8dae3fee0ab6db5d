#pragma once
// What the producer retry and ordering checks share: a file's producer
// settings grouped by the client they configure, so that two settings are
// only compared when one client gets both. A group is one YAML document (a
// Spring profile) and one key prefix (`spring.kafka.producer.` apart from
// `spring.kafka.producer.properties.`); a Python client made in code is its
// own group, with its whole configuration.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checks/kafka/client_config.hpp"

namespace constable::checks::kafka {

struct ProducerGroup {
  // By Kafka property name ("retries", "retry.backoff.ms", "partitioner.class").
  std::map<std::string, ClientSetting> settings;
  const ClientSetting* get(const std::string& property) const {
    const auto it = settings.find(property);
    return it == settings.end() ? nullptr : &it->second;
  }
};

// Read once per file, shared by every Kafka check that asks (engine::derived).
const std::vector<ProducerGroup>& producer_groups(const engine::FileContext& file);

// A whole number written out ("100", " 5 "), nullopt otherwise.
std::optional<long long> whole_number(const std::string& value);

}  // namespace constable::checks::kafka

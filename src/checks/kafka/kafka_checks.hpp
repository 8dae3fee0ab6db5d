#pragma once
// The Kafka checks (domain "kafka"), registered in id order. The topic
// checks read every topic the repository declares (kafka_support.hpp): they
// run over the manifest set, as Strimzi KafkaTopic objects are Kubernetes
// objects, and read the scripts and documents that create topics too. The
// client checks read producer and consumer settings file by file
// (client_config.hpp).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::kafka {

std::unique_ptr<engine::Check> make_cloudevents_envelope_check();
std::unique_ptr<engine::Check> make_compacted_state_topics_check();
std::unique_ptr<engine::Check> make_consumer_groups_check();
std::unique_ptr<engine::Check> make_consumer_lag_alerting_check();
std::unique_ptr<engine::Check> make_consumer_manual_commit_check();
std::unique_ptr<engine::Check> make_dead_letter_queue_check();
std::unique_ptr<engine::Check> make_idempotent_producer_check();
std::unique_ptr<engine::Check> make_key_ordering_check();
std::unique_ptr<engine::Check> make_message_encoding_check();
std::unique_ptr<engine::Check> make_producer_acks_check();
std::unique_ptr<engine::Check> make_producer_retries_check();
std::unique_ptr<engine::Check> make_schema_registry_check();
std::unique_ptr<engine::Check> make_stable_message_keys_check();
std::unique_ptr<engine::Check> make_topic_naming_check();
std::unique_ptr<engine::Check> make_topic_partitions_check();
std::unique_ptr<engine::Check> make_topic_retention_check();

// Every Kafka check's factory, sorted by check id.
std::vector<engine::CheckFactory> kafka_checks();

}  // namespace constable::checks::kafka

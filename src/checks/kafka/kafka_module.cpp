#include "checks/kafka/kafka_checks.hpp"

namespace constable::checks::kafka {

std::vector<engine::CheckFactory> kafka_checks() {
  // Sorted by check id.
  return {
      &make_cloudevents_envelope_check,    // kafka/cloudevents-envelope
      &make_compacted_state_topics_check,  // kafka/compacted-state-topics
      &make_consumer_groups_check,        // kafka/consumer-groups
      &make_consumer_lag_alerting_check,   // kafka/consumer-lag-alerting
      &make_consumer_manual_commit_check,  // kafka/consumer-manual-commit
      &make_dead_letter_queue_check,       // kafka/dead-letter-queue
      &make_idempotent_producer_check,     // kafka/idempotent-producer
      &make_key_ordering_check,            // kafka/key-ordering
      &make_message_encoding_check,        // kafka/message-encoding
      &make_producer_acks_check,           // kafka/producer-acks
      &make_producer_retries_check,        // kafka/producer-retries
      &make_schema_registry_check,        // kafka/schema-registry
      &make_stable_message_keys_check,     // kafka/stable-message-keys
      &make_topic_naming_check,            // kafka/topic-naming
      &make_topic_partitions_check,        // kafka/topic-partitions
      &make_topic_retention_check,         // kafka/topic-retention
  };
}

}  // namespace constable::checks::kafka

#pragma once
// What the Kafka topic checks share: every topic the repository declares,
// from Strimzi KafkaTopic objects (manifests and rendered charts) and from
// topic-creating command lines (`kafka-topics --create`, `rpk topic create`,
// `confluent kafka topic create`) in scripts, Makefiles, Dockerfiles, YAML
// (Compose, CI, Job and ConfigMap manifests, rendered charts) and Markdown
// code blocks. Names and counts that are variables or placeholders are not
// guessed: a literal a script assigns (`TOPIC=orders.order.created`, `for t in
// a b`) is used, anything else leaves that part unjudged.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "kube/manifests.hpp"

namespace constable::checks::kafka {

// Where a part of a declaration is: a node of a Kubernetes object (findings
// then follow it to a chart's template line), or a place on one line of a
// repository file (byte columns, 1-based; column 0: the whole line).
struct Place {
  const yaml::Node* node = nullptr;
  int line = 0;
  int column = 0;
  int end_column = 0;
  bool known() const { return node != nullptr || line > 0; }
};

struct TopicDeclaration {
  std::string name;         // as written; may be a placeholder (`$TOPIC`)
  bool name_known = false;  // a literal name, not a variable or template placeholder
  std::optional<long long> partitions{};  // nullopt: not given, or not a literal number
  bool partitions_given = false;          // given, literal or not
  // Topic configuration given at creation, key -> value ("retention.ms" -> "604800000").
  std::map<std::string, std::string> config{};
  bool config_unknown = false;  // some configuration comes from a placeholder: not judged

  // A KafkaTopic object or a command line in `path`.
  const kube::Object* object = nullptr;
  std::string path{};
  std::string tool{};  // "KafkaTopic", "kafka-topics", "rpk", "confluent"
  Place declaration{}, name_place{}, partitions_place{}, config_place{};
  std::map<std::string, Place> config_places{};

  // "KafkaTopic orders" or "kafka-topics --create --topic orders", for messages.
  std::string describe() const;
  // Topics Kafka, Strimzi and Confluent manage themselves
  // (`__consumer_offsets`, `_schemas`, `strimzi-store-topic...`).
  bool internal() const;
  // cleanup.policy includes compact ("compact", "compact,delete" or a list).
  bool compacted() const;
};

// What the brokers of the repository default to, where it says so: Strimzi
// Kafka objects' `num.partitions`, broker properties and environment
// (`num.partitions=3`, `KAFKA_NUM_PARTITIONS: 3`).
struct BrokerDefaults {
  std::vector<long long> num_partitions;  // every value found
};

struct TopicInventory {
  std::vector<TopicDeclaration> topics;
  BrokerDefaults brokers;
};

// Every topic declaration of the run, in a stable order (objects, then files by path and line).
// Collected once per run, shared by every topic check (engine::derived).
const TopicInventory& collect_topics(const engine::ManifestContext& context);

// The finding about `topic` at `place`, or at the declaration when `place` is unknown.
void report(engine::Emitter& out, const TopicDeclaration& topic, const Place& place, std::string message);

// Command lines of a script, Makefile, Dockerfile or Markdown file (its
// code blocks only) that create topics.
std::vector<TopicDeclaration> topics_in_text(std::string_view path, std::string_view text, bool markdown);

// A Dapr Subscription (dapr.io) and the repository's `pubsub.kafka` Component
// it names (in its namespace when both declare one): the Kafka consumers the
// manifests declare. Subscriptions to components defined elsewhere are left out.
struct DaprKafkaSubscription {
  const kube::Object* subscription = nullptr;
  const kube::Object* component = nullptr;
  const yaml::Node* spec = nullptr;
  const yaml::Node* pubsub = nullptr;  // spec.pubsubname
};
std::vector<DaprKafkaSubscription> dapr_kafka_subscriptions(const kube::ManifestSet& set);

}  // namespace constable::checks::kafka

// kafka/dead-letter-queue: "Dead letter queues MUST be configured for poison
// messages". Judged where the repository states how a consumer treats a
// message it cannot process: Dapr subscriptions to a Kafka pub/sub
// component, and Strimzi sink connectors that tolerate errors.

#include <fmt/format.h>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace dead_letter_queue_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/dead-letter-queue",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Give Kafka consumers a dead-letter topic for messages they cannot process",
    .rationale =
        "A message a consumer cannot process (a poison message) either blocks its partition, retried "
        "forever, or is dropped without a trace. A dead-letter topic keeps it, with its error, for someone "
        "to inspect and replay. The check judges what the repository declares: a Dapr Subscription "
        "(`dapr.io` v1alpha1 or v2alpha1) to a pub/sub Component of type `pubsub.kafka` of the repository "
        "needs `spec.deadLetterTopic`; a Strimzi KafkaConnector of a sink connector (its class names a "
        "Sink) with `errors.tolerance: all` skips failing records, so it needs "
        "`errors.deadletterqueue.topic.name`. Subscriptions to components the repository does not define, "
        "and values a template fills in, are not judged.",
    .remediation = "Set `deadLetterTopic` on the Dapr Subscription, or `errors.deadletterqueue.topic.name` (with "
                   "`errors.deadletterqueue.context.headers.enable: true`) on the sink connector.",
    .bad_example = "apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: orders\nspec:\n"
                   "  pubsubname: kafka-pubsub\n  topic: orders.order.created\n  routes:\n    default: /orders\n",
    .good_example = "apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: orders\nspec:\n"
                    "  pubsubname: kafka-pubsub\n  topic: orders.order.created\n  routes:\n    default: /orders\n"
                    "  deadLetterTopic: orders.order.created.dlq\n",
    .parameters = "",
    .clause = {.section = "kafka|consumer", .text = R"(dead.?letter|\bdlq\b|poison)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr subscriptions and Strimzi connectors are judged, wherever they are
    .scope = engine::Scope::manifests,
    .not_at_admission = "a Subscription is judged by the pub/sub Component it names elsewhere in the repository",
};

class DeadLetterQueueCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    for (const DaprKafkaSubscription& use : dapr_kafka_subscriptions(set)) {
      if (const yaml::Node* dlq = use.spec->get("deadLetterTopic"); dlq != nullptr && !dlq->is_null()) continue;
      const yaml::Node* topic = use.spec->get("topic");
      kubernetes::report(out, *use.subscription, use.pubsub,
                         fmt::format("{} subscribes to {}{} on the Kafka pub/sub {} without a deadLetterTopic: a "
                                     "message its app cannot process is retried without end or dropped",
                                     use.subscription->display_name(),
                                     topic != nullptr && topic->is_scalar() ? "topic " : "a topic",
                                     topic != nullptr && topic->is_scalar() ? std::string(topic->str()) : std::string(),
                                     use.component->display_name()));
    }
    for (const kube::Object* connector : set.of_kind("KafkaConnector")) {
      if (!connector->api_version.starts_with("kafka.strimzi.io/")) continue;
      const yaml::Node* spec = connector->root->get("spec");
      const yaml::Node* klass = spec != nullptr ? spec->get("class") : nullptr;
      const yaml::Node* config = spec != nullptr ? spec->get("config") : nullptr;
      if (klass == nullptr || config == nullptr || !config->is_mapping()) continue;
      // Kafka Connect sends to a dead-letter topic only from sink connectors.
      if (!text::icontains(klass->str(), "sink")) continue;
      const yaml::Entry* tolerance = config->find("errors.tolerance");
      if (tolerance == nullptr || text::to_lower(text::trim(tolerance->value->str())) != "all") continue;
      const yaml::Node* dlq = config->get("errors.deadletterqueue.topic.name");
      if (dlq != nullptr && !text::trim(dlq->str()).empty()) continue;
      kubernetes::report(out, *connector, tolerance->value,
                         fmt::format("{} tolerates every error (errors.tolerance: all) without "
                                     "errors.deadletterqueue.topic.name: records it cannot write are skipped and "
                                     "lost",
                                     connector->display_name()));
    }
  }
};

}  // namespace dead_letter_queue_check
}  // namespace

std::unique_ptr<engine::Check> make_dead_letter_queue_check() {
  return engine::make_check<dead_letter_queue_check::DeadLetterQueueCheck>();
}

}  // namespace constable::checks::kafka

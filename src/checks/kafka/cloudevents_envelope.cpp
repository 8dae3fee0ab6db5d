// kafka/cloudevents-envelope: "CloudEvents specification MUST be followed
// for event envelopes". Dapr wraps what it publishes in a CloudEvent unless
// told to pass raw payloads; a subscription that asks for raw payloads reads
// messages without one.

#include <fmt/format.h>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace cloudevents_envelope_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/cloudevents-envelope",
    .domain = "kafka",
    .nature = Nature::maintainability,
    .summary = "Keep Kafka events in CloudEvents envelopes",
    .rationale =
        "A CloudEvents envelope gives every event the same id, source, type, time and trace context "
        "attributes, whoever produced it: consumers can deduplicate, route and trace events without knowing "
        "each producer's format. Dapr publishes CloudEvents by default; `rawPayload: \"true\"` in a "
        "Subscription's metadata makes it deliver the bare payload, so the topic carries (or is read as) "
        "events without an envelope. The check reports Dapr Subscriptions (dapr.io v1alpha1 or v2alpha1) to a "
        "`pubsub.kafka` Component of the repository that set rawPayload to true; values a template fills in "
        "are not judged.",
    .remediation = "Remove `rawPayload` from the Subscription's metadata and publish through Dapr (or with a "
                   "CloudEvents SDK) so every event carries its envelope; a topic fed by a producer outside "
                   "your control can be wrapped by a bridge that adds one.",
    .bad_example = "apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: orders\nspec:\n"
                   "  pubsubname: kafka-pubsub\n  topic: orders.order.created\n  routes:\n    default: /orders\n"
                   "  metadata:\n    rawPayload: \"true\"\n",
    .good_example = "apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: orders\nspec:\n"
                    "  pubsubname: kafka-pubsub\n  topic: orders.order.created\n  routes:\n    default: /orders\n"
                    "  deadLetterTopic: orders.order.created.dlq\n",
    .parameters = "",
    .clause = {.section = "kafka|message|event", .text = R"(cloud.?events)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr subscriptions are judged, wherever they are
    .scope = engine::Scope::manifests,
    .not_at_admission = "a Subscription is judged by the pub/sub Component it names elsewhere in the repository",
};

class CloudEventsEnvelopeCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const DaprKafkaSubscription& use : dapr_kafka_subscriptions(context.manifests())) {
      const yaml::Node* metadata = use.spec->get("metadata");
      if (metadata == nullptr || !metadata->is_mapping()) continue;
      const yaml::Entry* raw = metadata->find("rawPayload");
      if (raw == nullptr || raw->value == nullptr || text::to_lower(text::trim(raw->value->str())) != "true") continue;
      kubernetes::report(out, *use.subscription, raw->value,
                         fmt::format("{} reads the Kafka pub/sub {} with rawPayload true: its events arrive "
                                     "without a CloudEvents envelope (no id, source, type or trace context)",
                                     use.subscription->display_name(), use.component->display_name()));
    }
  }
};

}  // namespace cloudevents_envelope_check
}  // namespace

std::unique_ptr<engine::Check> make_cloudevents_envelope_check() {
  return engine::make_check<cloudevents_envelope_check::CloudEventsEnvelopeCheck>();
}

}  // namespace constable::checks::kafka

// kafka/producer-retries: "Retries MUST be configured with exponential backoff".

#include <fmt/format.h>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/producer_settings.hpp"

namespace constable::checks::kafka {

namespace {
namespace producer_retries_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/producer-retries",
    .domain = "kafka",
    .nature = Nature::reliability,
    .summary = "Let Kafka producers retry, with a backoff that grows",
    .rationale =
        "A leader election or a full request queue makes a send fail for a moment; a producer that does not "
        "retry turns that moment into lost or failed writes, and one that retries at a fixed pace hammers a "
        "broker that is already struggling. Kafka's Java client (3.7 and later, KIP-580) and librdkafka (2.2 "
        "and later) retry by default with a backoff that doubles from `retry.backoff.ms` up to "
        "`retry.backoff.max.ms`, so the check reports only settings written out that undo it: `retries` set to "
        "0, and a `retry.backoff.max.ms` no larger than the `retry.backoff.ms` of the same client, which makes "
        "the backoff constant. It reads Java client properties, Spring Boot and Spring Cloud Stream settings "
        "(one YAML document, one client), Compose environments and confluent-kafka clients configured by a "
        "dict literal in Python.",
    .remediation = "Remove `retries=0` (the client's default retries until `delivery.timeout.ms`), and leave "
                   "`retry.backoff.max.ms` at its default (1000) or set it well above `retry.backoff.ms`.",
    .bad_example = "bootstrap.servers=kafka:9092\nretry.backoff.ms=500\nretry.backoff.max.ms=500\n",
    .good_example = "bootstrap.servers=kafka:9092\nretry.backoff.ms=100\nretry.backoff.max.ms=5000\n",
    .parameters = "",
    .clause = {.section = "kafka|producer", .text = R"(retr(y|ies).*(backoff|back-off))"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka client settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

class ProducerRetriesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return may_hold_client_settings(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    for (const ProducerGroup& group : producer_groups(file)) {
      if (const ClientSetting* retries = group.get("retries"); retries != nullptr && whole_number(retries->value) == 0)
        out.report(retries->range,
                   fmt::format("{} is 0: a send that fails on a leader election or a full queue is not retried, "
                               "and its record is lost unless the application retries it itself",
                               retries->key),
                   retries->key);
      const ClientSetting* base = group.get("retry.backoff.ms");
      const ClientSetting* max = group.get("retry.backoff.max.ms");
      if (max == nullptr) continue;
      const auto max_ms = whole_number(max->value);
      // Without retry.backoff.ms the base is the default, 100 ms.
      const auto base_ms = base != nullptr ? whole_number(base->value) : std::optional<long long>(100);
      if (!max_ms || !base_ms || *max_ms > *base_ms) continue;
      out.report(max->range,
                 fmt::format("{} is {} ms, no more than the {} ms {}: every retry waits the same, so the backoff "
                             "is constant, not exponential",
                             max->key, *max_ms, *base_ms,
                             base != nullptr ? fmt::format("of {}", base->key) : std::string("default retry.backoff.ms")),
                 max->key);
    }
  }
};

}  // namespace producer_retries_check
}  // namespace

std::unique_ptr<engine::Check> make_producer_retries_check() {
  return engine::make_check<producer_retries_check::ProducerRetriesCheck>();
}

}  // namespace constable::checks::kafka

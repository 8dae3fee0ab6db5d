// kafka/consumer-lag-alerting: "Kafka consumer lag: < 1000 messages" (Performance
// and Scalability > Message Processing), watched by an alert as "Lag monitoring
// MUST be implemented with alerting" asks.

#include <fmt/format.h>
#include <re2/re2.h>

#include <cmath>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "checks/observability/alert_rules.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace consumer_lag_alerting_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/consumer-lag-alerting",
    .domain = "kafka",
    .nature = Nature::reliability,
    .summary = "Alert on Kafka consumer lag at the constitution's limit",
    .rationale =
        "Consumer lag, the records written but not yet consumed, is how a stuck or too slow consumer shows: "
        "without an alert on it, events pile up unnoticed until someone asks where they went. A repository "
        "that declares Kafka topics (Strimzi KafkaTopic objects, Dapr Kafka components, topic-creating "
        "commands in scripts, Makefiles and Dockerfiles) needs a Prometheus alerting rule on consumer lag "
        "(kafka-exporter's kafka_consumergroup_lag, KMinion's, Burrow's, the clients' records-lag metrics: "
        "an expression naming a lag metric of consumers or Kafka), and one whose threshold is above the "
        "constitution's figure lets lag grow past it silently. Alerting rules are read as observability's "
        "checks read them (PrometheusRule objects, rule files, Helm values); only a whole expression "
        "`<lag> > <number>` is compared with the figure. A repository with no alerting rule at all is not "
        "judged: its alerts live elsewhere, where this check cannot see them. A repository with no lag alert breaks "
        "the consumer standards' \"Lag monitoring MUST be implemented with alerting\" where the constitution has "
        "it, and the finding cites that clause.",
    .remediation =
        "Add an alerting rule on consumer lag, e.g. `sum by (consumergroup, topic) (kafka_consumergroup_lag) > "
        "1000` in a PrometheusRule, at or below the constitution's figure, with a runbook.",
    .bad_example = "groups:\n  - name: kafka\n    rules:\n      - alert: KafkaConsumerLagHigh\n"
                   "        expr: sum by (consumergroup) (kafka_consumergroup_lag) > 100000\n",
    .good_example = "groups:\n  - name: kafka\n    rules:\n      - alert: KafkaConsumerLagHigh\n"
                    "        expr: sum by (consumergroup) (kafka_consumergroup_lag) > 1000\n",
    .parameters = "the number of messages in the clause, e.g. \"Kafka consumer lag: < 1000 messages\"",
    .clause = {.section = "performance|message processing", .text = "consumer lag"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only repositories that declare Kafka topics are judged
    .scope = engine::Scope::repository,
};

// An expression about consumer lag: it names a lag metric of consumers or of Kafka.
bool watches_consumer_lag(std::string_view expr) {
  const std::string lower = text::to_lower(expr);
  if (lower.find("lag") == std::string::npos) return false;
  return lower.find("consumer") != std::string::npos || lower.find("kafka") != std::string::npos ||
         lower.find("burrow") != std::string::npos;
}

// The first sign that the repository uses Kafka topics, for the finding's place and message.
struct Evidence {
  std::string path;
  int line = 0;
  std::string what;
};

std::optional<Evidence> kafka_evidence(const engine::RepositoryContext& repository) {
  for (const auto& file : repository.workspace().files) {
    const bool manifest_like =
        file.kind == FileKind::yaml || file.kind == FileKind::json || file.kind == FileKind::helm_template;
    const std::string name = text::to_lower(text::basename(file.path));
    // Documentation showing how to create a topic is no sign the project runs one: Markdown is not read.
    const bool script_like =
        file.kind == FileKind::dockerfile || name == "makefile" || name.ends_with(".mk") || name.ends_with(".sh");
    if (!manifest_like && !script_like) continue;
    const std::string* content = repository.text(file);
    if (content == nullptr) continue;
    if (manifest_like) {
      const auto lines = text::split_lines(*content);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = text::trim(lines[i]);
        if (line == "kind: KafkaTopic" || line == "kind: \"KafkaTopic\"")
          return Evidence{file.path, static_cast<int>(i + 1), "a Strimzi KafkaTopic"};
        if (line == "type: pubsub.kafka" || line == "type: bindings.kafka")
          return Evidence{file.path, static_cast<int>(i + 1), "a Dapr Kafka component"};
      }
    }
    if (script_like) {
      const auto topics = topics_in_text(file.path, *content, false);
      if (!topics.empty())
        return Evidence{file.path, topics.front().declaration.line, "a command that creates topics"};
    }
  }
  return std::nullopt;
}

class ConsumerLagAlertingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    bound_ = &clause;
    for (const auto& quantity : constitution::quantities(clause.text)) {
      if (quantity.kind != constitution::Quantity::Kind::count) continue;
      limit_ = quantity.value;
      stated_ = quantity.bound == constitution::Bound::at_most ? "under " + quantity.text : "at " + quantity.text;
      return {};
    }
    return fail("the clause gives no consumer lag figure, e.g. \"Kafka consumer lag: < 1000 messages\"");
  }
  std::string bound_parameters() const override { return fmt::format("lag alert at {} messages or fewer", limit_); }

  // The Consumer Standards' "Lag monitoring MUST be implemented with
  // alerting" is what a repository without any lag alert breaks; the figure
  // this check is bound to is what a looser alert breaks.
  Result<void> bind_related(const constitution::Constitution& constitution) override {
    static const RE2 kSection(R"((?i)consumer)");
    static const RE2 kText(R"((?i)\blag\b.*\b(monitor|alert))");
    monitoring_ = nullptr;
    for (const constitution::Clause& clause : constitution.clauses)
      if (&clause != bound_ && RE2::PartialMatch(clause.section_joined(), kSection) &&
          RE2::PartialMatch(clause.text, kText)) {
        monitoring_ = &clause;
        break;
      }
    return {};
  }
  std::vector<const constitution::Clause*> also_enforced() const override {
    if (monitoring_ == nullptr) return {};
    return {monitoring_};
  }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto rules = observability::collect_alert_rules(repository);
    // A repository without alerting rules keeps its alerts elsewhere (a monitoring repository, a
    // platform team's stack): nothing here says whether lag is watched.
    if (rules.empty()) return;
    const auto evidence = kafka_evidence(repository);
    if (!evidence) return;
    bool watched = false;
    for (const auto& rule : rules) {
      if (rule.expr == nullptr || !rule.expr->is_scalar() || !watches_consumer_lag(rule.expr->value)) continue;
      watched = true;
      if (observability::is_templated(rule.expr->value)) continue;
      const auto comparison = observability::upper_threshold(rule.expr->value);
      if (!comparison || comparison->threshold <= limit_) continue;
      observability::report(out, rule, rule.expr,
                            fmt::format("alert '{}' fires only when consumer lag exceeds {}; the constitution keeps "
                                        "it {}",
                                        rule.name, format_number(comparison->threshold), stated_));
    }
    if (watched) return;
    observability::report(out, rules.front(), nullptr,
                          fmt::format("none of the repository's {} alerting rules watches consumer lag, though it "
                                      "declares Kafka topics ({} in {}:{}); the constitution keeps lag {}",
                                      rules.size(), evidence->what, evidence->path, evidence->line, stated_),
                          monitoring_);
  }

 private:
  static std::string format_number(double n) {
    return std::floor(n) == n ? fmt::format("{}", static_cast<long long>(n)) : fmt::format("{}", n);
  }

  double limit_ = 1000;
  const constitution::Clause* bound_ = nullptr;
  const constitution::Clause* monitoring_ = nullptr;  // "Lag monitoring MUST be implemented with alerting"
  std::string stated_ = "under 1000 messages";
};

}  // namespace consumer_lag_alerting_check
}  // namespace

std::unique_ptr<engine::Check> make_consumer_lag_alerting_check() {
  return engine::make_check<consumer_lag_alerting_check::ConsumerLagAlertingCheck>();
}

}  // namespace constable::checks::kafka

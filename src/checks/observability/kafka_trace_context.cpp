// observability/kafka-trace-context: "Trace context MUST be propagated
// through Kafka messages". A service set up with OpenTelemetry that produces
// Kafka messages must put the trace context into their headers: by a Kafka
// instrumentation, or by calling the propagator's inject itself.

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <optional>

#include "checks/observability/observability_checks.hpp"
#include "checks/observability/services.hpp"
#include "core/text.hpp"
#include "workspace/provenance.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::observability {

namespace {
namespace kafka_trace_context_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/kafka-trace-context",
    .domain = "observability",
    .nature = Nature::maintainability,
    .summary = "Put the trace context into the headers of the Kafka messages a traced service sends",
    .rationale =
        "A trace that stops at the producer leaves every consumer starting a new one: the path of an order "
        "through its events cannot be followed, and latency between services cannot be attributed. "
        "OpenTelemetry carries the context in message headers, written by a Kafka instrumentation or by "
        "the propagator's `inject`. The check judges each service (the directory of a go.mod, package.json, "
        "requirements*.txt or pyproject.toml) whose dependencies include OpenTelemetry and whose code creates "
        "a Kafka producer (sarama's NewSyncProducer/NewAsyncProducer, segmentio's kafka.Writer, "
        "confluent-kafka-go's NewProducer; kafkajs's `.producer(`; confluent-kafka's Producer, kafka-python's "
        "KafkaProducer, aiokafka's AIOKafkaProducer): it needs a Kafka instrumentation among its dependencies "
        "(otelsarama, otelkafka, @opentelemetry/instrumentation-kafkajs, auto-instrumentations-node, "
        "opentelemetry-instrumentation-kafka-python, -confluent-kafka, -aiokafka), Python auto-instrumentation "
        "(opentelemetry-bootstrap or opentelemetry-instrument in its Dockerfile), or an `inject(` call in its "
        "code. Services without OpenTelemetry are not judged here.",
    .remediation = "Add the Kafka instrumentation of the client library, or inject the context into the "
                   "message headers before sending: `otel.GetTextMapPropagator().Inject(ctx, "
                   "otelsarama.NewProducerMessageCarrier(msg))`, `propagation.inject(context.active(), headers)`, "
                   "`inject(headers)` from opentelemetry.propagate.",
    .bad_example = "producer, err := sarama.NewSyncProducer(brokers, config)\n"
                   "_, _, err = producer.SendMessage(&sarama.ProducerMessage{Topic: topic, Value: value})\n",
    .good_example = "msg := &sarama.ProducerMessage{Topic: topic, Value: value}\n"
                    "otel.GetTextMapPropagator().Inject(ctx, otelsarama.NewProducerMessageCarrier(msg))\n"
                    "_, _, err = producer.SendMessage(msg)\n",
    .parameters = "",
    .clause = {.section = "tracing|observability", .text = R"(trace context.*kafka|kafka.*trace context)"},
    .file_kind = FileKind::other,
    .stack = "",  // only services with OpenTelemetry and Kafka producers are judged
    .scope = engine::Scope::repository,
};

struct Service {
  bool opentelemetry = false;
  bool instrumented = false;  // a Kafka instrumentation, auto-instrumentation or an inject call
  std::string manifest;
  std::optional<std::pair<std::string, int>> producer;  // the first producer's file and line
  std::string producer_call;
};

bool is_manifest(std::string_view name) {
  return name == "go.mod" || name == "package.json" || name == "pyproject.toml" || name == "pipfile" ||
         (name.starts_with("requirements") && name.ends_with(".txt"));
}

enum class Language { other, go, script, python };

Language language_of(std::string_view name) {
  if (name.ends_with(".go")) return Language::go;
  if (name.ends_with(".py")) return Language::python;
  if (name.ends_with(".js") || name.ends_with(".mjs") || name.ends_with(".cjs") || name.ends_with(".ts"))
    return Language::script;
  return Language::other;
}

class KafkaTraceContextCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    static const RE2 kInstrumentation(
        R"((otelsarama|otelkafka|instrumentation-kafkajs|auto-instrumentations-node|opentelemetry-instrumentation-(kafka|confluent|aiokafka)|opentelemetry-distro))");
    static const RE2 kAutoInstrument(R"((opentelemetry-bootstrap|opentelemetry-instrument\b))");
    static const RE2 kGoProducer(R"((sarama\.New(Sync|Async)Producer|kafka\.Writer\{|kafka\.NewWriter\(|kafka\.NewProducer\())");
    static const RE2 kScriptProducer(R"re(\.producer\(\s*(\{|\)))re");
    static const RE2 kPythonProducer(R"(\b(Producer|SerializingProducer|KafkaProducer|AIOKafkaProducer)\()");
    static const RE2 kInject(R"(\b[Ii]nject\s*\()");
    const auto& files = repository.workspace().files;
    // The services: directories holding a dependency manifest.
    std::map<std::string, Service, std::less<>> services;
    for (const workspace::File& file : files) {
      const std::string name = text::to_lower(text::basename(file.path));
      if (!is_manifest(name)) continue;
      const std::string* content = repository.text(file);
      if (content == nullptr) continue;
      Service& service = services[std::string(text::dirname(file.path))];
      if (service.manifest.empty()) service.manifest = file.path;
      if (content->find("opentelemetry") != std::string::npos) service.opentelemetry = true;
      if (RE2::PartialMatch(*content, kInstrumentation)) service.instrumented = true;
    }
    if (services.empty()) return;
    for (const workspace::File& file : files) {
      const std::string name = text::to_lower(text::basename(file.path));
      const Language language = language_of(name);
      const bool dockerfile = is_dockerfile_name(name);
      if (language == Language::other && !dockerfile) continue;
      if (language != Language::other &&
          (workspace::is_test_source(file.path) || workspace::is_test_artifact(file.path)))
        continue;
      Service* service = enclosing_service(services, file.path);
      if (service == nullptr || !service->opentelemetry) continue;
      const std::string* content = repository.text(file);
      if (content == nullptr) continue;
      if (dockerfile) {
        if (RE2::PartialMatch(*content, kAutoInstrument)) service->instrumented = true;
        continue;
      }
      if (RE2::PartialMatch(*content, kInject)) service->instrumented = true;
      if (service->producer) continue;
      const RE2& producer = language == Language::go ? kGoProducer
                            : language == Language::python ? kPythonProducer
                                                            : kScriptProducer;
      if (language == Language::python && content->find("kafka") == std::string::npos) continue;
      if (language == Language::script && content->find("kafkajs") == std::string::npos) continue;
      int number = 0;
      for (std::string_view line : text::split_lines(*content)) {
        ++number;
        re2::StringPiece match;
        if (!RE2::PartialMatch(line, producer, &match)) continue;
        const std::string_view code = text::trim(line);
        if (code.starts_with("class ") || code.starts_with("def ") || code.starts_with('#') ||
            code.starts_with("//"))
          continue;  // a declaration or a comment, not a producer made
        service->producer = {file.path, number};
        service->producer_call = std::string(text::trim(std::string_view(match.data(), match.size())));
        break;
      }
    }
    for (const auto& [dir, service] : services) {
      if (!service.opentelemetry || service.instrumented || !service.producer) continue;
      const auto& [path, line] = *service.producer;
      out.emit({.range = SourceRange::at_line(line),
                .message = fmt::format("{} makes a Kafka producer in a service that depends on OpenTelemetry "
                                       "({}), but nothing puts the trace context into the messages' headers (no "
                                       "Kafka instrumentation, no inject call): consumers start new traces",
                                       service.producer_call, service.manifest),
                .path_override = path,
                .anchor = "kafka producer " + dir});
    }
  }
};

}  // namespace kafka_trace_context_check
}  // namespace

std::unique_ptr<engine::Check> make_kafka_trace_context_check() {
  return engine::make_check<kafka_trace_context_check::KafkaTraceContextCheck>();
}

}  // namespace constable::checks::observability

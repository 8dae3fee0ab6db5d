// dapr/tracing: "Dapr tracing MUST be enabled with OpenTelemetry". A Dapr
// Configuration samples traces (tracing.samplingRate > 0) and exports them
// to an exporter the clause names.

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <set>

#include "checks/dapr/dapr_checks.hpp"
#include "checks/dapr/dapr_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::dapr {

namespace {
namespace tracing_check {

constexpr engine::CheckInfo kInfo{
    .id = "dapr/tracing",
    .domain = "dapr",
    .nature = Nature::reliability,
    .summary = "Enable Dapr tracing with a sampling rate and an OpenTelemetry exporter",
    .rationale =
        "Dapr's sidecars see every call between services and to components: with tracing on, each request "
        "is one trace across them; without it, a slow or failing request has to be pieced together from "
        "logs. Tracing is on for the apps of a Dapr Configuration whose `spec.tracing` has a `samplingRate` "
        "above 0 and an exporter endpoint. The exporters accepted are those the clause names: OpenTelemetry "
        "(`tracing.otel.endpointAddress`, OTLP) for \"OpenTelemetry\"; `tracing.zipkin.endpointAddress` counts "
        "only when the clause names Zipkin or when its host is an OpenTelemetry Collector (`otel` in the "
        "name) receiving Zipkin. A repository with Dapr Components and no Configuration is a finding too: "
        "what the sidecars get then is not in version control (in Kubernetes, Dapr's defaults, which name no "
        "exporter; in self-hosted mode, whatever `dapr init` left in ~/.dapr/config.yaml). The control plane's "
        "`daprsystem` Configuration is not judged, nor a Configuration without tracing beside one with tracing in "
        "the same directory (daprd merges several `--config` files).",
    .remediation =
        "In the Configuration the apps use (`dapr.io/config` annotation, `--config`), set "
        "`spec.tracing.samplingRate` (\"1\" samples every request) and `spec.tracing.otel.endpointAddress` "
        "(with `protocol` and `isSecure`) to your OpenTelemetry Collector.",
    .bad_example = "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: appconfig\nspec:\n"
                   "  tracing:\n    samplingRate: \"0\"\n",
    .good_example = "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: appconfig\nspec:\n"
                    "  tracing:\n    samplingRate: \"1\"\n    otel:\n      endpointAddress: otel-collector:4317\n"
                    "      isSecure: false\n      protocol: grpc\n",
    .parameters = "the exporters the clause names: OpenTelemetry (otel), Zipkin",
    .clause = {.section = "dapr", .text = "tracing"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr resources are judged, wherever they are
    .scope = engine::Scope::manifests,
    .not_at_admission = "a repository without any Dapr Configuration is judged from its Components",
};

std::optional<double> sampling_rate(std::string_view text) {
  text = text::trim(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// An exporter's endpoint, null when the exporter is absent or its address empty.
const yaml::Node* endpoint(const yaml::Node* tracing, std::string_view exporter) {
  const yaml::Node* address = tracing->at(exporter, "endpointAddress");
  return address != nullptr && address->is_scalar() && !text::trim(address->str()).empty() ? address : nullptr;
}

class TracingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const std::string lower = text::to_lower(clause.text);
    otel_ = lower.find("opentelemetry") != std::string::npos || lower.find("otel") != std::string::npos ||
            lower.find("otlp") != std::string::npos;
    zipkin_ = lower.find("zipkin") != std::string::npos;
    if (!otel_ && !zipkin_) otel_ = zipkin_ = true;  // "tracing MUST be enabled": any exporter will do
    return {};
  }
  std::string bound_parameters() const override {
    if (otel_ && zipkin_) return "exporters: OpenTelemetry or Zipkin";
    return otel_ ? "exporter: OpenTelemetry (otel.endpointAddress)" : "exporter: Zipkin (zipkin.endpointAddress)";
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const DaprResources dapr = dapr_resources(context.manifests());
    for (const kube::Object* configuration : dapr.configurations)
      check_configuration(*configuration, traced_beside(*configuration, dapr.configurations), out);
    if (!dapr.configurations.empty() || dapr.components.empty()) return;
    const kube::Object& first = *dapr.components.front();
    // A chart rendered for several environments holds each component once per render.
    std::set<std::string> names;
    for (const kube::Object* component : dapr.components) names.insert(component->name);
    engine::Emission e = kubernetes::emission_at(
        first, nullptr,
        fmt::format("the repository declares {} Dapr component{} (first: '{}') but no Dapr Configuration: "
                    "nothing in version control enables tracing with {}",
                    names.size(), names.size() == 1 ? "" : "s", first.name, exporters()));
    e.anchor = "no Dapr Configuration";
    out.emit(std::move(e));
  }

 private:
  std::string exporters() const {
    if (otel_ && zipkin_) return "an OpenTelemetry or Zipkin exporter";
    return otel_ ? "OpenTelemetry" : "Zipkin";
  }

  // Whether another Configuration of the same directory has a tracing block:
  // daprd merges several `--config` files, so one holding only features may
  // be loaded beside the one that traces.
  static bool traced_beside(const kube::Object& configuration, const std::vector<const kube::Object*>& all) {
    const std::string_view dir = text::dirname(configuration.source->path);
    for (const kube::Object* other : all) {
      if (other == &configuration || text::dirname(other->source->path) != dir) continue;
      const yaml::Node* tracing = other->root->at("spec", "tracing");
      if (tracing != nullptr && tracing->is_mapping()) return true;
    }
    return false;
  }

  void check_configuration(const kube::Object& configuration, bool traced_beside, engine::Emitter& out) const {
    if (configuration.name == "daprsystem" || is_deferred(configuration.name)) return;
    const std::string who = fmt::format("Dapr Configuration '{}'", configuration.name);
    const yaml::Node* tracing = configuration.root->at("spec", "tracing");
    if (tracing == nullptr || !tracing->is_mapping()) {
      if (traced_beside) return;
      const yaml::Node* spec = configuration.root->get("spec");
      out.emit(kubernetes::emission_at(
          configuration, spec != nullptr ? configuration.root->find("spec")->key : nullptr,
          fmt::format("{} has no spec.tracing: the apps that use it send no traces", who)));
      return;
    }
    const yaml::Node* tracing_key = configuration.root->get("spec")->find("tracing")->key;
    const yaml::Entry* rate = tracing->find("samplingRate");
    const bool rate_unset = rate == nullptr || rate->value == nullptr || rate->value->is_null();
    if (!rate_unset && !is_deferred(rate->value->str())) {
      const auto value = sampling_rate(rate->value->str());
      if (value && *value <= 0) {
        // Tracing is switched off: where it would export is beside the point.
        out.emit(kubernetes::emission_at(
            configuration, rate->value,
            fmt::format("{} sets tracing.samplingRate to {}: no request is traced", who, rate->value->str())));
        return;
      }
    }
    const std::string_view wanted = otel_ ? "tracing.otel.endpointAddress" : "tracing.zipkin.endpointAddress";
    if (exports_as_required(tracing)) {
      if (rate_unset)
        out.emit(kubernetes::emission_at(
            configuration, tracing_key,
            fmt::format("{} sets no tracing.samplingRate: tracing is not explicitly enabled", who)));
      return;
    }
    const yaml::Node* zipkin = endpoint(tracing, "zipkin");
    if (zipkin != nullptr && !zipkin_) {
      out.emit(kubernetes::emission_at(
          configuration, zipkin,
          fmt::format("{} exports traces to Zipkin ({}), not with OpenTelemetry{}: set {} to an OTLP endpoint", who,
                      text::shorten(zipkin->str(), 120), rate_unset ? " and sets no tracing.samplingRate" : "",
                      wanted)));
      return;
    }
    if (const yaml::Node* otel = endpoint(tracing, "otel"); otel != nullptr && !otel_) {
      out.emit(kubernetes::emission_at(configuration, otel,
                                       fmt::format("{} exports traces with OpenTelemetry, not to Zipkin: set {}",
                                                   who, wanted)));
      return;
    }
    out.emit(kubernetes::emission_at(
        configuration, tracing_key,
        fmt::format("{} {}: it has no {} endpoint ({})", who,
                    rate_unset ? "sets neither tracing.samplingRate nor an exporter" : "exports traces nowhere",
                    exporters(), wanted)));
  }

  // Whether the tracing block exports to an exporter the clause accepts. A
  // Zipkin endpoint on an OpenTelemetry Collector (its Zipkin receiver) is
  // OpenTelemetry's; an address a template fills in is given the benefit of the doubt.
  bool exports_as_required(const yaml::Node* tracing) const {
    if (otel_ && endpoint(tracing, "otel") != nullptr) return true;
    const yaml::Node* zipkin = endpoint(tracing, "zipkin");
    if (zipkin == nullptr) return false;
    return zipkin_ || is_deferred(zipkin->str()) || text::icontains(zipkin->str(), "otel") ||
           text::icontains(zipkin->str(), "opentelemetry");
  }

  bool otel_ = true;
  bool zipkin_ = false;
};

}  // namespace tracing_check
}  // namespace

std::unique_ptr<engine::Check> make_tracing_check() { return engine::make_check<tracing_check::TracingCheck>(); }

}  // namespace constable::checks::dapr

// observability/trace-sampling: "Critical paths MUST have trace sampling at
// 100%". A sampler set once for every path below the clause's figure, with no
// parent-based decision and no per-operation or tail-sampling rule that could
// keep the critical paths whole, samples the critical paths below it too.

#include <fmt/format.h>
#include <re2/re2.h>

#include <cmath>
#include <optional>
#include <vector>

#include "checks/observability/observability_checks.hpp"
#include "constitution/parameters.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "kube/production.hpp"

namespace constable::checks::observability {

namespace {
namespace trace_sampling_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/trace-sampling",
    .domain = "observability",
    .nature = Nature::reliability,
    .summary = "Do not sample every path, critical ones included, below the constitution's rate",
    .rationale =
        "Sampling a fraction of traces is fine for routine paths, but a payment or checkout that fails in the "
        "unsampled 90% leaves no trace to debug it with. The constitution asks for critical paths at a rate "
        "(\"trace sampling at 100%\"); a sampler configured once for everything below that rate, with nothing "
        "that keeps some paths whole, samples the critical ones below it too. The check reads, in any text "
        "file: `OTEL_TRACES_SAMPLER=traceidratio` (or `always_off`) with `OTEL_TRACES_SAMPLER_ARG` (.env, "
        "Dockerfile, Compose and Kubernetes `env`); a TraceIdRatioBased sampler built in code with a literal "
        "ratio; an OpenTelemetry Collector's `probabilistic_sampler` used in a pipeline; a Jaeger sampling "
        "strategies file's probabilistic `default_strategy`; a Dapr Configuration's `tracing.samplingRate`; "
        "Spring's `management.tracing.sampling.probability`; an Istio Telemetry's `randomSamplingPercentage`. "
        "A parent-based sampler (the caller's decision is kept, so an edge that samples critical paths "
        "whole propagates it), a Collector with a `tail_sampling` processor, and a Jaeger file with "
        "per-operation strategies are not judged: they can hold the critical paths' rule. Development, test "
        "and local files are not judged.",
    .remediation = "Keep the low ratio for routine paths but sample critical ones whole: use a parent-based "
                   "sampler (`parentbased_traceidratio`) behind an edge that samples critical routes, add a "
                   "Collector `tail_sampling` policy (e.g. `string_attribute` on `http.route`) or Jaeger "
                   "`operation_strategies` at 1.0, or raise the rate.",
    .bad_example = "OTEL_TRACES_SAMPLER=traceidratio\nOTEL_TRACES_SAMPLER_ARG=0.1\n",
    .good_example = "OTEL_TRACES_SAMPLER=parentbased_traceidratio\nOTEL_TRACES_SAMPLER_ARG=0.1\n",
    .parameters = "the sampling rate critical paths need (\"trace sampling at 100%\")",
    .clause = {.section = "tracing|observability", .text = R"((^|[^-a-z])critical\b.*sampl.*\d\s*%|\d\s*%\s*(trace\s+)?sampl.*(^|[^-a-z])critical\b)"},
    .file_kind = FileKind::other,
    .stack = "",  // only sampler settings are judged, wherever they are
    .scope = engine::Scope::every_text_file,
};

// A sampler found in the file, as a fraction of traces.
struct Sampler {
  double fraction = 0;
  int line = 0;
  int column = 0;
  int end_column = 0;
  std::string what;  // "OTEL_TRACES_SAMPLER traceidratio at 0.1"
};

bool is_documentation(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  return name.ends_with(".md") || name.ends_with(".rst") || name.ends_with(".adoc") || name.ends_with(".txt") ||
         name.ends_with(".html") || name.ends_with(".mdx") || name.ends_with(".ipynb");
}

bool set_aside(std::string_view path, const engine::Config& config) {
  if (is_documentation(path)) return true;
  const kube::ProductionRules rules(config.production);
  if (rules.for_path(path)) return false;
  if (rules.non_production_for_path(path)) return true;
  static const RE2 kNonProduction(
      R"((^|[-_./])(test|tests|testing|dev|develop|development|local|example|examples|sample|samples|demo)([-_.]|$))");
  const std::string name = text::to_lower(text::basename(path));
  return RE2::PartialMatch(name, kNonProduction);
}

std::string percent_text(double fraction) { return fmt::format("{}%", std::round(fraction * 10000.0) / 100.0); }

std::optional<double> number(std::string_view s) {
  s = text::trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  if (s.empty()) return std::nullopt;
  const std::string copy(s);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || !std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

// The value a line gives a name: `NAME=v`, `NAME: v`, `ENV NAME v`, or the
// `value:` of a Kubernetes env entry on one of the next two lines.
std::optional<std::pair<std::string, int>> env_value(const std::vector<std::string_view>& lines, std::size_t i,
                                                     std::string_view name) {
  const std::string_view line = lines[i];
  const auto at = line.find(name);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text::trim(line.substr(at + name.size()));
  if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) rest = text::trim(rest.substr(1));
  if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) rest = text::trim(rest.substr(1));
  if (!rest.empty()) {
    const auto end = rest.find_first_of(" \t#,}");
    std::string_view value = rest.substr(0, end);
    while (!value.empty() && (value.back() == '"' || value.back() == '\'')) value.remove_suffix(1);
    while (!value.empty() && (value.front() == '"' || value.front() == '\'')) value.remove_prefix(1);
    if (!value.empty()) return std::pair{std::string(value), static_cast<int>(i) + 1};
  }
  static const RE2 kValue(R"re(^\s*-?\s*value\s*:\s*["']?([A-Za-z0-9_.]+)["']?\s*$)re");
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 2; ++j) {
    std::string value;
    if (RE2::FullMatch(lines[j], kValue, &value)) return std::pair{value, static_cast<int>(j) + 1};
  }
  return std::nullopt;
}

void from_environment(const std::vector<std::string_view>& lines, std::vector<Sampler>& out) {
  static const RE2 kSampler(R"(\bOTEL_TRACES_SAMPLER\b)");
  static const RE2 kArg(R"(\bOTEL_TRACES_SAMPLER_ARG\b)");
  std::optional<std::pair<std::string, int>> sampler;
  std::optional<std::pair<std::string, int>> arg;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("OTEL_TRACES_SAMPLER") == std::string_view::npos) continue;
    if (!sampler && RE2::PartialMatch(lines[i], kSampler)) sampler = env_value(lines, i, "OTEL_TRACES_SAMPLER");
    if (!arg && RE2::PartialMatch(lines[i], kArg)) arg = env_value(lines, i, "OTEL_TRACES_SAMPLER_ARG");
  }
  if (!sampler) return;
  const std::string name = text::to_lower(sampler->first);
  const auto locate = [&](int line, std::string_view token) {
    const std::string_view text = lines[static_cast<std::size_t>(line) - 1];
    const auto at = text.find(token);
    const int column = at == std::string_view::npos ? 1 : static_cast<int>(at) + 1;
    return std::pair{column, column + static_cast<int>(token.size())};
  };
  if (name == "always_off" || name == "parentbased_always_off") {
    const auto [column, end] = locate(sampler->second, sampler->first);
    out.push_back({0, sampler->second, column, end, fmt::format("OTEL_TRACES_SAMPLER {}", sampler->first)});
    return;
  }
  if (name != "traceidratio") return;
  // Without an argument the ratio is 1.0.
  if (!arg) return;
  const auto fraction = number(arg->first);
  if (!fraction) return;
  const auto [column, end] = locate(arg->second, arg->first);
  out.push_back({*fraction, arg->second, column, end,
                 fmt::format("OTEL_TRACES_SAMPLER traceidratio at {}", arg->first)});
}

void from_code(std::string_view content, const std::vector<std::string_view>& lines, std::vector<Sampler>& out) {
  if (!text::icontains(content, "ratiobased") && !text::icontains(content, "ratio_based")) return;
  // A parent-based sampler in the same file keeps the caller's decision.
  static const RE2 kParent(R"((?i)parent_?based)");
  if (RE2::PartialMatch(content, kParent)) return;
  static const RE2 kRatio(
      R"((?i)\b(trace_?id_?ratio_?based(?:_?sampler)?)\s*\(\s*(?:\{\s*ratio\s*:\s*)?(?:ratio\s*=\s*)?([0-9]*\.?[0-9]+)\b)");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    re2::StringPiece call;
    std::string ratio;
    if (!RE2::PartialMatch(lines[i], kRatio, &call, &ratio)) continue;
    const std::string_view code = text::trim(lines[i]);
    if (code.starts_with("//") || code.starts_with('#') || code.starts_with('*')) continue;
    const auto fraction = number(ratio);
    if (!fraction) continue;
    const int column = static_cast<int>(call.data() - lines[i].data()) + 1;
    out.push_back({*fraction, static_cast<int>(i) + 1, column, column + static_cast<int>(call.size()),
                   fmt::format("{}({})", std::string_view(call.data(), call.size()), ratio)});
  }
}

// Mappings of a document, walked without recursion to a bounded depth.
template <class Visit>
void each_mapping(const yaml::Node* root, Visit&& visit) {
  std::vector<std::pair<const yaml::Node*, int>> stack;
  if (root != nullptr) stack.push_back({root, 0});
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > 64) continue;
    if (node->is_mapping()) {
      visit(*node);
      for (const yaml::Entry& entry : node->entries)
        if (entry.value != nullptr && !entry.value->is_scalar()) stack.push_back({entry.value, depth + 1});
    } else if (node->is_sequence()) {
      for (const yaml::Node* item : node->items)
        if (item != nullptr && !item->is_scalar()) stack.push_back({item, depth + 1});
    }
  }
}

Sampler at_value(const yaml::Entry& entry, double fraction, std::string what) {
  return {fraction, entry.value->start.line, entry.value->start.column,
          entry.value->end.line == entry.value->start.line ? entry.value->end.column : entry.value->start.column + 1,
          std::move(what)};
}

// The processors a Collector's pipelines use; nullopt when the mapping has no `service.pipelines`.
std::optional<std::vector<std::string>> pipeline_processors(const yaml::Node& collector) {
  const yaml::Node* pipelines = collector.at("service", "pipelines");
  if (pipelines == nullptr || !pipelines->is_mapping()) return std::nullopt;
  std::vector<std::string> used;
  for (const yaml::Entry& pipeline : pipelines->entries) {
    const yaml::Node* processors = pipeline.value != nullptr ? pipeline.value->get("processors") : nullptr;
    if (processors == nullptr || !processors->is_sequence()) continue;
    for (const yaml::Node* item : processors->items)
      if (item != nullptr && item->is_scalar()) used.emplace_back(item->str());
  }
  return used;
}

void from_yaml(const yaml::Stream& stream, std::string_view content, std::vector<Sampler>& out) {
  const bool tail_sampling = content.find("tail_sampling") != std::string_view::npos;
  const bool operation_strategies = content.find("operation_strategies") != std::string_view::npos;
  for (const yaml::Document& document : stream.documents) {
    const yaml::Node* root = document.root;
    if (root == nullptr || !root->is_mapping()) continue;
    const std::string_view api = root->get("apiVersion") != nullptr ? root->get("apiVersion")->str() : "";
    const std::string_view kind = root->get("kind") != nullptr ? root->get("kind")->str() : "";
    // Dapr: spec.tracing.samplingRate, a string holding a fraction.
    if (api.starts_with("dapr.io/") && kind == "Configuration") {
      const yaml::Node* tracing = root->at("spec", "tracing");
      const yaml::Entry* rate = tracing != nullptr ? tracing->find("samplingRate") : nullptr;
      // "0" turns Dapr's tracing off: a finding of the clause that asks for tracing, not of sampling.
      if (rate != nullptr && rate->value != nullptr)
        if (const auto fraction = number(rate->value->str()); fraction && *fraction > 0)
          out.push_back(at_value(*rate, *fraction, fmt::format("Dapr samplingRate {}", rate->value->str())));
      continue;
    }
    // Istio Telemetry: spec.tracing[].randomSamplingPercentage.
    if (api.starts_with("telemetry.istio.io/") && kind == "Telemetry") {
      const yaml::Node* tracing = root->at("spec", "tracing");
      if (tracing == nullptr || !tracing->is_sequence()) continue;
      for (const yaml::Node* item : tracing->items) {
        const yaml::Entry* rate = item != nullptr ? item->find("randomSamplingPercentage") : nullptr;
        if (rate != nullptr && rate->value != nullptr)
          if (const auto percent = number(rate->value->str()))
            out.push_back(at_value(*rate, *percent / 100.0,
                                   fmt::format("Istio randomSamplingPercentage {}", rate->value->str())));
      }
      continue;
    }
    each_mapping(root, [&](const yaml::Node& mapping) {
      // Jaeger sampling strategies: default_strategy {type: probabilistic, param: 0.1}.
      if (const yaml::Node* strategy = mapping.get("default_strategy");
          strategy != nullptr && strategy->is_mapping() && !operation_strategies &&
          strategy->get("type") != nullptr && strategy->get("type")->str() == "probabilistic") {
        if (const yaml::Entry* param = strategy->find("param"); param != nullptr && param->value != nullptr)
          if (const auto fraction = number(param->value->str()))
            out.push_back(at_value(*param, *fraction,
                                   fmt::format("Jaeger's probabilistic default_strategy at {}", param->value->str())));
      }
      // OpenTelemetry Collector: processors.probabilistic_sampler[/name].sampling_percentage.
      if (const yaml::Node* processors = mapping.get("processors");
          processors != nullptr && processors->is_mapping() && !tail_sampling) {
        const auto used = pipeline_processors(mapping);
        for (const yaml::Entry& processor : processors->entries) {
          const std::string_view name = processor.key->str();
          if (name != "probabilistic_sampler" && !name.starts_with("probabilistic_sampler/")) continue;
          if (used && std::find(used->begin(), used->end(), name) == used->end()) continue;
          const yaml::Entry* percentage =
              processor.value != nullptr ? processor.value->find("sampling_percentage") : nullptr;
          if (percentage == nullptr || percentage->value == nullptr) continue;
          if (const auto percent = number(percentage->value->str()))
            out.push_back(at_value(*percentage, *percent / 100.0,
                                   fmt::format("the Collector's {} at {}%", name, percentage->value->str())));
        }
      }
      // Spring Boot: management.tracing.sampling.probability (nested or dotted).
      const yaml::Node* management = mapping.get("management");
      const yaml::Node* sampling =
          management != nullptr ? management->at("tracing", "sampling") : mapping.get("management.tracing.sampling");
      const yaml::Entry* probability = sampling != nullptr ? sampling->find("probability") : nullptr;
      if (probability == nullptr) probability = mapping.find("management.tracing.sampling.probability");
      if (probability != nullptr && probability->value != nullptr)
        if (const auto fraction = number(probability->value->str()))
          out.push_back(at_value(*probability, *fraction,
                                 fmt::format("management.tracing.sampling.probability {}", probability->value->str())));
    });
  }
}

void from_properties(const std::vector<std::string_view>& lines, std::vector<Sampler>& out) {
  static const RE2 kProbability(R"(^\s*management\.tracing\.sampling\.probability\s*[=:]\s*([0-9.]+)\s*$)");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string value;
    if (!RE2::FullMatch(lines[i], kProbability, &value)) continue;
    const auto fraction = number(value);
    if (!fraction) continue;
    const auto at = lines[i].rfind(value);
    const int column = static_cast<int>(at) + 1;
    out.push_back({*fraction, static_cast<int>(i) + 1, column, column + static_cast<int>(value.size()),
                   fmt::format("management.tracing.sampling.probability {}", value)});
  }
}

bool is_code(std::string_view path) {
  static constexpr std::string_view kExtensions[] = {".py", ".go", ".js", ".mjs", ".cjs", ".ts",
                                                     ".java", ".kt", ".cs", ".rb", ".rs", ".php"};
  for (std::string_view extension : kExtensions)
    if (path.ends_with(extension)) return true;
  return false;
}

// Whether a text speaks of sampling at all: "sampl" ("sampler", "Sampling",
// "SAMPLER") or a ratio-based sampler ("TraceIdRatioBased",
// "trace_id_ratio_based"). Whole files, every text file of a repository: one
// pass for every spelling.
bool mentions_sampling(std::string_view content) {
  static const text::Literals kSpellings{"sampl",      "Sampl",      "sAMPL",       "SAMPL",
                                         "ratioBased", "RatioBased", "ratio_based", "Ratio_based"};
  return kSpellings.any_in(content);
}

class TraceSamplingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    const auto percentage = constitution::capture_percentage(clause.text);
    if (!percentage || *percentage <= 0 || *percentage > 100)
      return fail("the clause states no sampling rate for critical paths (expected e.g. \"trace sampling at 100%\")");
    required_ = *percentage / 100.0;
    return {};
  }

  std::string bound_parameters() const override {
    return fmt::format("critical paths sampled at {}", percent_text(required_));
  }

  bool judges_path(std::string_view path) const override { return !is_documentation(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const std::string_view content = file.text();
    if (!mentions_sampling(content)) return;  // most files stop here
    const std::string& path = file.file().path;
    if (set_aside(path, file.config())) return;
    std::vector<Sampler> found;
    if (text::contains(content, "OTEL_TRACES_SAMPLER")) from_environment(file.lines(), found);
    if (is_code(path)) {
      from_code(content, file.lines(), found);
    } else if (file.file().kind == FileKind::yaml || file.file().kind == FileKind::json) {
      for (const std::string_view key :
           {"default_strategy", "probabilistic_sampler", "samplingRate", "randomSamplingPercentage", "probability"})
        if (text::contains(content, key)) {
          from_yaml(file.yaml(), content, found);
          break;
        }
    } else if (path.ends_with(".properties")) {
      from_properties(file.lines(), found);
    }
    for (const Sampler& sampler : found) {
      if (sampler.fraction + 1e-12 >= required_) continue;
      out.report({sampler.line, sampler.column, sampler.line, sampler.end_column},
                 fmt::format("{} samples {} of traces on every path, critical ones included, and nothing here "
                             "keeps a path whole (no parent-based sampler, per-operation or tail-sampling rule): "
                             "the constitution requires critical paths at {}",
                             sampler.what, percent_text(sampler.fraction), percent_text(required_)),
                 sampler.what);
    }
  }

 private:
  double required_ = 1.0;
};

}  // namespace trace_sampling_check
}  // namespace

std::unique_ptr<engine::Check> make_trace_sampling_check() {
  return engine::make_check<trace_sampling_check::TraceSamplingCheck>();
}

}  // namespace constable::checks::observability

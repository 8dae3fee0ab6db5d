// observability/alert-thresholds: the latency figures of "Performance
// Requirements > API Response Times" ("P95 latency: < 500ms") are what the
// alerts watch for, not something looser.

#include <fmt/format.h>
#include <re2/re2.h>

#include <cmath>
#include <map>
#include <set>

#include "checks/observability/alert_rules.hpp"
#include "checks/observability/observability_checks.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::observability {

namespace {
namespace alert_thresholds_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/alert-thresholds",
    .domain = "observability",
    .nature = Nature::reliability,
    .summary = "Alert on API latency percentiles at the constitution's limits, not looser",
    .rationale =
        "The constitution promises latency percentiles (\"P95 latency: < 500ms\"); an alert that only fires "
        "at 2s lets the promise break unnoticed. The check reads alerting rules whose whole expression is "
        "`histogram_quantile(<q>, ...) > <number>` (or `>=`; the quantile may be multiplied by a number, "
        "`* 1000`; outer parentheses allowed, no `and`/`or`/`unless` "
        "and no other comparison) over exactly one HTTP request-duration histogram "
        "with the unprefixed name a service's own server exports (`http_request_duration_seconds_bucket`, "
        "`http_server_requests_seconds_bucket`, `http_server_request_duration_seconds_bucket`, "
        "`..._milliseconds_bucket`, `..._ms_bucket`); the metric name's unit suffix turns the number into "
        "milliseconds. "
        "When the constitution states a limit for that percentile (P50, P95, P99 ...) and the alert's "
        "threshold is above it, latencies between the two raise no alert. Other shapes (other arithmetic on "
        "the quantile, recording rules, prefixed metrics) and alerts named after a third-party product "
        "(`GitlabHighHttpRequestLatency`) are not judged.",
    .remediation = "Lower the alert's threshold to the constitution's limit (e.g. `> 0.5` for a P95 under "
                   "500ms on a `_seconds` histogram), or add an alert at that limit beside the looser one.",
    .bad_example = "groups:\n  - name: api\n    rules:\n      - alert: ApiLatencyHigh\n"
                   "        expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 2\n"
                   "        labels:\n          severity: warning\n        annotations:\n"
                   "          runbook_url: https://runbooks.example.com/api/latency\n",
    .good_example = "groups:\n  - name: api\n    rules:\n      - alert: ApiLatencyHigh\n"
                    "        expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5\n"
                    "        labels:\n          severity: warning\n        annotations:\n"
                    "          runbook_url: https://runbooks.example.com/api/latency\n",
    .parameters = "each latency percentile's limit in the clause's section (\"P95 latency: < 500ms\")",
    .clause = {.section = "performance", .text = R"(\bp\d+(\.\d+)?\s+latency)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only alerting rules are judged, wherever they are
    .scope = engine::Scope::repository,
};

struct LatencyLimit {
  std::string percentile;  // "95", as the clause writes it
  double milliseconds = 0;
  std::string stated;  // "< 500ms"
  const constitution::Clause* clause = nullptr;
};

// "P95 latency: < 500ms" -> {0.95, 500ms}; nullopt when the clause is not a latency limit.
std::optional<std::pair<double, LatencyLimit>> latency_limit(const constitution::Clause& clause) {
  static const RE2 kPercentile(R"((?i)\bp(\d{1,2}(?:\.\d+)?)\s+latency)");
  std::string percentile;
  if (!RE2::PartialMatch(clause.text, kPercentile, &percentile)) return std::nullopt;
  for (const auto& quantity : constitution::quantities(clause.text)) {
    if (quantity.kind != constitution::Quantity::Kind::duration || quantity.bound != constitution::Bound::at_most)
      continue;
    return std::pair{std::stod(percentile) / 100.0,
                     LatencyLimit{percentile, quantity.comparable, "< " + quantity.text, &clause}};
  }
  return std::nullopt;
}

// The request-duration histogram of an HTTP API and its unit's size in
// milliseconds, or nullopt. Only the unprefixed names client libraries and
// OpenTelemetry give a service's own server: a prefixed one
// (`gitlab_workhorse_http_request_duration_seconds`) belongs to a product.
std::optional<double> api_latency_histogram_unit(const std::string& metric) {
  static const RE2 kApiHistogram(
      R"(^http_(?:server_)?requests?_(?:duration_|latency_)?(seconds|milliseconds|ms)_bucket$)");
  std::string unit;
  if (!RE2::FullMatch(metric, kApiHistogram, &unit)) return std::nullopt;
  return unit == "seconds" ? 1000.0 : 1.0;
}

// Third-party products whose own HTTP servers export the same unprefixed
// histograms; an alert named after one (`GitlabHighHttpRequestLatency`,
// `JaegerQueryServiceSlowResponses`) watches that product, not the project's API.
bool names_third_party_product(std::string_view alert) {
  static constexpr std::string_view kProducts[] = {
      "alertmanager", "argocd", "consul", "elasticsearch", "etcd", "gitea", "gitlab", "grafana", "harbor",
      "jaeger", "jenkins", "keycloak", "kibana", "kube", "loki", "mimir", "minio", "nexus", "nomad",
      "opensearch", "prometheus", "sonarqube", "spinnaker", "tempo", "thanos", "traefik", "vault"};
  const std::string lower = text::to_lower(alert);
  for (std::string_view product : kProducts)
    if (lower.starts_with(product)) return true;
  return false;
}

struct QuantileAlert {
  double quantile = 0;
  std::string metric;
  double scale = 1;  // `histogram_quantile(...) * 1000` compares milliseconds of a `_seconds` histogram
};

// `histogram_quantile(<q>, <inner>)` as the whole of `left`, over exactly one `_bucket` metric.
std::optional<QuantileAlert> quantile_of(std::string_view left) {
  static const RE2 kCall(R"((?s)^histogram_quantile\s*\(\s*([0-9.]+)\s*,(.*)\)$)");
  static const RE2 kBucket(R"(([a-zA-Z_:][a-zA-Z0-9_:]*_bucket)\b)");
  static const RE2 kScaled(R"((?s)^(.*\))\s*\*\s*([0-9]+(?:\.[0-9]+)?)$)");
  std::string unscaled, factor;
  double scale = 1;
  if (RE2::FullMatch(re2::StringPiece(left.data(), left.size()), kScaled, &unscaled, &factor)) {
    scale = std::strtod(factor.c_str(), nullptr);
    if (scale <= 0) return std::nullopt;
    left = unscaled;
  }
  std::string quantile, inner;
  if (!RE2::FullMatch(re2::StringPiece(left.data(), left.size()), kCall, &quantile, &inner)) return std::nullopt;
  // The call must close at the end: `histogram_quantile(...) * 1000` or `(...) / x` is another shape.
  int depth = 0;
  for (char c : inner) {
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return std::nullopt;
  }
  if (depth != 0) return std::nullopt;
  std::set<std::string> metrics;
  re2::StringPiece rest(inner);
  std::string metric;
  while (RE2::FindAndConsume(&rest, kBucket, &metric)) metrics.insert(metric);
  if (metrics.size() != 1) return std::nullopt;
  char* end = nullptr;
  const double q = std::strtod(quantile.c_str(), &end);
  if (end == quantile.c_str() || *end != '\0' || q <= 0 || q >= 1) return std::nullopt;
  return QuantileAlert{q, *metrics.begin(), scale};
}

// "http_request_duration_seconds_bucket" -> "http_request_duration_seconds", as the histogram is named.
std::string histogram_name(const std::string& bucket_series) {
  return bucket_series.substr(0, bucket_series.size() - std::string_view("_bucket").size());
}

std::string milliseconds_text(double ms) {
  if (ms >= 1000 && static_cast<long long>(ms) % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

class AlertThresholdsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    limits_.clear();
    bound_ = &clause;
    if (!latency_limit(clause))
      return fail("the clause states no latency limit (expected e.g. \"P95 latency: < 500ms\")");
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    for (const auto* clause : section)
      if (auto limit = latency_limit(*clause)) limits_.insert_or_assign(limit->first, std::move(limit->second));
    if (limits_.empty() && bound_ != nullptr)
      if (auto limit = latency_limit(*bound_)) limits_.insert_or_assign(limit->first, std::move(limit->second));
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (const auto& [quantile, limit] : limits_)
      if (limit.clause != bound_) out.push_back(limit.clause);
    return out;
  }

  std::string bound_parameters() const override {
    std::vector<std::string> parts;
    for (const auto& [quantile, limit] : limits_)
      parts.push_back(fmt::format("P{} {}", limit.percentile, milliseconds_text(limit.milliseconds)));
    return fmt::format("latency limits: {}", fmt::join(parts, ", "));
  }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const AlertRule& rule : collect_alert_rules(repository)) {
      if (rule.expr == nullptr || !rule.expr->is_scalar() || is_templated(rule.expr->str())) continue;
      if (names_third_party_product(rule.name)) continue;
      const auto comparison = upper_threshold(rule.expr->str());
      if (!comparison) continue;
      const auto quantile = quantile_of(comparison->left);
      if (!quantile) continue;
      const auto unit = api_latency_histogram_unit(quantile->metric);
      if (!unit) continue;
      const auto limit = find_limit(quantile->quantile);
      if (limit == nullptr) continue;
      const double threshold_ms = comparison->threshold / quantile->scale * *unit;
      if (threshold_ms <= limit->milliseconds + 1e-9) continue;
      report(out, rule, rule.expr,
             fmt::format("alert '{}' fires when the P{} of {} exceeds {}, looser than the constitution's "
                         "\"P{} latency: {}\": latencies between {} and {} raise no alert",
                         rule.name, limit->percentile, histogram_name(quantile->metric), milliseconds_text(threshold_ms),
                         limit->percentile, limit->stated, milliseconds_text(limit->milliseconds),
                         milliseconds_text(threshold_ms)),
             limit->clause == bound_ ? nullptr : limit->clause);
    }
  }

 private:
  const LatencyLimit* find_limit(double quantile) const {
    for (const auto& [q, limit] : limits_)
      if (std::abs(q - quantile) < 1e-9) return &limit;
    return nullptr;
  }

  const constitution::Clause* bound_ = nullptr;
  std::map<double, LatencyLimit> limits_;
};

}  // namespace alert_thresholds_check
}  // namespace

std::unique_ptr<engine::Check> make_alert_thresholds_check() {
  return engine::make_check<alert_thresholds_check::AlertThresholdsCheck>();
}

}  // namespace constable::checks::observability

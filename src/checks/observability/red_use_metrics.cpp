// observability/red-use-metrics: "RED metrics MUST be implemented for all
// services" (Rate, Errors, Duration) and its sibling "USE metrics MUST be
// implemented for infrastructure" (Utilization, Saturation, Errors), judged
// from the PromQL the repository writes: alerting and recording rules and
// Grafana dashboards.

#include <fmt/format.h>
#include <re2/re2.h>

#include <array>
#include <optional>
#include <set>

#include "checks/observability/alert_rules.hpp"
#include "checks/observability/observability_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::observability {

namespace {
namespace red_use_metrics_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/red-use-metrics",
    .domain = "observability",
    .nature = Nature::reliability,
    .summary = "Measure request rate, errors and duration of services, and utilization, saturation and errors "
               "of infrastructure",
    .rationale =
        "Rate, errors and duration tell whether a service serves its users; utilization, saturation and errors "
        "tell whether the machines under it keep up. Monitoring that watches requests but not their failures "
        "or latency misses the outages users notice first. The check reads the PromQL the repository writes "
        "(`expr` of alerting and recording rules in any YAML file, `expr` of Grafana dashboard panels in JSON "
        "files or embedded in ConfigMaps and Helm values, and both read from the text of Helm templates). When those expressions read request metrics (names with `request`, "
        "`http_server`, `grpc_server`, `rpc_server`, span metrics' `calls`; not Kafka's own `kafka_*` protocol "
        "request metrics, nor a latency of something else), they must between them measure "
        "the request rate (a request counter), the error rate (a request metric filtered on an error status "
        "such as `code=~\"5..\"`, `status_code=\"STATUS_CODE_ERROR\"`, `grpc_code!=\"OK\"`, or an error "
        "counter of requests) and the duration (a duration or latency metric). When they read node or "
        "machine metrics (`node_*`, `machine_*`, `kube_node_status_*`), they and the container metrics "
        "(`container_*`, `kubelet_volume_stats_*`) must between them measure utilization (CPU, memory, disk "
        "usage), saturation (load, CPU throttling, pressure, swap, OOM, I/O wait) and errors (network, disk or device errors). A repository whose monitoring reads "
        "neither kind is not judged: its dashboards may live elsewhere.",
    .remediation = "Add the missing series to the service's dashboard or rules: the error rate as "
                   "`sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))`, "
                   "the duration as `histogram_quantile(0.99, sum by (le) "
                   "(rate(http_request_duration_seconds_bucket[5m])))`; for nodes, saturation as "
                   "`node_load1` or `rate(container_cpu_cfs_throttled_periods_total[5m])` and errors as "
                   "`rate(node_network_receive_errs_total[5m])`.",
    .bad_example = "groups:\n  - name: orders\n    rules:\n      - record: orders:requests:rate5m\n"
                   "        expr: sum(rate(http_requests_total{job=\"orders\"}[5m]))\n",
    .good_example =
        "groups:\n  - name: orders\n    rules:\n      - record: orders:requests:rate5m\n"
        "        expr: sum(rate(http_requests_total{job=\"orders\"}[5m]))\n"
        "      - record: orders:errors:rate5m\n"
        "        expr: sum(rate(http_requests_total{job=\"orders\",code=~\"5..\"}[5m]))\n"
        "      - record: orders:latency:p99\n"
        "        expr: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))\n",
    .parameters = "",
    .clause = {.section = "metric|observability|monitoring", .text = R"(\bRED\b.*(metric|implement))"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only the repository's own PromQL is judged, wherever it is
    .scope = engine::Scope::repository,
};

enum Signal : std::size_t { rate, errors, duration, utilization, saturation, infra_errors, signal_count };

constexpr std::array<std::string_view, signal_count> kSignalNames{
    "the request rate", "the error rate", "the request duration", "utilization", "saturation", "errors"};

// One PromQL expression of the repository and where it is written.
struct Expression {
  std::string path;
  int line = 0;
  int column = 0;
  std::string text;
};

// What the expressions of the repository measure: for each signal, the first place that does.
struct Measured {
  std::array<std::optional<Expression>, signal_count> signal{};
  std::optional<Expression> first_request;  // a request metric is read: RED is judged
  std::optional<Expression> first_infra;    // a node or container metric is read: USE is judged
  std::string request_metric;
  std::string infra_metric;
};

// A promtool test suite: its expressions are test input.
bool is_test_suite(const yaml::Node& root) {
  return root.is_mapping() && root.get("tests") != nullptr && root.get("rule_files") != nullptr;
}

void add_embedded(const std::string& path, const yaml::Node& scalar, std::vector<Expression>& out) {
  // Grafana dashboards kept as JSON strings (ConfigMap data, Helm values).
  static const RE2 kExpr(R"re("expr"\s*:\s*"((?:[^"\\]|\\.)*)")re");
  re2::StringPiece input(scalar.value);
  std::string escaped;
  while (RE2::FindAndConsume(&input, kExpr, &escaped)) {
    std::string unescaped;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] == '\\' && i + 1 < escaped.size()) {
        const char next = escaped[++i];
        unescaped += next == 'n' ? ' ' : next;
      } else {
        unescaped += escaped[i];
      }
    }
    out.push_back({path, scalar.start.line, scalar.start.column, std::move(unescaped)});
  }
}

void collect(const std::string& path, const yaml::Node& node, std::vector<Expression>& out, int depth = 0) {
  if (depth > 64) return;
  if (node.is_scalar()) {
    if (node.value.find("\"expr\"") != std::string::npos) add_embedded(path, node, out);
    return;
  }
  for (const yaml::Entry& entry : node.entries) {
    if (entry.value == nullptr) continue;
    if (entry.key->str() == "expr" && entry.value->is_scalar()) {
      if (!text::trim(entry.value->value).empty())
        out.push_back({path, entry.value->start.line, entry.value->start.column, std::string(entry.value->value)});
      continue;
    }
    collect(path, *entry.value, out, depth + 1);
  }
  for (const yaml::Node* item : node.items)
    if (item != nullptr) collect(path, *item, out, depth + 1);
}

// A Helm template is no YAML until rendered: its expressions are read from
// the text, `expr:` lines (with the more indented lines of a block scalar) and
// dashboards' `"expr": "..."` strings.
void collect_template(const std::string& path, const std::string& content, std::vector<Expression>& out) {
  static const RE2 kKey(R"(^(\s*)-?\s*expr:\s*(.*)$)");
  static const RE2 kJson(R"re("expr"\s*:\s*"((?:[^"\\]|\\.)*)")re");
  const std::vector<std::string_view> lines = text::split(content, '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    std::string indent;
    std::string value;
    if (RE2::FullMatch(lines[i], kKey, &indent, &value)) {
      std::string expression = value;
      if (value.empty() || value.starts_with('|') || value.starts_with('>')) {
        expression.clear();
        for (std::size_t j = i + 1; j < lines.size(); ++j) {
          const std::string_view next = lines[j];
          const std::size_t first = next.find_first_not_of(" \t");
          if (first != std::string_view::npos && first <= indent.size()) break;
          expression += next;
          expression += ' ';
        }
      }
      if (!text::trim(expression).empty()) out.push_back({path, line, static_cast<int>(indent.size()) + 1, expression});
      continue;
    }
    re2::StringPiece input(lines[i].data(), lines[i].size());
    std::string escaped;
    while (RE2::FindAndConsume(&input, kJson, &escaped)) {
      std::string unescaped;
      for (std::size_t k = 0; k < escaped.size(); ++k) {
        if (escaped[k] == '\\' && k + 1 < escaped.size()) ++k;
        unescaped += escaped[k];
      }
      out.push_back({path, line, 1, std::move(unescaped)});
    }
  }
}

std::vector<Expression> collect_expressions(const engine::RepositoryContext& repository) {
  std::vector<Expression> out;
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind == FileKind::helm_template) {
      const std::string* content = repository.text(file);
      if (content != nullptr && may_hold_expr_key(*content)) collect_template(file.path, *content, out);
      continue;
    }
    if (file.kind != FileKind::yaml && file.kind != FileKind::json) continue;
    const std::string* content = repository.text(file);
    if (content == nullptr || !may_hold_expr_key(*content)) continue;
    const yaml::Stream* stream = repository.yaml(file);
    if (stream == nullptr) continue;
    for (const yaml::Document& document : stream->documents)
      if (document.root != nullptr && !is_test_suite(*document.root)) collect(file.path, *document.root, out);
  }
  return out;
}

// The metric names an expression reads: identifiers outside strings, label
// matchers, ranges and grouping clauses, and not followed by `(` (functions).
std::vector<std::string> metric_names(std::string_view expr) {
  static const RE2 kGrouping(R"((?i)\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\))");
  std::string plain;
  int braces = 0;
  int brackets = 0;
  for (std::size_t i = 0; i < expr.size(); ++i) {
    const char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') {
      const char quote = c;
      for (++i; i < expr.size() && expr[i] != quote; ++i)
        if (expr[i] == '\\') ++i;
      plain += ' ';
      continue;
    }
    if (c == '{') ++braces;
    if (c == '[') ++brackets;
    plain += braces > 0 || brackets > 0 ? ' ' : c;
    if (c == '}' && braces > 0) --braces;
    if (c == ']' && brackets > 0) --brackets;
  }
  RE2::GlobalReplace(&plain, kGrouping, " ");
  static const std::set<std::string_view> kKeywords{"and", "or", "unless", "bool", "offset", "by", "without",
                                                    "on", "ignoring", "group_left", "group_right", "inf", "nan"};
  std::vector<std::string> names;
  std::size_t i = 0;
  while (i < plain.size()) {
    const char c = plain[i];
    const bool starts = std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
    if (!starts || (i > 0 && (std::isalnum(static_cast<unsigned char>(plain[i - 1])) != 0 || plain[i - 1] == '$' ||
                              plain[i - 1] == '.'))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < plain.size() &&
           (std::isalnum(static_cast<unsigned char>(plain[end])) != 0 || plain[end] == '_' || plain[end] == ':'))
      ++end;
    std::size_t next = end;
    while (next < plain.size() && (plain[next] == ' ' || plain[next] == '\n' || plain[next] == '\t')) ++next;
    const std::string word = plain.substr(i, end - i);
    if ((next >= plain.size() || plain[next] != '(') && !kKeywords.contains(text::to_lower(word)) &&
        word.find('_') != std::string::npos)
      names.push_back(word);
    i = end;
  }
  return names;
}

bool is_request_metric(const std::string& name) {
  static const RE2 kRequest(
      R"((?i)(request|http_server|http_client|rpc_server|rpc_client|grpc_server|grpc_client|span_?metrics|calls_total|responses?_total))");
  // Kafka's own request metrics (brokers', clients') count protocol requests to the platform, not a service's.
  static const RE2 kBroker(R"((?i)(^|_)kafka_)");
  return RE2::PartialMatch(name, kRequest) && !RE2::PartialMatch(name, kBroker);
}

bool is_duration_metric(const std::string& name) {
  static const RE2 kDuration(R"((?i)(duration|latency|response_?time|handling_seconds))");
  static const RE2 kLatency(R"((?i)latency)");
  // A timer in a time unit (Micrometer's http_server_requests_seconds_sum, _count, _max, _bucket).
  static const RE2 kTimer(R"((?i)_(seconds|milliseconds|ms)(_(sum|count|max|bucket))?$)");
  return (RE2::PartialMatch(name, kDuration) || RE2::PartialMatch(name, kTimer)) &&
         (is_request_metric(name) || RE2::PartialMatch(name, kLatency));
}

// Metrics of the machines themselves: reading them is monitoring infrastructure,
// which USE is asked of (a service dashboard's container CPU is not).
bool is_node_metric(const std::string& name) {
  static const RE2 kNode(R"((?i)(^|:)(node_|machine_|kube_node_status_|windows_(cpu|memory|logical_disk|net|os|system)_))");
  return RE2::PartialMatch(name, kNode);
}

bool is_infra_metric(const std::string& name) {
  static const RE2 kInfra(
      R"((?i)(^|:)(node_|container_|kubelet_volume_stats_|machine_|kube_node_status_(allocatable|capacity)|kube_pod_container_resource_))");
  return RE2::PartialMatch(name, kInfra);
}

// A label matcher that selects failed requests: `code=~"5.."`, `status_code="STATUS_CODE_ERROR"`,
// `grpc_code!="OK"`, `outcome="SERVER_ERROR"`; or a success ratio (`classification="success"` over
// all requests), which is the error rate's complement.
bool filters_errors(std::string_view expr) {
  static const RE2 kMatcher(
      R"re((?i)\b(code|status|status_code|statuscode|status_class|http_status|http_status_code|http_response_status_code|response_code|classification|rcode|grpc_code|grpc_status|rpc_grpc_status_code|outcome|result|error)\s*(=~|!~|!=|=)\s*"([^"]*)")re");
  static const RE2 kFailure(
      R"((?i)(^[45]|[45]\.\.|[45]xx|\[[45]|error|fail|exception|internal|unavailable|servfail|^true$))");
  static const RE2 kSuccess(R"((?i)^(ok|2\.\.|2xx|success|successful|unset|[1-3]\.\.|[1-4]xx|2\d\d|false)$)");
  re2::StringPiece input(expr.data(), expr.size());
  std::string label;
  std::string op;
  std::string value;
  while (RE2::FindAndConsume(&input, kMatcher, &label, &op, &value)) {
    const bool positive = op == "=" || op == "=~";
    const bool failure = RE2::PartialMatch(value, kFailure);
    const bool success = RE2::PartialMatch(value, kSuccess);
    if ((positive && failure) || (!positive && success)) return true;
    // Requests split by outcome over all of them: an error ratio, or a success ratio, its complement.
    if ((failure || success) && expr.find('/') != std::string_view::npos) return true;
  }
  return false;
}

Measured measure(const std::vector<Expression>& expressions) {
  static const RE2 kFailureName(R"((?i)(error|errs|fail|exception))");
  static const RE2 kUtilization(
      R"((?i)(cpu_seconds_total|cpu_usage|cpu_utili[sz]ation|memory_(working_set|usage|rss|cache|memavailable|memfree|memtotal|active)|memavailable|memfree|filesystem_(avail|free|size)|fs_(usage|limit|reads|writes)|volume_stats_(available|used|capacity)|resource_(requests|limits)|allocatable|network_(receive|transmit)_bytes|disk_(read|written)_bytes))");
  static const RE2 kSaturation(
      R"((?i)(node_load(1|5|15)\b|cfs_throttled|pressure_|io_time_weighted|disk_io_now|pgmajfault|swap|schedstat_waiting|oom|memory_failcnt|queue_length|conntrack_entries|procs_blocked|procs_running))");
  Measured measured;
  const auto note = [&](Signal signal, const Expression& expression) {
    if (!measured.signal[signal]) measured.signal[signal] = expression;
  };
  for (const Expression& expression : expressions) {
    const bool error_filter = filters_errors(expression.text);
    for (const std::string& name : metric_names(expression.text)) {
      if (is_request_metric(name) || is_duration_metric(name)) {
        // Only request metrics call for RED; a latency of something else (a commit, a rule evaluation) does not.
        if (!measured.first_request && is_request_metric(name)) {
          measured.first_request = expression;
          measured.request_metric = name;
        }
        if (is_duration_metric(name)) note(duration, expression);
        else if (RE2::PartialMatch(name, kFailureName)) note(errors, expression);
        else note(rate, expression);
        if (error_filter) note(errors, expression);
        // A histogram's count is the request counter.
        if (is_duration_metric(name) && name.ends_with("_count")) note(rate, expression);
      }
      if (is_infra_metric(name) || is_node_metric(name)) {
        if (!measured.first_infra && is_node_metric(name)) {
          measured.first_infra = expression;
          measured.infra_metric = name;
        }
        if (RE2::PartialMatch(name, kFailureName)) note(infra_errors, expression);
        else if (RE2::PartialMatch(name, kSaturation)) note(saturation, expression);
        else if (RE2::PartialMatch(name, kUtilization)) note(utilization, expression);
      }
    }
  }
  return measured;
}

class RedUseMetricsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    red_clause_ = &clause;
    return {};
  }

  // The siblings: RED's members (Rate, Errors, Duration), the USE clause and its members.
  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kUse(R"(\bUSE\b)");
    static const RE2 kRed(R"(\bRED\b)");
    signal_clauses_.fill(nullptr);
    use_clause_ = nullptr;
    enum class Under { none, red, use } under = Under::none;
    for (const constitution::Clause* clause : section) {
      const std::string lower = text::to_lower(clause->text);
      if (clause == red_clause_ || RE2::PartialMatch(clause->text, kRed)) {
        under = Under::red;
        continue;
      }
      if (RE2::PartialMatch(clause->text, kUse)) {
        under = Under::use;
        use_clause_ = clause;
        continue;
      }
      const auto assign = [&](Signal signal) {
        if (signal_clauses_[signal] == nullptr) signal_clauses_[signal] = clause;
      };
      if (under == Under::red) {
        if (lower.starts_with("rate")) assign(rate);
        else if (lower.starts_with("error")) assign(errors);
        else if (lower.starts_with("duration") || lower.starts_with("latency")) assign(duration);
        else under = Under::none;
      } else if (under == Under::use) {
        if (lower.starts_with("utili")) assign(utilization);
        else if (lower.starts_with("saturation")) assign(saturation);
        else if (lower.starts_with("error")) assign(infra_errors);
        else under = Under::none;
      }
    }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (std::size_t signal = rate; signal <= duration; ++signal)
      if (signal_clauses_[signal] != nullptr) out.push_back(signal_clauses_[signal]);
    if (use_clause_ != nullptr) {
      out.push_back(use_clause_);
      for (std::size_t signal = utilization; signal < signal_count; ++signal)
        if (signal_clauses_[signal] != nullptr) out.push_back(signal_clauses_[signal]);
    }
    return out;
  }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const std::vector<Expression> expressions = collect_expressions(repository);
    if (expressions.empty()) return;
    const Measured measured = measure(expressions);
    if (measured.first_request) {
      for (Signal signal : {rate, errors, duration}) {
        if (measured.signal[signal]) continue;
        report(out, *measured.first_request, signal,
               fmt::format("the repository's rules and dashboards read request metrics ({}) but none measures {}{}",
                           measured.request_metric, kSignalNames[signal], hint(signal)));
      }
    }
    if (measured.first_infra && use_clause_ != nullptr) {
      for (Signal signal : {utilization, saturation, infra_errors}) {
        if (measured.signal[signal]) continue;
        report(out, *measured.first_infra, signal,
               fmt::format("the repository's rules and dashboards read infrastructure metrics ({}) but none "
                           "measures {}{}",
                           measured.infra_metric, signal == infra_errors ? "infrastructure errors" : kSignalNames[signal],
                           hint(signal)));
      }
    }
  }

 private:
  static std::string_view hint(Signal signal) {
    switch (signal) {
      case rate: return " (no request counter such as http_requests_total)";
      case errors:
        return " (no request metric filtered on an error status such as code=~\"5..\", nor an error counter)";
      case duration: return " (no request duration or latency histogram)";
      case utilization: return " (no CPU, memory or disk usage)";
      case saturation: return " (no load average, CPU throttling, pressure, swap or OOM metric)";
      case infra_errors: return " (no network, disk or device error counter)";
      case signal_count: break;
    }
    return "";
  }

  void report(engine::Emitter& out, const Expression& at, Signal signal, std::string message) const {
    const constitution::Clause* clause = signal_clauses_[signal];
    if (clause == nullptr && signal >= utilization) clause = use_clause_;
    out.emit({.range = {at.line, at.column, at.line, at.column},
              .message = std::move(message),
              .path_override = at.path,
              .anchor = fmt::format("{} missing", kSignalNames[signal]),
              .clause = clause});
  }

  const constitution::Clause* red_clause_ = nullptr;
  const constitution::Clause* use_clause_ = nullptr;
  std::array<const constitution::Clause*, signal_count> signal_clauses_{};
};

}  // namespace red_use_metrics_check
}  // namespace

std::unique_ptr<engine::Check> make_red_use_metrics_check() {
  return engine::make_check<red_use_metrics_check::RedUseMetricsCheck>();
}

}  // namespace constable::checks::observability

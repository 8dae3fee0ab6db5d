#pragma once
// The observability checks (domain "observability"), registered in id order.
// The alerting checks read every Prometheus alerting rule the repository
// declares (alert_rules.hpp): PrometheusRule objects, plain rule files and
// rules written into Helm values.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::observability {

std::unique_ptr<engine::Check> make_alert_runbook_check();
std::unique_ptr<engine::Check> make_alert_severity_check();
std::unique_ptr<engine::Check> make_alert_thresholds_check();
std::unique_ptr<engine::Check> make_correlation_ids_check();
std::unique_ptr<engine::Check> make_kafka_trace_context_check();
std::unique_ptr<engine::Check> make_log_level_per_environment_check();
std::unique_ptr<engine::Check> make_opentelemetry_tracing_check();
std::unique_ptr<engine::Check> make_red_use_metrics_check();
std::unique_ptr<engine::Check> make_service_scraping_check();
std::unique_ptr<engine::Check> make_slo_defined_check();
std::unique_ptr<engine::Check> make_structured_logging_check();
std::unique_ptr<engine::Check> make_trace_sampling_check();

// Every observability check's factory, sorted by check id.
std::vector<engine::CheckFactory> observability_checks();

}  // namespace constable::checks::observability

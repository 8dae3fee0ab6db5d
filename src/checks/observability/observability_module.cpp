#include "checks/observability/observability_checks.hpp"

namespace constable::checks::observability {

std::vector<engine::CheckFactory> observability_checks() {
  // Sorted by check id.
  return {
      &make_alert_runbook_check,     // observability/alert-runbook
      &make_alert_severity_check,    // observability/alert-severity
      &make_alert_thresholds_check,  // observability/alert-thresholds
      &make_correlation_ids_check,  // observability/correlation-ids
      &make_kafka_trace_context_check,  // observability/kafka-trace-context
      &make_log_level_per_environment_check,  // observability/log-level-per-environment
      &make_opentelemetry_tracing_check,  // observability/opentelemetry-tracing
      &make_red_use_metrics_check,   // observability/red-use-metrics
      &make_service_scraping_check,  // observability/service-scraping
      &make_slo_defined_check,       // observability/slo-defined
      &make_structured_logging_check,  // observability/structured-logging
      &make_trace_sampling_check,  // observability/trace-sampling
  };
}

}  // namespace constable::checks::observability

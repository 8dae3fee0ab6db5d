#include "serve/service.hpp"

#include <chrono>
#include <ctime>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "serve/admission.hpp"
#include "serve/api.hpp"
#include "serve/dashboard_routes.hpp"

namespace constable::serve {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// RFC 3339 in UTC with milliseconds, as log collectors parse it.
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

// A request's correlation id: the caller's X-Request-ID when it sent a sane
// one, else a fresh random one.
std::string correlation_id_of(const http::Request& request) {
  const std::string_view given = request.header("x-request-id");
  if (!given.empty() && given.size() <= 128 &&
      std::all_of(given.begin(), given.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
      }))
    return std::string(given);
  thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}", random());
}

// "2xx", "4xx", ... for the metrics of REST and operational routes.
std::string status_class(int status) { return fmt::format("{}xx", status / 100); }

http::Response text_response(int status, std::string content_type, std::string body) {
  http::Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

Service::Service(Sources sources, LogSink log) : sources_(std::move(sources)), log_(std::move(log)) {
  metrics_.set_ready(false);
}

Service::~Service() {
  {
    const std::lock_guard lock(watch_mutex_);
    stopping_ = true;
  }
  watch_wakeup_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

std::shared_ptr<const Snapshot> Service::snapshot() const {
  const std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

Date Service::today() const { return fixed_today_.value_or(Date::today()); }

void Service::log_line(std::string line) {
  if (log_) log_(line);
}

std::vector<Service::Stamp> Service::stamps() const {
  std::vector<std::filesystem::path> files;
  if (sources_.config) files.push_back(*sources_.config);
  if (sources_.constitution) files.push_back(*sources_.constitution);
  else if (const auto current = snapshot()) files.emplace_back(current->constitution().path);
  std::vector<Stamp> out;
  for (const auto& file : files) {
    std::error_code ec;
    // Both follow symlinks: a ConfigMap volume swaps its ..data link on update.
    const auto time = std::filesystem::last_write_time(file, ec);
    const auto size = ec ? 0 : std::filesystem::file_size(file, ec);
    out.push_back({file.string(), ec ? std::filesystem::file_time_type{} : time, ec ? 0 : size, !ec});
  }
  return out;
}

void Service::install(std::shared_ptr<const Snapshot> next) {
  const auto& version = next->constitution().version;
  metrics_.set_constitution(version ? version->version : "", next->constitution_sha256);
  log_line(json{{"time", timestamp()},
                {"level", "info"},
                {"msg", "constitution and configuration loaded"},
                {"constitution", next->constitution().path},
                {"constitution_version", version ? version->version : ""},
                {"constitution_sha256", next->constitution_sha256},
                {"config", sources_.config ? sources_.config->string() : ""},
                {"clauses", next->constitution().clauses.size()}}
               .dump(-1, ' ', false, json::error_handler_t::replace));
  {
    const std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::move(next);
  }
  metrics_.set_ready(true);
}

void Service::look_up_namespaces_in(std::optional<KubeApi> api, NamespaceDirectory::Options options) {
  if (!api) {
    namespaces_.reset();
    return;
  }
  log_line(json{{"time", timestamp()}, {"level", "info"}, {"msg", "namespace labels from the Kubernetes API"},
                {"api", api->url}}
               .dump(-1, ' ', false, json::error_handler_t::replace));
  namespaces_ = std::make_unique<NamespaceDirectory>(std::move(api), options, [this](std::string_view message) {
    metrics_.count_namespace_lookup_error();
    log_line(json{{"time", timestamp()}, {"level", "warn"}, {"msg", message}}.dump(
        -1, ' ', false, json::error_handler_t::replace));
  });
}

Result<void> Service::load() {
  const std::lock_guard serialise(reload_mutex_);
  auto loaded = load_snapshot(sources_);
  if (!loaded) return std::unexpected(loaded.error());
  install(std::move(*loaded));
  stamps_ = stamps();
  return {};
}

void Service::reload(bool force) {
  const std::lock_guard serialise(reload_mutex_);
  auto now = stamps();
  if (!force && now == stamps_) return;
  stamps_ = std::move(now);  // a broken version is tried again only once its files change again
  const auto current = snapshot();
  auto next = load_snapshot(sources_);
  if (!next) {
    const bool config_error = sources_.config && next.error().path == sources_.config->string();
    metrics_.count_reload(config_error ? "config" : "constitution", false);
    log_line(json{{"time", timestamp()},
                  {"level", "error"},
                  {"msg", "reload failed; the previous constitution and configuration keep serving"},
                  {"error", next.error().to_string()}}
                 .dump(-1, ' ', false, json::error_handler_t::replace));
    return;
  }
  if (current && (*next)->version_tag == current->version_tag) {  // touched, not changed
    // A SIGHUP is an operator asking: the answer goes in the log.
    if (force)
      log_line(json{{"time", timestamp()},
                    {"level", "info"},
                    {"msg", "reload requested; the constitution and configuration are unchanged"},
                    {"constitution_sha256", current->constitution_sha256}}
                   .dump(-1, ' ', false, json::error_handler_t::replace));
    return;
  }
  const bool config_changed = !current || (*next)->config_sha256 != current->config_sha256;
  const bool constitution_changed = !current || (*next)->constitution_sha256 != current->constitution_sha256;
  install(std::move(*next));
  stamps_ = stamps();  // the constitution's path may have changed with the config
  if (config_changed) metrics_.count_reload("config", true);
  if (constitution_changed) metrics_.count_reload("constitution", true);
}

void Service::watch(std::chrono::milliseconds interval) {
  watcher_ = std::thread([this, interval] {
    std::unique_lock lock(watch_mutex_);
    while (!watch_wakeup_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      reload(false);
      lock.lock();
    }
  });
}

http::Events Service::events() {
  http::Events events;
  events.tls_reload = [this](bool ok, std::string_view message) {
    metrics_.count_reload("certificate", ok);
    log_line(json{{"time", timestamp()},
                  {"level", ok ? "info" : "error"},
                  {"msg", ok ? "certificate loaded" : "certificate reload failed; the previous one keeps serving"},
                  {"detail", message}}
                 .dump(-1, ' ', false, json::error_handler_t::replace));
  };
  events.rejected = [this](int status, std::string_view) { metrics_.count_rejected(status); };
  return events;
}

http::Response Service::handle(const http::Request& request) {
  const auto started = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started); };
  const std::string& path = request.path;
  if (path == "/healthz") {
    if (request.method != "GET") return http::problem(405, "Method not allowed", "GET /healthz");
    return text_response(200, "application/json", R"({"status":"ok"})");
  }
  if (path == "/readyz") {
    if (request.method != "GET") return http::problem(405, "Method not allowed", "GET /readyz");
    if (!snapshot()) return http::problem(503, "Not ready", "the constitution and configuration are not loaded yet");
    return text_response(200, "application/json", R"({"status":"ready"})");
  }
  if (path == "/metrics") {
    if (request.method != "GET") return http::problem(405, "Method not allowed", "GET /metrics");
    if (connections_) metrics_.set_open_connections(connections_());
    return text_response(200, "text/plain; version=0.0.4; charset=utf-8", metrics_.exposition());
  }
  const auto current = snapshot();
  if (path == "/validate") {
    if (request.method != "POST") {
      auto response = http::problem(405, "Method not allowed", "POST an AdmissionReview to /validate");
      response.headers.emplace_back("Allow", "POST");
      return response;
    }
    if (!current) return http::problem(503, "Not ready", "the constitution and configuration are not loaded yet");
    return validate(request, *current, correlation_id_of(request), started);
  }
  if (path == "/api/v1" || path.starts_with("/api/v1/")) {
    if (auto refused = authenticate(request, correlation_id_of(request))) return std::move(*refused);
    if (path == "/api/v1/audit" || path.starts_with("/api/v1/audit/")) {
      http::Response response =
          dashboard_store_ ? handle_audit_api(request, *dashboard_store_, today())
                           : http::problem(404, "Not found", "no audit store: start serve with --store");
      metrics_.observe_request("audit", "", status_class(response.status), elapsed());
      return response;
    }
    if (!current) return http::problem(503, "Not ready", "the constitution and configuration are not loaded yet");
    http::Response response = handle_api(request, *current, today());
    const std::string_view route = std::string_view(path).substr(std::min(path.size(), std::size_t{8}));
    metrics_.observe_request(route.substr(0, route.find('/')), "", status_class(response.status), elapsed());
    return response;
  }
  if (dashboard_store_ && is_dashboard_page(path)) {
    // The pages show what the audit API answers: the same tokens guard them.
    if (auto refused = authenticate(request, correlation_id_of(request))) return std::move(*refused);
    http::Response response = handle_dashboard_page(request, *dashboard_store_, today());
    metrics_.observe_request("dashboard", "", status_class(response.status), elapsed());
    return response;
  }
  return http::problem(404, "Not found", fmt::format("no route {}", text::shorten(path, 200)));
}

std::optional<http::Response> Service::authenticate(const http::Request& request, const std::string& correlation_id) {
  if (!verifier_) return std::nullopt;
  const std::string_view authorization = request.header("authorization");
  // RFC 6750: the scheme is case-insensitive; one space, then the token.
  const bool bearer = authorization.size() > 7 && text::to_lower(authorization.substr(0, 7)) == "bearer ";
  auto identity = bearer ? verifier_->verify(text::trim(authorization.substr(7)), std::chrono::system_clock::now())
                         : Result<Identity>(fail("no bearer token"));
  metrics_.count_authentication(identity.has_value());
  // Every attempt is logged (the constitution's "All authentication attempts
  // MUST be logged"); the token never is.
  json line{{"time", timestamp()},
            {"level", identity ? "info" : "warn"},
            {"msg", identity ? "authenticated" : "authentication failed"},
            {"correlation_id", correlation_id},
            {"method", request.method},
            {"path", text::shorten(request.path, 200)},
            {"client", request.client}};
  if (identity) line["subject"] = identity->subject;
  else line["reason"] = identity.error().message;
  log_line(line.dump(-1, ' ', false, json::error_handler_t::replace));
  if (identity) return std::nullopt;
  http::Response refused = http::problem(401, "Unauthorized", identity.error().message);
  // RFC 6750 section 3: no error code when no token was sent.
  refused.headers.emplace_back("WWW-Authenticate",
                               bearer ? R"(Bearer realm="constable", error="invalid_token")" : R"(Bearer realm="constable")");
  return refused;
}

http::Response Service::validate(const http::Request& request, const Snapshot& snapshot,
                                 const std::string& correlation_id, std::chrono::steady_clock::time_point started) {
  NamespaceLabels labels;
  if (namespaces_) labels = [this](std::string_view name) { return namespaces_->labels(name); };
  AdmissionOutcome outcome = review(request.body, snapshot, today(), labels);
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  metrics_.observe_request("validate", outcome.kind, outcome.decision, latency);
  // A dry run is judged but leaves no record (sideEffects: NoneOnDryRun).
  if (!outcome.dry_run) {
    json clauses = json::array();
    for (const Violation& violation : outcome.violations) {
      metrics_.count_finding(violation.check, violation.severity);
      clauses.push_back({{"check", violation.check},
                         {"clause", violation.clause},
                         {"severity", to_string(violation.severity)},
                         {"action", to_string(violation.action)}});
    }
    json line{{"time", timestamp()},
              {"level", outcome.decision == "error" ? "warn" : "info"},
              {"msg", "admission decision"},
              {"correlation_id", correlation_id},
              {"uid", outcome.uid},
              {"user", outcome.user},
              {"namespace", outcome.namespace_name},
              {"kind", outcome.kind},
              {"name", outcome.name},
              {"operation", outcome.operation},
              {"decision", outcome.decision},
              {"violations", std::move(clauses)},
              {"duration_ms", static_cast<double>(latency.count()) / 1000.0},
              {"client", request.client}};
    if (!outcome.error.empty()) line["error"] = outcome.error;
    log_line(line.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  http::Response response;
  response.status = outcome.status;
  response.content_type = std::move(outcome.content_type);
  response.body = std::move(outcome.body);
  response.headers.emplace_back("X-Request-ID", correlation_id);
  return response;
}

}  // namespace constable::serve

#include "serve/admission.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "engine/baseline.hpp"
#include "serve/http/server.hpp"

namespace constable::serve {
namespace {

using nlohmann::json;

constexpr std::string_view kReviewApiVersion = "admission.k8s.io/v1";
// The API server shows warnings to kubectl users: each short, all together
// bounded (issue 13: under 120 characters each, 4,096 in all).
constexpr std::size_t kMaxWarningBytes = 119;
constexpr std::size_t kMaxWarningsBytes = 4000;
// A refusal names every violation up to this many; the rest are counted.
constexpr std::size_t kMaxListedViolations = 20;

AdmissionOutcome not_a_review(AdmissionOutcome outcome, std::string detail) {
  const http::Response problem = http::problem(400, "Not an admission review the webhook can answer", detail);
  outcome.status = problem.status;
  outcome.content_type = problem.content_type;
  outcome.body = problem.body;
  outcome.decision = "error";
  outcome.error = std::move(detail);
  return outcome;
}

std::string string_at(const json& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

// A path segment from a name the API server sent: names are DNS labels, but
// the file path must not depend on that.
std::string path_segment(std::string_view name, std::string_view fallback) {
  if (name.empty()) return std::string(fallback);
  std::string out;
  for (char c : name.substr(0, 253))
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_') ? c : '_';
  if (out == "." || out == "..") out = "_";
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The object as a manifest file, with the request's namespace where the
// object leaves it to the request (the API server fills it in only after
// admission): production awareness comes from the namespace.
//
// What the cluster adds or holds by design is left out: kubectl's copy of
// the applied object (its findings would repeat the object's), managed
// fields, and a Secret's values (a cluster keeps secrets in Secrets; the
// repository-side rule is kubernetes/external-secrets, run in CI).
InMemoryFile manifest_of(json object, const std::string& namespace_name, const std::string& path) {
  if (object.is_object()) {
    if (auto found = object.find("metadata"); found != object.end() && found->is_object()) {
      json& metadata = *found;
      if (!namespace_name.empty() && string_at(metadata, "namespace").empty()) metadata["namespace"] = namespace_name;
      metadata.erase("managedFields");
      if (auto annotations = metadata.find("annotations"); annotations != metadata.end() && annotations->is_object())
        annotations->erase("kubectl.kubernetes.io/last-applied-configuration");
    }
    if (string_at(object, "kind") == "Secret") {
      object.erase("data");
      object.erase("stringData");
    }
  }
  // One key per line, so findings have lines to point at; JSON is YAML.
  return InMemoryFile{path, object.dump(2, ' ', false, json::error_handler_t::replace) + "\n"};
}

// The namespace as the cluster holds it, beside the object, so that the
// manifest set reads its labels (kube/production.hpp).
InMemoryFile namespace_of(const std::string& name, nlohmann::json labels) {
  const json object = {{"apiVersion", "v1"},
                       {"kind", "Namespace"},
                       {"metadata", {{"name", name}, {"labels", std::move(labels)}}}};
  return InMemoryFile{fmt::format("{}/Namespace/{}.yaml", path_segment(name, "_"), path_segment(name, "_")),
                      object.dump(2, ' ', false, json::error_handler_t::replace) + "\n"};
}

// The reviewed object's findings, not those of the namespace beside it.
std::vector<const engine::Finding*> violations_of(const engine::RunResult& result, std::string_view path) {
  std::vector<const engine::Finding*> out;
  for (const auto& finding : result.findings)
    if (!finding.suppressed() && finding.path == path) out.push_back(&finding);
  return out;
}

// On UPDATE only what the change makes worse: the new object's findings that
// the old object did not have, matched by fingerprint as --diff matches
// against its base.
std::vector<const engine::Finding*> added_by_update(const engine::RunResult& now, const engine::RunResult& before,
                                                    std::string_view path) {
  std::vector<engine::BaselineEntry> earlier;
  for (const engine::Finding* finding : violations_of(before, path)) earlier.push_back(engine::entry_of(*finding));
  const engine::Matching matching = engine::match_findings(now.findings, earlier);
  std::vector<const engine::Finding*> out;
  for (const std::size_t index : matching.unmatched_current) {
    const engine::Finding& finding = now.findings[index];
    if (!finding.suppressed() && finding.path == path) out.push_back(&finding);
  }
  return out;
}

std::string violation_line(const engine::Finding& f) {
  return fmt::format("{} [{}, due {}] {}: {}", f.check_id, to_string(f.severity), f.due.to_string(),
                     f.clause_id.empty() ? std::string("constable") : f.clause_id, f.message);
}

std::string refusal_message(const std::vector<const engine::Finding*>& denied, const Snapshot& snapshot) {
  const auto& version = snapshot.constitution().version;
  std::string message = fmt::format("{} violation{} of the constitution{}:", denied.size(),
                                    denied.size() == 1 ? "" : "s",
                                    version ? fmt::format(" {}", version->version) : std::string());
  for (std::size_t i = 0; i < denied.size() && i < kMaxListedViolations; ++i) {
    const engine::Finding& f = *denied[i];
    message += fmt::format("\n- {}", violation_line(f));
    if (!f.remediation.empty()) message += fmt::format(" — fix: {}", f.remediation);
  }
  if (denied.size() > kMaxListedViolations)
    message += fmt::format("\n- and {} more (constable check --manifests shows them all)",
                           denied.size() - kMaxListedViolations);
  return message;
}

std::vector<std::string> warnings_of(const std::vector<const engine::Finding*>& warned) {
  std::vector<std::string> warnings;
  std::size_t total = 0;
  for (std::size_t i = 0; i < warned.size(); ++i) {
    const engine::Finding& f = *warned[i];
    const std::string when = f.in_transition() ? fmt::format("warning until {}, then due {}",
                                                             f.transition->until.to_string(), f.due.to_string())
                                               : fmt::format("due {}", f.due.to_string());
    // The date first: a long message is cut at the end.
    std::string warning = text::shorten(
        fmt::format("{} {} ({}): {}", to_string(f.severity), f.check_id, when, f.message), kMaxWarningBytes);
    if (total + warning.size() > kMaxWarningsBytes - kMaxWarningBytes) {
      warnings.push_back(fmt::format("and {} more constable warnings", warned.size() - i));
      break;
    }
    total += warning.size();
    warnings.push_back(std::move(warning));
  }
  return warnings;
}

}  // namespace

int json_depth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

AdmissionOutcome review(std::string_view body, const Snapshot& snapshot, Date today,
                        const NamespaceLabels& namespace_labels) {
  AdmissionOutcome outcome;
  if (json_depth(body, kMaxReviewDepth) > kMaxReviewDepth)
    return not_a_review(std::move(outcome), fmt::format("the JSON nests deeper than {} levels", kMaxReviewDepth));
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return not_a_review(std::move(outcome), "the body is not JSON");
  if (!document.is_object()) return not_a_review(std::move(outcome), "the body is not a JSON object");
  const std::string api_version = string_at(document, "apiVersion");
  const std::string kind = string_at(document, "kind");
  if (api_version != kReviewApiVersion || kind != "AdmissionReview")
    return not_a_review(std::move(outcome),
                        fmt::format("expected apiVersion {} and kind AdmissionReview, got '{}' and '{}'",
                                    kReviewApiVersion, text::shorten(api_version, 64), text::shorten(kind, 64)));
  const auto request_found = document.find("request");
  if (request_found == document.end() || !request_found->is_object())
    return not_a_review(std::move(outcome), "the review has no request");
  const json& request = *request_found;
  outcome.uid = string_at(request, "uid");
  if (outcome.uid.empty()) return not_a_review(std::move(outcome), "the review's request has no uid");
  outcome.operation = string_at(request, "operation");
  outcome.namespace_name = string_at(request, "namespace");
  outcome.name = string_at(request, "name");
  if (const auto found = request.find("kind"); found != request.end()) outcome.kind = string_at(*found, "kind");
  const json user_info = request.contains("userInfo") ? request.at("userInfo") : json::object();
  outcome.user = string_at(user_info, "username");
  if (const auto found = request.find("dryRun"); found != request.end() && found->is_boolean())
    outcome.dry_run = found->get<bool>();

  json response = {{"uid", outcome.uid}, {"allowed", true}};
  const auto answer = [&](std::string decision) {
    outcome.decision = std::move(decision);
    outcome.body = json{{"apiVersion", kReviewApiVersion}, {"kind", "AdmissionReview"}, {"response", response}}
                       .dump(-1, ' ', false, json::error_handler_t::replace);
    return std::move(outcome);
  };

  // Only what creates or changes an object is judged.
  if (outcome.operation != "CREATE" && outcome.operation != "UPDATE") return answer("allowed");
  const engine::AdmissionOptions& admission = snapshot.config().admission;
  bool exempt = contains(admission.exempt_namespaces, outcome.namespace_name) ||
                contains(admission.exempt_users, outcome.user);
  if (const auto groups = user_info.find("groups"); groups != user_info.end() && groups->is_array())
    for (const auto& group : *groups)
      exempt = exempt || (group.is_string() && contains(admission.exempt_groups, group.get<std::string>()));
  if (exempt) return answer("exempt");

  const auto object = request.find("object");
  if (object == request.end() || !object->is_object())
    return not_a_review(std::move(outcome), fmt::format("the {} request has no object", outcome.operation));
  if (outcome.name.empty() && object->contains("metadata"))
    outcome.name = string_at(object->at("metadata"), "name");
  if (outcome.kind.empty()) outcome.kind = string_at(*object, "kind");
  // Waivers name paths: an admitted object is <namespace>/<Kind>/<name>.yaml.
  const std::string path =
      fmt::format("{}/{}/{}.yaml", path_segment(outcome.namespace_name, "_cluster"),
                  path_segment(outcome.kind, "Object"), path_segment(outcome.name, "unnamed"));

  std::optional<json> labels;
  if (!outcome.namespace_name.empty() && namespace_labels) labels = namespace_labels(outcome.namespace_name);
  const auto judge = [&](const json& reviewed) {
    std::vector<InMemoryFile> files{manifest_of(reviewed, outcome.namespace_name, path)};
    if (labels) files.push_back(namespace_of(outcome.namespace_name, *labels));
    return check_manifests(snapshot, std::move(files), today);
  };
  const engine::RunResult now = judge(*object);
  std::vector<const engine::Finding*> found = violations_of(now, path);
  engine::RunResult before;
  if (const auto old_object = request.find("oldObject");
      outcome.operation == "UPDATE" && old_object != request.end() && old_object->is_object()) {
    before = judge(*old_object);
    found = added_by_update(now, before, path);
  }

  std::vector<const engine::Finding*> denied, warned;
  for (const engine::Finding* finding : found) {
    engine::AdmissionAction action = admission.action_for(finding->severity);
    // A clause in its transition period warns where it will deny.
    if (finding->in_transition() && action == engine::AdmissionAction::deny) action = engine::AdmissionAction::warn;
    outcome.violations.push_back({finding->check_id, finding->clause_id, finding->severity, action});
    if (action == engine::AdmissionAction::deny) denied.push_back(finding);
    else if (action == engine::AdmissionAction::warn) warned.push_back(finding);
  }
  if (!warned.empty()) response["warnings"] = warnings_of(warned);
  if (!denied.empty()) {
    response["allowed"] = false;
    response["status"] = {{"code", 403}, {"reason", "Forbidden"}, {"message", refusal_message(denied, snapshot)}};
    return answer("denied");
  }
  if (!warned.empty()) return answer("warned");
  return answer(outcome.violations.empty() ? "allowed" : "audited");
}

}  // namespace constable::serve

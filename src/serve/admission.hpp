#pragma once
// The validating admission webhook: an admission.k8s.io/v1 AdmissionReview
// in, the same kind of review out with the request's uid, judged by the
// manifest checks `constable check` runs, with the same clauses,
// severities, waivers and due dates. What each severity does (deny, warn,
// audit) and who is exempt come from `admission:` in the configuration.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/snapshot.hpp"

namespace constable::serve {

// Deeper JSON is refused before it is parsed: no Kubernetes object nests
// this deep, and recursive walks of it must stay within a thread's stack.
inline constexpr int kMaxReviewDepth = 128;

// One violation as the decision log and metrics see it.
struct Violation {
  std::string check;
  std::string clause;
  Severity severity = Severity::medium;
  engine::AdmissionAction action = engine::AdmissionAction::deny;
};

struct AdmissionOutcome {
  // 200 with an AdmissionReview, or 400 with a problem when the body is not
  // an AdmissionReview the webhook can answer (the API server then applies
  // the webhook's failurePolicy).
  int status = 200;
  std::string content_type = "application/json";
  std::string body;

  // About the review, for the decision log and metrics.
  std::string uid, user, namespace_name, kind, name, operation;
  // "allowed", "denied", "warned", "audited", "exempt" or "error".
  std::string decision = "error";
  std::string error;  // why, when the decision is "error"
  bool dry_run = false;
  std::vector<Violation> violations;  // unsuppressed, unwaived; on UPDATE only those the change adds
};

// The labels of a namespace (its metadata.labels), nullopt when unknown.
using NamespaceLabels = std::function<std::optional<nlohmann::json>(std::string_view name)>;

// Judges one review (the body of POST /validate). With `namespace_labels`,
// the object's namespace is judged by its labels too, as the CLI judges a
// namespace whose Namespace object is in the repository.
AdmissionOutcome review(std::string_view body, const Snapshot& snapshot, Date today,
                        const NamespaceLabels& namespace_labels = {});

// The deepest nesting of arrays and objects in a JSON text (strings skipped);
// stops counting past `limit`.
int json_depth(std::string_view text, int limit);

}  // namespace constable::serve

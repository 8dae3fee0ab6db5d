// kubernetes/revision-history-limit: "Deployment history limit: 10 revisions".

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "constitution/parameters.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace revision_history_limit_check {

constexpr long long kKubernetesDefault = 10;

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/revision-history-limit",
    .domain = "kubernetes",
    .nature = Nature::maintainability,
    .summary = "Keep the constitution's number of Deployment revisions",
    .rationale =
        "Old ReplicaSets are what `kubectl rollout undo` rolls back to; too few and a bad release "
        "cannot be undone, too many and the namespace fills with dead ReplicaSets.",
    .remediation = "Set spec.revisionHistoryLimit to the constitution's number (Kubernetes defaults to 10).",
    .bad_example = "kind: Deployment\nspec:\n  revisionHistoryLimit: 2\n",
    .good_example = "kind: Deployment\nspec:\n  revisionHistoryLimit: 10\n",
    .parameters = "the number of revisions in the clause, e.g. \"Deployment history limit: 10 revisions\"",
    .clause = {.section = "kubernetes", .text = "history limit"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

// The same rule at admission.
constexpr std::string_view kGatekeeperRego = R"(
violation[{"msg": msg}] {
  input.review.object.kind == "Deployment"
  not has_limit
  input.parameters.kubernetes_default != input.parameters.limit
  msg := sprintf("Deployment %s keeps Kubernetes' default of %v revisions; the constitution says %v", [input.review.object.metadata.name, input.parameters.kubernetes_default, input.parameters.limit])
}

violation[{"msg": msg}] {
  input.review.object.kind == "Deployment"
  n := input.review.object.spec.revisionHistoryLimit
  n != null
  n != input.parameters.limit
  msg := sprintf("revisionHistoryLimit of Deployment %s is %v; the constitution says %v", [input.review.object.metadata.name, n, input.parameters.limit])
}

has_limit {
  input.review.object.spec.revisionHistoryLimit != null
}
)";

class RevisionHistoryLimitCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    auto n = constitution::capture_integer_before(clause.text, {"revisions", "revision", "versions", "releases"});
    if (!n) n = constitution::capture_integer(clause.text);
    if (!n || *n < 0) return fail("the clause gives no number of revisions, e.g. \"10 revisions\"");
    limit_ = *n;
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("{} revisions", limit_); }

  std::optional<GatekeeperForm> gatekeeper_form() const override {
    return GatekeeperForm{std::string(kGatekeeperRego), {"Deployment"},
                          fmt::format(R"({{"limit": {}, "kubernetes_default": {}}})", limit_, kKubernetesDefault)};
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* object : context.manifests().of_kind("Deployment")) {
      const yaml::Node* spec = object->root->get("spec");
      if (spec == nullptr) continue;
      const yaml::Node* value = spec->get("revisionHistoryLimit");
      if (value == nullptr || value->is_null()) {
        if (kKubernetesDefault != limit_)
          report(out, *object, nullptr,
                 fmt::format("{} keeps Kubernetes' default of {} revisions; the constitution says {}",
                             object->display_name(), kKubernetesDefault, limit_));
        continue;
      }
      const auto n = value->as_int();
      if (n != limit_)
        report(out, *object, value,
               fmt::format("revisionHistoryLimit of {} is {}; the constitution says {}", object->display_name(),
                           value->str(), limit_));
    }
  }

 private:
  long long limit_ = kKubernetesDefault;
};

}  // namespace revision_history_limit_check
}  // namespace

std::unique_ptr<engine::Check> make_revision_history_limit_check() {
  return engine::make_check<revision_history_limit_check::RevisionHistoryLimitCheck>();
}

}  // namespace constable::checks::kubernetes

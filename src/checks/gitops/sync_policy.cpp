// gitops/sync-policy: "Drift detection MUST be automated". An Argo CD
// Application corrects drift only when it syncs automatically with selfHeal
// (and prune, for objects deleted from git); a Flux Kustomization reconciles
// on its interval unless suspended; a Flux HelmRelease compares the release
// with the cluster only when its drift detection is switched on.

#include <fmt/format.h>

#include <string>
#include <vector>

#include "checks/gitops/gitops_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::gitops {

namespace {
namespace sync_policy_check {

constexpr engine::CheckInfo kInfo{
    .id = "gitops/sync-policy",
    .domain = "gitops",
    .nature = Nature::reliability,
    .summary = "Sync GitOps objects automatically, with self-heal and drift detection",
    .rationale =
        "Git is the source of truth only while the cluster is brought back to it: an Argo CD Application "
        "without automated sync, selfHeal and prune shows drift but leaves a hand edit (or a deleted manifest's "
        "objects) in the cluster until someone syncs by hand. A suspended Flux Kustomization or HelmRelease "
        "reconciles nothing, and a HelmRelease compares the release with the cluster only when "
        "spec.driftDetection.mode is `enabled` (or `warn`, which reports it). Judged: Argo CD Applications that "
        "name a source, ApplicationSet templates (unless a templatePatch sets the sync policy), Flux "
        "Kustomizations (kustomize.toolkit.fluxcd.io) and HelmReleases, wherever they are found, rendered "
        "charts included.",
    .remediation =
        "Argo CD: `syncPolicy: {automated: {selfHeal: true, prune: true}}`. Flux: remove `suspend: true`, set "
        "`interval:`, and on HelmReleases `driftDetection: {mode: enabled}`.",
    .bad_example = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop, namespace: argocd}\n"
                   "spec:\n  source: {repoURL: https://github.com/example/shop, path: deploy}\n"
                   "  destination: {server: https://kubernetes.default.svc, namespace: shop}\n",
    .good_example = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop, namespace: argocd}\n"
                    "spec:\n  source: {repoURL: https://github.com/example/shop, path: deploy}\n"
                    "  destination: {server: https://kubernetes.default.svc, namespace: shop}\n"
                    "  syncPolicy:\n    automated: {selfHeal: true, prune: true}\n",
    .parameters = "",
    .clause = {.section = "gitops", .text = "drift detection"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever an Argo CD or Flux object is found
    .scope = engine::Scope::manifests,
};

bool in_group(const kube::Object& object, std::string_view group) {
  return object.api_version.starts_with(fmt::format("{}/", group));
}

bool is_true(const yaml::Node* node) { return node != nullptr && node->as_bool() == std::optional<bool>(true); }

// Reports what an Application spec's sync policy lacks of automated sync
// with selfHeal and prune; `what` names the spec when it is a template.
void judge_argo_spec(const kube::Object& object, const yaml::Node* spec, std::string_view what,
                     engine::Emitter& out) {
  const yaml::Node* policy = spec->get("syncPolicy");
  const yaml::Entry* automated = policy != nullptr ? policy->find("automated") : nullptr;
  // Argo CD 3 can switch automation off with `enabled: false` and keep the rest.
  bool enabled = false;
  if (automated != nullptr && automated->value->is_mapping()) {
    const yaml::Node* flag = automated->value->get("enabled");
    enabled = flag == nullptr || is_true(flag);
  }
  if (!enabled) {
    const yaml::Node* at = automated != nullptr ? automated->key : (policy != nullptr ? policy : nullptr);
    kubernetes::report(out, object, at,
                       fmt::format("{}{} does not sync automatically: drift from git is shown but never corrected",
                                   object.display_name(), what));
    return;
  }
  std::vector<std::string> missing;
  if (!is_true(automated->value->get("selfHeal"))) missing.emplace_back("selfHeal (changes made in the cluster stay)");
  if (!is_true(automated->value->get("prune"))) missing.emplace_back("prune (objects deleted from git stay)");
  if (missing.empty()) return;
  kubernetes::report(out, object, automated->key,
                     fmt::format("{}{} syncs automatically without {}", object.display_name(), what,
                                 kubernetes::join_and(missing)));
}

void judge_flux(const kube::Object& object, bool helm_release, engine::Emitter& out) {
  const yaml::Node* spec = object.root->get("spec");
  if (spec == nullptr || !spec->is_mapping()) return;
  if (const yaml::Entry* suspend = spec->find("suspend"); suspend != nullptr && is_true(suspend->value)) {
    kubernetes::report(out, object, suspend->key,
                       fmt::format("{} is suspended: Flux reconciles nothing of it, so drift stays", object.display_name()));
    return;
  }
  if (spec->get("interval") == nullptr)
    kubernetes::report(out, object, nullptr,
                       fmt::format("{} sets no spec.interval, so Flux has no schedule to reconcile it on",
                                   object.display_name()));
  if (!helm_release) return;
  const yaml::Entry* drift = spec->find("driftDetection");
  const yaml::Node* mode = drift != nullptr ? drift->value->get("mode") : nullptr;
  if (mode != nullptr && (mode->str() == "enabled" || mode->str() == "warn")) return;
  // A mode written by a template expression is left to whoever renders it.
  if (mode != nullptr && mode->str().find("${") != std::string_view::npos) return;
  kubernetes::report(out, object, mode != nullptr ? mode : (drift != nullptr ? drift->key : nullptr),
                     fmt::format("{} does not detect drift: helm-controller compares the release with the cluster "
                                 "only when spec.driftDetection.mode is enabled or warn",
                                 object.display_name()));
}

class SyncPolicyCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      // A name left to a template (`{{.Name}}`, parsed as a mapping) is not an object yet.
      if (object.name.empty()) continue;
      if (object.kind == "Application" && in_group(object, "argoproj.io")) {
        const yaml::Node* spec = object.root->get("spec");
        // An Application without a source deploys nothing this check could judge.
        if (spec == nullptr || !spec->is_mapping() || (spec->get("source") == nullptr && spec->get("sources") == nullptr))
          continue;
        judge_argo_spec(object, spec, "", out);
      } else if (object.kind == "ApplicationSet" && in_group(object, "argoproj.io")) {
        const yaml::Node* spec = object.root->get("spec");
        if (spec == nullptr || !spec->is_mapping()) continue;
        // A templatePatch may set the policy per generated Application.
        if (const yaml::Node* patch = spec->get("templatePatch");
            patch != nullptr && patch->str().find("syncPolicy") != std::string_view::npos)
          continue;
        const yaml::Node* app_spec = spec->at("template", "spec");
        if (app_spec == nullptr || !app_spec->is_mapping()) continue;
        judge_argo_spec(object, app_spec, "'s Application template", out);
      } else if (object.kind == "Kustomization" && in_group(object, "kustomize.toolkit.fluxcd.io")) {
        judge_flux(object, false, out);
      } else if (object.kind == "HelmRelease" && in_group(object, "helm.toolkit.fluxcd.io")) {
        judge_flux(object, true, out);
      }
    }
  }
};

}  // namespace sync_policy_check
}  // namespace

std::unique_ptr<engine::Check> make_sync_policy_check() {
  return engine::make_check<sync_policy_check::SyncPolicyCheck>();
}

}  // namespace constable::checks::gitops

// gitops/progressive-delivery: "Automated rollback MUST be triggered on SLO
// violations". An Argo Rollout or Flagger Canary only rolls back by itself
// when an analysis measures the release: a canary that shifts traffic step
// by step with no analysis promotes a regression as readily as a fix.

#include <fmt/format.h>

#include "checks/gitops/gitops_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::gitops {

namespace {
namespace progressive_delivery_check {

constexpr engine::CheckInfo kInfo{
    .id = "gitops/progressive-delivery",
    .domain = "gitops",
    .nature = Nature::reliability,
    .summary = "Gate every canary and blue-green rollout on an analysis of its metrics",
    .rationale =
        "Argo Rollouts aborts and rolls back a release when an AnalysisRun fails, and Flagger when a metric of "
        "its analysis misses its threshold: with no analysis, nothing watches the SLO metrics while traffic "
        "shifts, and a bad release is promoted on the timer. Judged: Argo Rollouts (argoproj.io) with a canary "
        "strategy and neither a background `analysis` nor an `analysis` step, or a blueGreen strategy with "
        "neither prePromotionAnalysis nor postPromotionAnalysis; Flagger Canaries (flagger.app) whose analysis "
        "lists no metrics.",
    .remediation =
        "Argo Rollouts: add `analysis: {templates: [{templateName: success-rate}]}` to the canary strategy (or "
        "an `- analysis:` step, or prePromotionAnalysis for blueGreen) with an AnalysisTemplate whose "
        "failureCondition reads the SLO metric. Flagger: list the SLO metrics under `analysis.metrics` with "
        "their thresholds.",
    .bad_example = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n  strategy:\n"
                   "    canary:\n      steps: [{setWeight: 20}, {pause: {duration: 5m}}]\n",
    .good_example = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n  strategy:\n"
                    "    canary:\n      analysis:\n        templates: [{templateName: success-rate}]\n"
                    "      steps: [{setWeight: 20}, {pause: {duration: 5m}}]\n",
    .parameters = "",
    .clause = {.section = "progressive delivery", .text = "rollback|roll back"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Rollout or Canary is found
    .scope = engine::Scope::manifests,
};

bool has_items(const yaml::Node* node) { return node != nullptr && node->is_sequence() && !node->items.empty(); }
bool present(const yaml::Node* node) { return node != nullptr && !node->is_null(); }

void judge_rollout(const kube::Object& object, engine::Emitter& out) {
  const yaml::Node* strategy = object.root->at("spec", "strategy");
  if (strategy == nullptr || !strategy->is_mapping()) return;
  if (const yaml::Entry* canary = strategy->find("canary"); canary != nullptr && canary->value->is_mapping()) {
    if (present(canary->value->get("analysis"))) return;
    const yaml::Node* steps = canary->value->get("steps");
    std::size_t count = 0;
    if (steps != nullptr && steps->is_sequence()) {
      for (const yaml::Node* step : steps->items) {
        if (!step->is_mapping()) continue;
        // An experiment step may run analyses of its own.
        if (present(step->get("analysis")) || has_items(step->at("experiment", "analyses"))) return;
        ++count;
      }
    }
    kubernetes::report(out, object, canary->key,
                       fmt::format("{} shifts traffic to the canary{} with no analysis, so nothing rolls it back "
                                   "when its metrics break the SLO",
                                   object.display_name(), count > 0 ? fmt::format(" in {} step(s)", count) : ""));
    return;
  }
  if (const yaml::Entry* blue_green = strategy->find("blueGreen");
      blue_green != nullptr && blue_green->value->is_mapping()) {
    if (present(blue_green->value->get("prePromotionAnalysis")) ||
        present(blue_green->value->get("postPromotionAnalysis")))
      return;
    kubernetes::report(out, object, blue_green->key,
                       fmt::format("{} promotes its blue-green preview with no prePromotionAnalysis or "
                                   "postPromotionAnalysis, so nothing rolls it back when its metrics break the SLO",
                                   object.display_name()));
  }
}

void judge_canary(const kube::Object& object, engine::Emitter& out) {
  const yaml::Node* spec = object.root->get("spec");
  if (spec == nullptr || !spec->is_mapping()) return;
  // Flagger before 1.0 called the analysis canaryAnalysis.
  const yaml::Entry* analysis = spec->find("analysis");
  if (analysis == nullptr) analysis = spec->find("canaryAnalysis");
  if (analysis != nullptr && has_items(analysis->value->get("metrics"))) return;
  kubernetes::report(out, object, analysis != nullptr ? analysis->key : nullptr,
                     fmt::format("{} lists no metrics in its analysis, so Flagger promotes it without checking the "
                                 "SLO and never rolls it back on one",
                                 object.display_name()));
}

class ProgressiveDeliveryCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.kind == "Rollout" && object.api_version.starts_with("argoproj.io/")) judge_rollout(object, out);
      else if (object.kind == "Canary" && object.api_version.starts_with("flagger.app/")) judge_canary(object, out);
    }
  }
};

}  // namespace progressive_delivery_check
}  // namespace

std::unique_ptr<engine::Check> make_progressive_delivery_check() {
  return engine::make_check<progressive_delivery_check::ProgressiveDeliveryCheck>();
}

}  // namespace constable::checks::gitops

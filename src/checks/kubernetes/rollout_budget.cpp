#include "checks/kubernetes/rollout_budget.hpp"

#include <fmt/format.h>

#include <cmath>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "constitution/parameters.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace rollout_budget_check {

std::string percent_text(double p) { return fmt::format("{}%", p); }

class RolloutBudgetCheck final : public engine::Check {
 public:
  RolloutBudgetCheck(const engine::CheckInfo& info, RolloutBudget budget) : info_(info), budget_(budget) {}
  const engine::CheckInfo& info() const override { return info_; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const auto percent = constitution::capture_percentage(clause.text);
    if (!percent) return fail("the clause gives no percentage, e.g. \"25%\"");
    limit_ = *percent;
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("at most {} of replicas", percent_text(limit_)); }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* object : context.manifests().of_kind("Deployment")) {
      const yaml::Node* spec = object->root->get("spec");
      if (spec == nullptr) continue;
      const yaml::Node* type = spec->at("strategy", "type");
      if (type != nullptr && type->str() == "Recreate") continue;  // rolling-update-strategy reports it
      const long long replicas = spec->get("replicas") != nullptr ? spec->get("replicas")->as_int().value_or(1) : 1;
      const yaml::Node* value = spec->at("strategy", "rollingUpdate", budget_.field);
      if (value == nullptr || value->is_null()) {
        if (budget_.default_percent > limit_)
          report(out, *object, spec->find("strategy") != nullptr ? spec->find("strategy")->key : nullptr,
                 fmt::format("{} leaves {} at Kubernetes' default {}, above the {} the constitution allows",
                             object->display_name(), budget_.field, percent_text(budget_.default_percent),
                             percent_text(limit_)));
        continue;
      }
      const auto parsed = kube::parse_int_or_percent(value);
      if (!parsed) {
        report(out, *object, value,
               fmt::format("{} of {} is neither a number nor a percentage", budget_.field, object->display_name()));
        continue;
      }
      if (parsed->percent) {
        if (parsed->value > limit_)
          report(out, *object, value,
                 fmt::format("{} of {} is {}, above the {} the constitution allows", budget_.field,
                             object->display_name(), percent_text(parsed->value), percent_text(limit_)));
        continue;
      }
      const double exact = limit_ * static_cast<double>(replicas) / 100.0;
      const auto allowed = static_cast<long long>(budget_.round_up ? std::ceil(exact) : std::floor(exact));
      if (parsed->value > static_cast<double>(allowed))
        report(out, *object, value,
               fmt::format("{} of {} is {} pod(s) of {} replica(s); {} allows {}", budget_.field,
                           object->display_name(), parsed->value, replicas, percent_text(limit_), allowed));
    }
  }

 private:
  const engine::CheckInfo& info_;
  RolloutBudget budget_;
  double limit_ = 25;
};

}  // namespace rollout_budget_check
}  // namespace

std::unique_ptr<engine::Check> make_rollout_budget_check(const engine::CheckInfo& info, RolloutBudget budget) {
  return std::make_unique<rollout_budget_check::RolloutBudgetCheck>(info, budget);
}

}  // namespace constable::checks::kubernetes

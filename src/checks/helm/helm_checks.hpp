#pragma once
// The Helm chart checks (domain "helm"), one per file, registered in id order.
// They read charts statically (Chart.yaml, values files, template text); none
// renders a template.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::helm {

std::unique_ptr<engine::Check> make_app_version_check();
std::unique_ptr<engine::Check> make_chart_notes_check();
std::unique_ptr<engine::Check> make_chart_structure_check();
std::unique_ptr<engine::Check> make_chart_tests_check();
std::unique_ptr<engine::Check> make_chart_version_semver_check();
std::unique_ptr<engine::Check> make_dependency_version_constraints_check();
std::unique_ptr<engine::Check> make_include_over_template_check();
std::unique_ptr<engine::Check> make_lint_in_ci_check();
std::unique_ptr<engine::Check> make_production_values_check();
std::unique_ptr<engine::Check> make_values_comments_check();

// Every Helm check's factory, sorted by check id.
std::vector<engine::CheckFactory> helm_checks();

}  // namespace constable::checks::helm

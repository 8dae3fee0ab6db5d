#include "checks/helm/helm_checks.hpp"

namespace constable::checks::helm {

std::vector<engine::CheckFactory> helm_checks() {
  // Sorted by check id.
  return {
      &make_app_version_check,                     // helm/app-version
      &make_chart_notes_check,                     // helm/chart-notes
      &make_chart_structure_check,                 // helm/chart-structure
      &make_chart_tests_check,                     // helm/chart-tests
      &make_chart_version_semver_check,            // helm/chart-version-semver
      &make_dependency_version_constraints_check,  // helm/dependency-version-constraints
      &make_include_over_template_check,           // helm/include-over-template
      &make_lint_in_ci_check,                      // helm/lint-in-ci
      &make_production_values_check,               // helm/production-values
      &make_values_comments_check,                 // helm/values-comments
  };
}

}  // namespace constable::checks::helm

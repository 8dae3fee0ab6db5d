#include "checks/workflow/workflow_checks.hpp"

namespace constable::checks::workflow {

std::vector<engine::CheckFactory> workflow_checks() {
  // Sorted by check id.
  return {
      &make_branch_protection_check,       // workflow/branch-protection
      &make_code_review_check,             // workflow/code-review
      &make_compliance_gate_check,         // workflow/compliance-gate
      &make_hotfix_process_check,          // workflow/hotfix-process
      &make_pull_request_template_check,   // workflow/pull-request-template
      &make_release_process_check,         // workflow/release-process
      &make_version_bumps_check,           // workflow/version-bumps
  };
}

}  // namespace constable::checks::workflow

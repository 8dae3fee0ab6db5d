#pragma once
// The development-workflow checks (domain "workflow"), one per file,
// registered in id order: what a repository declares about how changes are
// proposed, reviewed and released (pull request templates, branch
// protection, review rules, the release workflow).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::workflow {

std::unique_ptr<engine::Check> make_branch_protection_check();
std::unique_ptr<engine::Check> make_code_review_check();
std::unique_ptr<engine::Check> make_compliance_gate_check();
std::unique_ptr<engine::Check> make_hotfix_process_check();
std::unique_ptr<engine::Check> make_pull_request_template_check();
std::unique_ptr<engine::Check> make_release_process_check();
std::unique_ptr<engine::Check> make_version_bumps_check();

// Every workflow check's factory, sorted by check id.
std::vector<engine::CheckFactory> workflow_checks();

}  // namespace constable::checks::workflow

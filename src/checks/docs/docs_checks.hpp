#pragma once
// The documentation checks (domain "docs"), one per file, registered in id
// order: project documents, CHANGELOG format, ADRs, operational documents,
// owners and dates of to-do comments, and the Minikube resources in the README.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::docs {

std::unique_ptr<engine::Check> make_adr_sections_check();
std::unique_ptr<engine::Check> make_adr_supersede_check();
std::unique_ptr<engine::Check> make_capacity_planning_check();
std::unique_ptr<engine::Check> make_changelog_format_check();
std::unique_ptr<engine::Check> make_disaster_recovery_check();
std::unique_ptr<engine::Check> make_incident_response_check();
std::unique_ptr<engine::Check> make_minikube_resources_check();
std::unique_ptr<engine::Check> make_readme_quickstart_check();
std::unique_ptr<engine::Check> make_required_documents_check();
std::unique_ptr<engine::Check> make_runbooks_check();
std::unique_ptr<engine::Check> make_todo_owner_date_check();

// Every docs check's factory, sorted by check id.
std::vector<engine::CheckFactory> docs_checks();

}  // namespace constable::checks::docs

#include "checks/docs/docs_checks.hpp"

namespace constable::checks::docs {

std::vector<engine::CheckFactory> docs_checks() {
  // Sorted by check id.
  return {
      &make_adr_sections_check,         // docs/adr-sections
      &make_adr_supersede_check,        // docs/adr-supersede
      &make_capacity_planning_check,    // docs/capacity-planning
      &make_changelog_format_check,     // docs/changelog-format
      &make_disaster_recovery_check,    // docs/disaster-recovery
      &make_incident_response_check,    // docs/incident-response
      &make_minikube_resources_check,   // docs/minikube-resources
      &make_readme_quickstart_check,    // docs/readme-quickstart
      &make_required_documents_check,   // docs/required-documents
      &make_runbooks_check,             // docs/runbooks
      &make_todo_owner_date_check,      // docs/todo-owner-date
  };
}

}  // namespace constable::checks::docs

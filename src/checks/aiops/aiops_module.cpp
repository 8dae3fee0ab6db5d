#include "checks/aiops/aiops_checks.hpp"

namespace constable::checks::aiops {

std::vector<engine::CheckFactory> aiops_checks() {
  // Sorted by check id.
  return {
      &make_crd_documentation_check,   // aiops/crd-documentation
      &make_declarative_agents_check,  // aiops/declarative-agents
      &make_kagent_namespace_check,    // aiops/kagent-namespace
      &make_kubectl_ai_approval_check, // aiops/kubectl-ai-approval
  };
}

}  // namespace constable::checks::aiops

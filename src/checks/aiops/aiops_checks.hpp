#pragma once
// The AIOps checks (domain "aiops"), registered in id order: kagent's
// operator in a namespace of its own, agents whose behaviour is declared in
// YAML, the custom resource definitions a repository ships documented, and
// kubectl-ai's generated commands approved before they modify resources.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::aiops {

std::unique_ptr<engine::Check> make_crd_documentation_check();
std::unique_ptr<engine::Check> make_declarative_agents_check();
std::unique_ptr<engine::Check> make_kagent_namespace_check();
std::unique_ptr<engine::Check> make_kubectl_ai_approval_check();

// Every AIOps check's factory, sorted by check id.
std::vector<engine::CheckFactory> aiops_checks();

}  // namespace constable::checks::aiops

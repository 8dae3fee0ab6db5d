#pragma once
// `constable policy export --format gatekeeper`: the built-in checks that
// have a meaning at admission, as OPA Gatekeeper ConstraintTemplates with
// one Constraint each, their parameters taken from the constitution's
// clauses, so that clusters already running Gatekeeper enforce the
// constitution too.

#include <string>
#include <vector>

#include "engine/plan.hpp"

namespace constable::policy {

struct ExportedPolicy {
  std::string check_id;   // "kubernetes/probes"
  std::string file_name;  // "kubernetes-probes.yaml"
  std::string yaml;       // the ConstraintTemplate, "---", the Constraint
};

// Every active binding whose check has a Gatekeeper form, in plan order.
std::vector<ExportedPolicy> export_gatekeeper(const engine::Plan& plan, const std::string& constitution_version);

}  // namespace constable::policy

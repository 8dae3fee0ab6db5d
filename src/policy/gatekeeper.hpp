#pragma once
// OPA Gatekeeper's policy objects, evaluated by constable's Rego interpreter:
// ConstraintTemplates (templates.gatekeeper.sh, their Rego and libs) and the
// Constraints that instantiate them (kind = the template's CRD kind, with
// `spec.match` and `spec.parameters`). A team's Gatekeeper library runs in
// CI and in `constable serve` as it would in the cluster, and `policy
// verify` runs its `gator verify` suites.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "rego/compiler.hpp"
#include "rego/value.hpp"

namespace constable::yaml {
struct Node;
}

namespace constable::policy::gatekeeper {

struct Template {
  std::string name;  // metadata.name
  std::string kind;  // the constraint kind it defines (spec.crd.spec.names.kind)
  std::vector<std::string> package;
  std::shared_ptr<const rego::Policy> policy;
  std::string file;
  int line = 0;
};

struct Constraint {
  std::string kind;
  std::string name;
  rego::Value object;  // the whole constraint, for its match and parameters
  std::string file;
  int line = 0;
  rego::Value parameters() const;
};

// Whether a YAML object is a ConstraintTemplate / looks like a Constraint.
bool is_template(const yaml::Node* root);
bool is_constraint(const yaml::Node* root);

// Compiles a template's Rego (targets[].rego with its libs, or the Rego
// source of spec.targets[].code); errors carry the file and the line of the
// Rego inside the YAML.
Result<Template> load_template(const yaml::Node* root, const std::string& file);
Constraint load_constraint(const yaml::Node* root, const std::string& file);

// Whether the constraint's spec.match selects the object (kinds, namespaces,
// excludedNamespaces, labelSelector, namespaceSelector against `namespaces`,
// name, scope).
bool matches(const Constraint& constraint, const rego::Value& object,
             const rego::Value& namespace_object = rego::Value());

struct ReviewOptions {
  std::string operation = "CREATE";
  rego::Value inventory;                // data.inventory, for referential templates
  std::optional<rego::Value> old_object;  // UPDATE and DELETE
  rego::Value user_info;
};

// The messages of the template's `violation` rules for one object.
Result<std::vector<std::string>> review(const Template& t, const Constraint& constraint, const rego::Value& object,
                                        const ReviewOptions& options = {});

}  // namespace constable::policy::gatekeeper

#pragma once
// Compiles parsed modules into a policy: rules grouped by the document they
// define, names resolved (imports, rules of the same package, built-ins,
// functions), variables given frame slots, each body ordered so that every
// variable is bound before it is needed (OPA's safety check), and recursion
// refused. Errors carry file:line:column and OPA's wording; when a policy has
// several, the first is the error and the others follow it, one per line.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "rego/ast.hpp"

namespace constable::rego {

// Every rule that defines one document (data.main.deny), of one kind.
struct RuleSet {
  std::vector<std::string> path;
  RuleKind kind = RuleKind::complete;
  std::vector<RulePtr> rules;
  RulePtr default_rule;
  int arity = 0;             // functions
  std::string name() const;  // "data.main.deny"
};

// The rule tree: packages and rule documents under data.
struct RuleNode {
  std::map<std::string, RuleNode, std::less<>> children;
  const RuleSet* rules = nullptr;
};

struct Policy {
  std::vector<Module> modules;
  std::vector<std::unique_ptr<RuleSet>> rule_sets;
  RuleNode root;
  const RuleSet* find(const std::vector<std::string>& path) const;
  const RuleNode* node(const std::vector<std::string>& path) const;
};

Result<std::shared_ptr<const Policy>> compile(std::vector<Module> modules);

// A compiled query: its body resolved against a policy and ordered, and the
// names of the variables it binds (by slot) for printing results.
struct Query {
  Body body;
  int frame_size = 0;
  std::vector<std::string> slot_names;  // "" for wildcards and generated slots
};

Result<Query> compile_query(const Policy& policy, std::string_view text);

}  // namespace constable::rego

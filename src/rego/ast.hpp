#pragma once
// The Rego syntax tree, as the parser builds it and the compiler resolves
// it in place (variables to frame slots, names to rules and built-ins).

#include <memory>
#include <string>
#include <vector>

#include "rego/value.hpp"

namespace constable::rego {

struct Location {
  int line = 0;  // 1-based
  int column = 0;
};

struct Term;
struct Body;
struct RuleSet;
struct Builtin;
using TermPtr = std::shared_ptr<Term>;
using BodyPtr = std::shared_ptr<Body>;

enum class TermKind : std::uint8_t {
  value,  // a scalar literal, or a composite the compiler folded because it holds no variable
  var,
  ref,  // items[0] is the head (a var: input, data or a local), the rest is the path
  array,
  object,
  set,
  array_comprehension,
  set_comprehension,
  object_comprehension,
  call,  // `function` names the callee, items are the arguments
};

struct Term {
  TermKind kind = TermKind::value;
  Location location;
  Value value;
  std::string name;  // var: its name as written ("_" for wildcards)
  int slot = -1;     // var: frame slot, after compilation
  std::vector<TermPtr> items;
  std::vector<std::pair<TermPtr, TermPtr>> entries;  // object literals
  TermPtr head;                                      // comprehensions: the element (object: the key)
  TermPtr head_value;                                // object comprehensions: the value
  BodyPtr body;                                      // comprehensions

  // Calls. `function` is the dotted name as written; the compiler resolves it
  // to a built-in or to the rules of a user function.
  std::vector<std::string> function;
  const Builtin* builtin = nullptr;
  const RuleSet* rules = nullptr;
};

struct WithModifier {
  TermPtr target;  // a ref to input or data, or a function's name
  TermPtr value;
  Location location;
};

enum class ExprKind : std::uint8_t {
  term,       // a term (usually a call) that must be defined and not false
  unify,      // lhs = rhs
  assign,     // lhs := rhs (declares the variables of lhs)
  some_decl,  // some x, y
  some_in,    // some [key,] value in collection
  every,      // every [key,] value in collection { body }
};

struct Expr {
  ExprKind kind = ExprKind::term;
  Location location;
  bool negated = false;
  TermPtr lhs;  // term, unify, assign
  TermPtr rhs;
  TermPtr key;  // some_in, every (optional)
  TermPtr value;
  TermPtr collection;
  BodyPtr body;                   // every
  std::vector<TermPtr> declared;  // some_decl
  std::vector<WithModifier> withs;
};

struct Body {
  std::vector<Expr> exprs;
};

enum class RuleKind : std::uint8_t { complete, partial_set, partial_object, function };

struct Rule {
  RuleKind kind = RuleKind::complete;
  Location location;
  std::string file;
  std::vector<std::string> path;  // the rule's document under data: {"main", "deny"}
  TermPtr key;                    // partial set element, partial object key
  TermPtr value;                  // complete and object values, function results (true when omitted)
  std::vector<TermPtr> args;      // functions
  BodyPtr body;                   // empty: always true
  bool is_default = false;
  std::shared_ptr<Rule> else_rule;
  int frame_size = 0;  // after compilation
};
using RulePtr = std::shared_ptr<Rule>;

struct Import {
  std::vector<std::string> path;  // {"data", "lib", "k8s"} or {"input", "review"}
  std::string alias;              // the name it is known by in the module
  Location location;
};

// A `# METADATA` comment block, as YAML text with its position.
struct Annotation {
  std::string yaml;
  Location location;
  std::string scope;  // "package", "rule", "document", "subpackages" (from the block, or inferred)
  std::vector<std::string> rule_path;  // the rule the block precedes, if any
};

struct Module {
  std::string file;
  std::vector<std::string> package;  // {"main"} for `package main`
  Location package_location;
  std::vector<Import> imports;
  std::vector<RulePtr> rules;
  std::vector<Annotation> annotations;
  bool rego_v1 = false;  // `import rego.v1`
};

}  // namespace constable::rego

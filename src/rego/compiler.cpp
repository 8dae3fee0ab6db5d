#include "rego/compiler.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/suggest.hpp"
#include "rego/builtins.hpp"
#include "rego/parser.hpp"

namespace constable::rego {

std::string RuleSet::name() const {
  std::string out = "data";
  for (const auto& segment : path) {
    out += '.';
    out += segment;
  }
  return out;
}

const RuleNode* Policy::node(const std::vector<std::string>& path) const {
  const RuleNode* current = &root;
  for (const auto& segment : path) {
    auto it = current->children.find(segment);
    if (it == current->children.end()) return nullptr;
    current = &it->second;
  }
  return current;
}

const RuleSet* Policy::find(const std::vector<std::string>& path) const {
  const RuleNode* n = node(path);
  return n != nullptr ? n->rules : nullptr;
}

namespace {

constexpr std::size_t kMaxTermElements = 1000;

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& segment : path) {
    if (!out.empty()) out += '.';
    out += segment;
  }
  return out;
}

TermPtr string_term(const std::string& s, Location at) {
  auto t = std::make_shared<Term>();
  t->kind = TermKind::value;
  t->value = Value::string(s);
  t->location = at;
  return t;
}

TermPtr root_var(const std::string& name, Location at) {
  auto t = std::make_shared<Term>();
  t->kind = TermKind::var;
  t->name = name;
  t->location = at;
  return t;
}

// A ref term for a path under a root ("data" or "input"), with `rest` appended.
TermPtr make_ref(const std::vector<std::string>& path, Location at, const std::vector<TermPtr>& rest = {}) {
  auto ref = std::make_shared<Term>();
  ref->kind = TermKind::ref;
  ref->location = at;
  ref->items.push_back(root_var(path.front(), at));
  for (std::size_t i = 1; i < path.size(); ++i) ref->items.push_back(string_term(path[i], at));
  for (const auto& item : rest) ref->items.push_back(item);
  if (ref->items.size() == 1) return ref->items.front();
  return ref;
}

// Which slots an expression needs bound, and which it binds.
struct VarUse {
  std::set<int> needed;
  std::set<int> outputs;
  std::map<int, Location> where;  // first place each slot appears, for errors
};

class Compiler {
 public:
  explicit Compiler(Policy& policy) : policy_(policy) {}

  std::vector<Error> errors;

  void build_tree() {
    std::map<std::vector<std::string>, RuleSet*> by_path;
    for (auto& module : policy_.modules) {
      for (auto& rule : module.rules) {
        auto [it, fresh] = by_path.try_emplace(rule->path, nullptr);
        if (fresh) {
          auto set = std::make_unique<RuleSet>();
          set->path = rule->path;
          set->kind = rule->kind;
          set->arity = static_cast<int>(rule->args.size());
          it->second = set.get();
          policy_.rule_sets.push_back(std::move(set));
        }
        RuleSet& set = *it->second;
        if (set.kind != rule->kind) {
          add_error(rule->file, rule->location, fmt::format("rego_type_error: conflicting rules {} found", set.name()));
          continue;
        }
        if (set.kind == RuleKind::function && set.arity != static_cast<int>(rule->args.size())) {
          add_error(rule->file, rule->location,
                    fmt::format("rego_type_error: conflicting rules {} found (functions must have the same number "
                                "of arguments)",
                                set.name()));
          continue;
        }
        if (rule->is_default) {
          if (set.default_rule) {
            add_error(rule->file, rule->location,
                      fmt::format("rego_type_error: multiple default rules {} found", set.name()));
            continue;
          }
          set.default_rule = rule;
        } else {
          set.rules.push_back(rule);
        }
      }
    }
    for (auto& set : policy_.rule_sets) {
      RuleNode* current = &policy_.root;
      for (const auto& segment : set->path) current = &current->children[segment];
      current->rules = set.get();
    }
    // A rule whose document is inside another rule's (data.p and data.p.q) is a conflict.
    for (auto& set : policy_.rule_sets) {
      const RuleNode* n = policy_.node(set->path);
      if (n != nullptr && !n->children.empty()) {
        const auto& rule = set->rules.empty() ? set->default_rule : set->rules.front();
        add_error(rule->file, rule->location,
                  fmt::format("rego_type_error: rule {} conflicts with rules under it", set->name()));
      }
    }
    for (auto& module : policy_.modules) {
      auto& names = package_rules_[module.package];
      for (auto& rule : module.rules) names.insert(rule->path[module.package.size()]);
    }
  }

  void compile_module(Module& module) {
    module_ = &module;
    aliases_.clear();
    for (const auto& import : module.imports) {
      if (import.path.front() == "future" || import.path.front() == "rego") continue;
      aliases_[import.alias] = import.path;
    }
    for (auto& rule : module.rules) {
      for (Rule* r = rule.get(); r != nullptr; r = r->else_rule.get()) compile_rule(*r);
    }
  }

  // Queries resolve names like a rule body outside any package.
  Result<Query> compile_query_body(Body body) {
    module_ = nullptr;
    aliases_.clear();
    Query query;
    next_slot_ = 0;
    slot_names_.clear();
    file_ = "query";
    Scope scope;
    resolve_body(body, scope, {});
    if (!errors.empty()) return std::unexpected(errors.front());
    std::set<int> safe;
    order_body(body, safe);
    if (!errors.empty()) return std::unexpected(errors.front());
    query.body = std::move(body);
    query.frame_size = next_slot_;
    query.slot_names = slot_names_;
    return query;
  }

  void check_recursion() {
    // Edges from each rule set to the rule sets its bodies read or call.
    std::unordered_map<const RuleSet*, std::set<const RuleSet*>> edges;
    for (auto& set : policy_.rule_sets) {
      auto& out = edges[set.get()];
      auto visit_rule = [&](const Rule& rule) {
        for (const Rule* r = &rule; r != nullptr; r = r->else_rule.get()) {
          collect_dependencies(r->body.get(), out);
          collect_dependencies(r->key.get(), out);
          collect_dependencies(r->value.get(), out);
        }
      };
      for (const auto& rule : set->rules) visit_rule(*rule);
      if (set->default_rule) visit_rule(*set->default_rule);
    }
    std::unordered_map<const RuleSet*, int> state;  // 0 new, 1 on the stack, 2 done
    std::vector<const RuleSet*> stack;
    std::function<bool(const RuleSet*)> visit = [&](const RuleSet* set) {
      state[set] = 1;
      stack.push_back(set);
      for (const RuleSet* next : edges[set]) {
        if (state[next] == 1) {
          std::string cycle;
          auto start = std::find(stack.begin(), stack.end(), next);
          for (auto it = start; it != stack.end(); ++it) cycle += (*it)->path.back() + " -> ";
          cycle += next->path.back();
          const auto& rule = set->rules.empty() ? set->default_rule : set->rules.front();
          add_error(rule->file, rule->location,
                    fmt::format("rego_recursion_error: rule {} is recursive: {}", next->name(), cycle));
          return false;
        }
        if (state[next] == 0 && !visit(next)) return false;
      }
      stack.pop_back();
      state[set] = 2;
      return true;
    };
    for (auto& set : policy_.rule_sets) {
      if (state[set.get()] == 0 && !visit(set.get())) return;
    }
  }

 private:
  struct Scope {
    std::unordered_map<std::string, int> vars;
    const Scope* parent = nullptr;
    int lookup(const std::string& name) const {
      for (const Scope* s = this; s != nullptr; s = s->parent) {
        auto it = s->vars.find(name);
        if (it != s->vars.end()) return it->second;
      }
      return -1;
    }
  };

  void add_error(const std::string& file, Location at, std::string message) {
    errors.push_back(Error{std::move(message), file, at.line, at.column});
  }

  int new_slot(const std::string& name) {
    slot_names_.push_back(name == "_" ? std::string() : name);
    return next_slot_++;
  }

  void compile_rule(Rule& rule) {
    next_slot_ = 0;
    slot_names_.clear();
    file_ = rule.file;
    Scope scope;
    // Function arguments are the rule's own variables.
    std::vector<std::string> declared;
    for (const auto& arg : rule.args) collect_var_names(*arg, declared);
    std::vector<TermPtr*> head_terms;
    for (auto& arg : rule.args) head_terms.push_back(&arg);
    if (rule.key) head_terms.push_back(&rule.key);
    if (rule.value) head_terms.push_back(&rule.value);
    if (!rule.body) rule.body = std::make_shared<Body>();
    // Names in the head count as this body's names (a head var is bound by the body).
    std::vector<std::string> head_names;
    for (auto* term : head_terms) collect_var_names(**term, head_names);
    resolve_body(*rule.body, scope, declared, head_names);
    for (auto* term : head_terms) resolve_term(*term, scope);

    std::set<int> safe;
    VarUse args_use;
    for (const auto& arg : rule.args) analyze(*arg, true, args_use);
    safe.insert(args_use.outputs.begin(), args_use.outputs.end());
    safe.insert(args_use.needed.begin(), args_use.needed.end());
    order_body(*rule.body, safe);
    VarUse head_use;
    if (rule.key) analyze(*rule.key, false, head_use);
    if (rule.value) analyze(*rule.value, false, head_use);
    for (int slot : head_use.needed) {
      if (!safe.contains(slot)) {
        add_error(rule.file, head_use.where[slot],
                  fmt::format("rego_unsafe_var_error: var {} is unsafe", slot_names_[static_cast<std::size_t>(slot)]));
        break;
      }
    }
    rule.frame_size = next_slot_;
  }

  // Var names as written in a term (not inside nested bodies).
  static void collect_var_names(const Term& t, std::vector<std::string>& out) {
    switch (t.kind) {
      case TermKind::var: out.push_back(t.name); break;
      case TermKind::ref:
      case TermKind::array:
      case TermKind::set:
      case TermKind::call:
        for (const auto& item : t.items) collect_var_names(*item, out);
        break;
      case TermKind::object:
        for (const auto& [k, v] : t.entries) {
          collect_var_names(*k, out);
          collect_var_names(*v, out);
        }
        break;
      default: break;
    }
  }

  // The names a body's expressions use at its own level, and those it declares (some, :=).
  static void body_names(const Body& body, std::vector<std::string>& used, std::vector<std::string>& declared) {
    for (const auto& expr : body.exprs) {
      switch (expr.kind) {
        case ExprKind::term: collect_var_names(*expr.lhs, used); break;
        case ExprKind::unify:
          collect_var_names(*expr.lhs, used);
          collect_var_names(*expr.rhs, used);
          break;
        case ExprKind::assign:
          collect_var_names(*expr.lhs, declared);
          collect_var_names(*expr.rhs, used);
          break;
        case ExprKind::some_decl:
          for (const auto& t : expr.declared) declared.push_back(t->name);
          break;
        case ExprKind::some_in:
          if (expr.key) collect_var_names(*expr.key, declared);
          collect_var_names(*expr.value, declared);
          collect_var_names(*expr.collection, used);
          break;
        case ExprKind::every: collect_var_names(*expr.collection, used); break;
      }
      for (const auto& with : expr.withs) collect_var_names(*with.value, used);
    }
  }

  bool is_rule_name(const std::string& name) const {
    if (module_ == nullptr) return false;
    auto it = package_rules_.find(module_->package);
    return it != package_rules_.end() && it->second.contains(name);
  }

  // Gives each name of this body a slot: declared names always a new one,
  // names an enclosing body uses its slot, and others a new one unless they
  // name a root, an import or a rule of the package.
  void resolve_body(Body& body, Scope& scope, const std::vector<std::string>& declared_outside,
                    const std::vector<std::string>& extra_names = {}) {
    std::vector<std::string> used;
    std::vector<std::string> declared = declared_outside;
    body_names(body, used, declared);
    used.insert(used.end(), extra_names.begin(), extra_names.end());
    for (const auto& name : declared) {
      if (name == "_" || scope.vars.contains(name)) continue;
      scope.vars[name] = new_slot(name);
    }
    for (const auto& name : used) {
      if (name == "_" || scope.lookup(name) >= 0) continue;
      if (name == "input" || name == "data" || aliases_.contains(name) || is_rule_name(name)) continue;
      scope.vars[name] = new_slot(name);
    }
    for (auto& expr : body.exprs) resolve_expr(expr, scope);
  }

  void resolve_expr(Expr& expr, Scope& scope) {
    switch (expr.kind) {
      case ExprKind::term: resolve_term(expr.lhs, scope); break;
      case ExprKind::unify:
      case ExprKind::assign:
        resolve_term(expr.lhs, scope);
        resolve_term(expr.rhs, scope);
        if (expr.kind == ExprKind::assign) check_assignable(*expr.lhs);
        break;
      case ExprKind::some_decl:
        for (auto& t : expr.declared) resolve_term(t, scope);
        break;
      case ExprKind::some_in:
        if (expr.key) resolve_term(expr.key, scope);
        resolve_term(expr.value, scope);
        resolve_term(expr.collection, scope);
        break;
      case ExprKind::every: {
        resolve_term(expr.collection, scope);
        const int first_slot = next_slot_;
        Scope inner;
        inner.parent = &scope;
        std::vector<std::string> declared;
        if (expr.key) collect_var_names(*expr.key, declared);
        collect_var_names(*expr.value, declared);
        for (const auto& name : declared) {
          if (name != "_") inner.vars[name] = new_slot(name);
        }
        if (expr.key) resolve_term(expr.key, inner);
        resolve_term(expr.value, inner);
        resolve_body(*expr.body, inner, {});
        nested_slots_[expr.body.get()] = {first_slot, next_slot_};
        break;
      }
    }
    for (auto& with : expr.withs) {
      resolve_with_target(with);
      resolve_term(with.value, scope);
    }
  }

  void check_assignable(const Term& lhs) {
    if (lhs.kind == TermKind::var || lhs.kind == TermKind::array || lhs.kind == TermKind::object) return;
    add_error(file_, lhs.location, "rego_compile_error: cannot assign to " + std::string(lhs.kind == TermKind::ref ? "ref" : "term"));
  }

  void resolve_with_target(WithModifier& with) {
    const Term& target = *with.target;
    std::vector<std::string> path;
    if (target.kind == TermKind::var) {
      path.push_back(target.name);
    } else if (target.kind == TermKind::ref && target.items.front()->kind == TermKind::var) {
      path.push_back(target.items.front()->name);
      for (std::size_t i = 1; i < target.items.size(); ++i) {
        if (target.items[i]->kind != TermKind::value || !target.items[i]->value.is_string()) {
          add_error(file_, with.location, "rego_compile_error: with keyword target must be a ref to input or data");
          return;
        }
        path.push_back(target.items[i]->value.as_string());
      }
    } else {
      add_error(file_, with.location, "rego_compile_error: with keyword target must be a ref to input or data");
      return;
    }
    if (auto alias = aliases_.find(path.front()); alias != aliases_.end()) {
      std::vector<std::string> full = alias->second;
      full.insert(full.end(), path.begin() + 1, path.end());
      path = std::move(full);
    } else if (path.front() != "input" && path.front() != "data" && is_rule_name(path.front())) {
      std::vector<std::string> full{"data"};
      full.insert(full.end(), module_->package.begin(), module_->package.end());
      full.insert(full.end(), path.begin(), path.end());
      path = std::move(full);
    } else if (path.front() != "input" && path.front() != "data") {
      // A built-in replaced by a value or another function.
      if (find_builtin(dotted(path)) == nullptr) {
        add_error(file_, with.location,
                  fmt::format("rego_compile_error: with keyword target must reference existing input, data, or a "
                              "function, not {}",
                              dotted(path)));
        return;
      }
    }
    with.target = make_ref(path, with.location);
  }

  void resolve_term(TermPtr& term, Scope& scope) {
    Term& t = *term;
    switch (t.kind) {
      case TermKind::value: return;
      case TermKind::var: {
        if (t.name == "_") {
          t.slot = new_slot("_");
          return;
        }
        if (int slot = scope.lookup(t.name); slot >= 0) {
          t.slot = slot;
          return;
        }
        if (auto resolved = resolve_global(t.name, t.location)) {
          term = resolved;
          return;
        }
        if (t.name == "input" || t.name == "data") return;  // roots
        // A name first seen in a nested position of an earlier pass: give it a slot.
        t.slot = new_slot(t.name);
        scope.vars[t.name] = t.slot;
        return;
      }
      case TermKind::ref: {
        TermPtr& head = t.items.front();
        if (head->kind == TermKind::var && head->name != "_" && scope.lookup(head->name) < 0) {
          if (auto resolved = resolve_global(head->name, head->location)) {
            // Splice: the resolved ref's items, then ours.
            std::vector<TermPtr> items;
            if (resolved->kind == TermKind::ref) {
              items = resolved->items;
            } else {
              items.push_back(resolved);
            }
            items.insert(items.end(), t.items.begin() + 1, t.items.end());
            t.items = std::move(items);
          }
        }
        for (auto& item : t.items) resolve_term(item, scope);
        return;
      }
      case TermKind::array:
      case TermKind::set:
        for (auto& item : t.items) resolve_term(item, scope);
        fold_constant(term);
        return;
      case TermKind::object:
        for (auto& [k, v] : t.entries) {
          resolve_term(k, scope);
          resolve_term(v, scope);
        }
        fold_constant(term);
        return;
      case TermKind::call: {
        for (auto& item : t.items) resolve_term(item, scope);
        resolve_function(t);
        return;
      }
      case TermKind::array_comprehension:
      case TermKind::set_comprehension:
      case TermKind::object_comprehension: {
        Scope inner;
        inner.parent = &scope;
        std::vector<std::string> head_names;
        collect_var_names(*t.head, head_names);
        if (t.head_value) collect_var_names(*t.head_value, head_names);
        const int first_slot = next_slot_;
        resolve_body(*t.body, inner, {}, head_names);
        resolve_term(t.head, inner);
        if (t.head_value) resolve_term(t.head_value, inner);
        nested_slots_[t.body.get()] = {first_slot, next_slot_};
        return;
      }
    }
  }

  // A literal collection of constants is a constant: evaluated once here, not
  // element by element (one nested call each) on every evaluation. What stays
  // a collection of terms is bounded, since evaluating it recurses per element.
  void fold_constant(TermPtr& term) {
    Term& t = *term;
    const bool constant =
        std::all_of(t.items.begin(), t.items.end(), [](const TermPtr& i) { return i->kind == TermKind::value; }) &&
        std::all_of(t.entries.begin(), t.entries.end(), [](const auto& e) {
          return e.first->kind == TermKind::value && e.second->kind == TermKind::value;
        });
    if (!constant) {
      if (t.items.size() + t.entries.size() > kMaxTermElements) {
        add_error(file_, t.location,
                  fmt::format("rego_compile_error: a collection of more than {} elements that are not all constants",
                              kMaxTermElements));
      }
      return;
    }
    Value value;
    if (t.kind == TermKind::array || t.kind == TermKind::set) {
      std::vector<Value> items;
      items.reserve(t.items.size());
      for (const auto& item : t.items) items.push_back(item->value);
      value = t.kind == TermKind::array ? Value::array(std::move(items)) : Value::set(std::move(items));
    } else {
      Object entries;
      entries.reserve(t.entries.size());
      for (const auto& [k, v] : t.entries) entries.emplace_back(k->value, v->value);
      if (!has_duplicate_keys(entries)) value = Value::object(std::move(entries));
      else return;  // left to evaluation, which reports the conflict as OPA does
    }
    auto folded = std::make_shared<Term>();
    folded->kind = TermKind::value;
    folded->location = t.location;
    folded->value = std::move(value);
    term = folded;
  }

  static bool has_duplicate_keys(Object entries) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 1; i < entries.size(); ++i) {
      if (entries[i - 1].first == entries[i].first) return true;
    }
    return false;
  }

  // input, data, an import alias or a rule of this package, as a ref; null otherwise.
  TermPtr resolve_global(const std::string& name, Location at) {
    if (auto alias = aliases_.find(name); alias != aliases_.end()) return make_ref(alias->second, at);
    if (is_rule_name(name)) {
      std::vector<std::string> path{"data"};
      path.insert(path.end(), module_->package.begin(), module_->package.end());
      path.push_back(name);
      return make_ref(path, at);
    }
    return nullptr;
  }

  void resolve_function(Term& call) {
    std::vector<std::string> name = call.function;
    // An import alias or a function of this package.
    if (auto alias = aliases_.find(name.front()); alias != aliases_.end()) {
      std::vector<std::string> full = alias->second;
      full.insert(full.end(), name.begin() + 1, name.end());
      name = std::move(full);
    } else if (name.size() == 1 && is_rule_name(name.front())) {
      std::vector<std::string> full{"data"};
      full.insert(full.end(), module_->package.begin(), module_->package.end());
      full.push_back(name.front());
      name = std::move(full);
    }
    if (name.front() == "data") {
      std::vector<std::string> path(name.begin() + 1, name.end());
      const RuleSet* set = policy_.find(path);
      if (set != nullptr && set->kind != RuleKind::function && call.items.empty()) {
        // f() naming a rule declared `f() = x`: its document.
        std::vector<std::string> full{"data"};
        full.insert(full.end(), path.begin(), path.end());
        const TermPtr ref = make_ref(full, call.location);
        call = *ref;
        return;
      }
      if (set == nullptr || set->kind != RuleKind::function) {
        add_error(file_, call.location, fmt::format("rego_type_error: undefined function {}", dotted(name)));
        return;
      }
      const auto given = static_cast<int>(call.items.size());
      if (given != set->arity && given != set->arity + 1) {
        add_error(file_, call.location,
                  fmt::format("rego_type_error: {}: arity mismatch: expected {} arguments, got {}", dotted(name),
                              set->arity, given));
        return;
      }
      call.rules = set;
      call.function = name;
      return;
    }
    const std::string full = dotted(name);
    const Builtin* builtin = find_builtin(full);
    if (builtin == nullptr) {
      add_error(file_, call.location,
                fmt::format("rego_type_error: undefined function {}{}", full, text::did_you_mean(full, builtin_names())));
      return;
    }
    const auto given = static_cast<int>(call.items.size());
    if (builtin->arity >= 0 && given != builtin->arity && !(given == builtin->arity + 1)) {
      add_error(file_, call.location,
                fmt::format("rego_type_error: {}: arity mismatch: expected {} arguments, got {}", full, builtin->arity,
                            given));
      return;
    }
    call.builtin = builtin;
  }

  // --- safety ----------------------------------------------------------------

  void analyze(const Term& t, bool pattern, VarUse& use) {
    auto note = [&](int slot) { use.where.try_emplace(slot, t.location); };
    switch (t.kind) {
      case TermKind::value: return;
      case TermKind::var:
        if (t.slot < 0) return;  // input, data
        note(t.slot);
        (pattern ? use.outputs : use.needed).insert(t.slot);
        return;
      case TermKind::ref: {
        const Term& head = *t.items.front();
        if (head.kind == TermKind::var) {
          if (head.slot >= 0) {
            use.where.try_emplace(head.slot, head.location);
            use.needed.insert(head.slot);
          }
        } else {
          analyze(head, false, use);
        }
        for (std::size_t i = 1; i < t.items.size(); ++i) analyze(*t.items[i], true, use);
        return;
      }
      case TermKind::array:
        for (const auto& item : t.items) analyze(*item, pattern, use);
        return;
      case TermKind::set:
        for (const auto& item : t.items) analyze(*item, false, use);
        return;
      case TermKind::object:
        for (const auto& [k, v] : t.entries) {
          analyze(*k, false, use);
          analyze(*v, pattern, use);
        }
        return;
      case TermKind::call: {
        int arity = t.builtin != nullptr ? t.builtin->arity : (t.rules != nullptr ? t.rules->arity : -1);
        for (std::size_t i = 0; i < t.items.size(); ++i) {
          const bool output = arity >= 0 && static_cast<int>(i) == arity;
          analyze(*t.items[i], output, use);
        }
        return;
      }
      case TermKind::array_comprehension:
      case TermKind::set_comprehension:
      case TermKind::object_comprehension: {
        // The enclosing variables it reads must be bound first (a closure).
        const auto [first, last] = nested_slots_[t.body.get()];
        std::set<int> inner;
        collect_slots(t, inner);
        for (int slot : inner) {
          if (slot >= first && slot < last) continue;
          use.where.try_emplace(slot, t.location);
          use.needed.insert(slot);
        }
        return;
      }
    }
  }

  static void collect_slots(const Term& t, std::set<int>& out) {
    if (t.kind == TermKind::var && t.slot >= 0) out.insert(t.slot);
    for (const auto& item : t.items) collect_slots(*item, out);
    for (const auto& [k, v] : t.entries) {
      collect_slots(*k, out);
      collect_slots(*v, out);
    }
    if (t.head) collect_slots(*t.head, out);
    if (t.head_value) collect_slots(*t.head_value, out);
    if (t.body) collect_slots(*t.body, out);
  }

  static void collect_slots(const Body& body, std::set<int>& out) {
    for (const auto& expr : body.exprs) {
      for (const auto* term : {expr.lhs.get(), expr.rhs.get(), expr.key.get(), expr.value.get(), expr.collection.get()}) {
        if (term != nullptr) collect_slots(*term, out);
      }
      for (const auto& t : expr.declared) collect_slots(*t, out);
      if (expr.body) collect_slots(*expr.body, out);
      for (const auto& with : expr.withs) collect_slots(*with.value, out);
    }
  }

  VarUse expr_use(const Expr& expr) {
    VarUse use;
    switch (expr.kind) {
      case ExprKind::term: analyze(*expr.lhs, false, use); break;
      case ExprKind::unify:
        analyze(*expr.lhs, true, use);
        analyze(*expr.rhs, true, use);
        break;
      case ExprKind::assign:
        analyze(*expr.lhs, true, use);
        analyze(*expr.rhs, false, use);
        break;
      case ExprKind::some_decl: break;
      case ExprKind::some_in:
        analyze(*expr.collection, false, use);
        if (expr.key) analyze(*expr.key, true, use);
        analyze(*expr.value, true, use);
        break;
      case ExprKind::every: {
        analyze(*expr.collection, false, use);
        const auto [first, last] = nested_slots_[expr.body.get()];
        std::set<int> inner;
        collect_slots(*expr.body, inner);
        // Slots given inside the every (its variables, its body's) are its own; the others are read from outside.
        for (int slot : inner) {
          if (slot >= first && slot < last) continue;
          use.needed.insert(slot);
          use.where.try_emplace(slot, expr.location);
        }
        break;
      }
    }
    for (const auto& with : expr.withs) analyze(*with.value, false, use);
    if (expr.negated) {
      // A negated expression binds nothing outside itself: what it would
      // bind stays local to it, the rest must be bound before.
      use.outputs.clear();
    }
    return use;
  }

  // Orders a body so that each expression runs once what it needs is bound
  // (keeping the written order where it can), then orders nested bodies.
  void order_body(Body& body, std::set<int>& safe) {
    std::vector<Expr> pending = std::move(body.exprs);
    body.exprs.clear();
    while (!pending.empty()) {
      bool progressed = false;
      for (std::size_t i = 0; i < pending.size(); ++i) {
        VarUse use = expr_use(pending[i]);
        bool ready = std::all_of(use.needed.begin(), use.needed.end(), [&](int s) { return safe.contains(s); });
        if (ready && pending[i].kind == ExprKind::unify && pending[i].lhs->kind == TermKind::var &&
            pending[i].rhs->kind == TermKind::var && !safe.contains(pending[i].lhs->slot) &&
            !safe.contains(pending[i].rhs->slot)) {
          ready = false;
        }
        if (!ready) continue;
        Expr expr = std::move(pending[i]);
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
        if (expr.negated && expr.kind == ExprKind::term) {
          for (auto& hoisted : hoist_call_arguments(expr, safe)) {
            order_nested(hoisted, safe);
            safe.insert(hoisted.lhs->slot);
            body.exprs.push_back(std::move(hoisted));
          }
        }
        order_nested(expr, safe);
        if (!expr.negated) safe.insert(use.outputs.begin(), use.outputs.end());
        body.exprs.push_back(std::move(expr));
        progressed = true;
        break;
      }
      if (!progressed) {
        // Report the first unbound variable of the first expression left.
        VarUse use = expr_use(pending.front());
        for (const auto& [slot, where] : use.where) {
          if (use.needed.contains(slot) && !safe.contains(slot)) {
            add_error(file_, where,
                      fmt::format("rego_unsafe_var_error: var {} is unsafe",
                                  slot_names_[static_cast<std::size_t>(slot)].empty()
                                      ? "_"
                                      : slot_names_[static_cast<std::size_t>(slot)]));
            break;
          }
        }
        if (use.needed.empty()) add_error(file_, pending.front().location, "rego_unsafe_var_error: expression is unsafe");
        for (auto& expr : pending) body.exprs.push_back(std::move(expr));
        return;
      }
    }
  }

  // OPA evaluates the arguments of a negated expression's calls before the
  // negation (`not f(input.x)` is undefined, not true, when input.x is):
  // calls and refs in argument position whose variables are all bound, and a
  // call a ref starts from, become assignments to fresh variables placed
  // before the expression.
  std::vector<Expr> hoist_call_arguments(Expr& expr, const std::set<int>& safe) {
    std::vector<Expr> hoisted;
    auto bound = [&](const Term& t) {
      std::set<int> slots;
      collect_slots(t, slots);
      return std::all_of(slots.begin(), slots.end(), [&](int slot) { return safe.contains(slot); });
    };
    auto hoist = [&](TermPtr& term) {
      auto var = std::make_shared<Term>();
      var->kind = TermKind::var;
      var->location = term->location;
      var->slot = new_slot("");
      Expr assign;
      assign.kind = ExprKind::assign;
      assign.location = term->location;
      assign.lhs = var;
      assign.rhs = term;
      hoisted.push_back(std::move(assign));
      term = var;
    };
    auto visit = [&](auto&& self, TermPtr& term) -> void {
      if (term->kind == TermKind::call) {
        for (auto& arg : term->items) {
          if ((arg->kind == TermKind::call || arg->kind == TermKind::ref) && bound(*arg)) {
            hoist(arg);
          } else {
            self(self, arg);
          }
        }
      } else if (term->kind == TermKind::ref && term->items.front()->kind == TermKind::call &&
                 bound(*term->items.front())) {
        hoist(term->items.front());
      }
    };
    visit(visit, expr.lhs);
    return hoisted;
  }

  void order_nested(Expr& expr, const std::set<int>& safe) {
    auto visit_term = [&](auto&& self, Term& t) -> void {
      if (t.body && (t.kind == TermKind::array_comprehension || t.kind == TermKind::set_comprehension ||
                     t.kind == TermKind::object_comprehension)) {
        std::set<int> inner = safe;
        order_body(*t.body, inner);
        VarUse head;
        analyze(*t.head, false, head);
        if (t.head_value) analyze(*t.head_value, false, head);
        for (int slot : head.needed) {
          if (!inner.contains(slot)) {
            add_error(file_, head.where[slot],
                      fmt::format("rego_unsafe_var_error: var {} is unsafe", slot_names_[static_cast<std::size_t>(slot)]));
            break;
          }
        }
        return;
      }
      for (auto& item : t.items) self(self, *item);
      for (auto& [k, v] : t.entries) {
        self(self, *k);
        self(self, *v);
      }
    };
    for (auto* term : {expr.lhs.get(), expr.rhs.get(), expr.collection.get()}) {
      if (term != nullptr) visit_term(visit_term, *term);
    }
    for (auto& with : expr.withs) visit_term(visit_term, *with.value);
    if (expr.kind == ExprKind::every) {
      std::set<int> inner = safe;
      if (expr.key) collect_slots(*expr.key, inner);
      collect_slots(*expr.value, inner);
      order_body(*expr.body, inner);
    }
  }

  // --- recursion ---------------------------------------------------------------

  void collect_dependencies(const Body* body, std::set<const RuleSet*>& out) {
    if (body == nullptr) return;
    for (const auto& expr : body->exprs) {
      for (const auto* term : {expr.lhs.get(), expr.rhs.get(), expr.key.get(), expr.value.get(), expr.collection.get()}) {
        collect_dependencies(term, out);
      }
      collect_dependencies(expr.body.get(), out);
      for (const auto& with : expr.withs) collect_dependencies(with.value.get(), out);
    }
  }

  void collect_dependencies(const Term* t, std::set<const RuleSet*>& out) {
    if (t == nullptr) return;
    if (t->kind == TermKind::call && t->rules != nullptr) out.insert(t->rules);
    if (t->kind == TermKind::ref && t->items.front()->kind == TermKind::var && t->items.front()->name == "data" &&
        t->items.front()->slot < 0) {
      std::vector<std::string> prefix;
      for (std::size_t i = 1; i < t->items.size(); ++i) {
        const Term& seg = *t->items[i];
        if (seg.kind != TermKind::value || !seg.value.is_string()) break;
        prefix.push_back(seg.value.as_string());
        if (policy_.find(prefix) != nullptr) break;
      }
      if (const RuleNode* n = policy_.node(prefix)) add_subtree(*n, out);
    }
    for (const auto& item : t->items) collect_dependencies(item.get(), out);
    for (const auto& [k, v] : t->entries) {
      collect_dependencies(k.get(), out);
      collect_dependencies(v.get(), out);
    }
    collect_dependencies(t->head.get(), out);
    collect_dependencies(t->head_value.get(), out);
    collect_dependencies(t->body.get(), out);
  }

  static void add_subtree(const RuleNode& n, std::set<const RuleSet*>& out) {
    if (n.rules != nullptr) out.insert(n.rules);
    for (const auto& [_, child] : n.children) add_subtree(child, out);
  }

  Policy& policy_;
  const Module* module_ = nullptr;
  std::string file_;
  std::unordered_map<std::string, std::vector<std::string>> aliases_;
  std::map<std::vector<std::string>, std::set<std::string>> package_rules_;
  std::unordered_map<const Body*, std::pair<int, int>> nested_slots_;
  int next_slot_ = 0;
  std::vector<std::string> slot_names_;
};

Error joined(const std::vector<Error>& errors) {
  Error first = errors.front();
  for (std::size_t i = 1; i < errors.size() && i < 10; ++i) first.message += "\n" + errors[i].to_string();
  if (errors.size() > 10) first.message += fmt::format("\n({} more errors)", errors.size() - 10);
  return first;
}

}  // namespace

Result<std::shared_ptr<const Policy>> compile(std::vector<Module> modules) {
  auto policy = std::make_shared<Policy>();
  policy->modules = std::move(modules);
  Compiler compiler(*policy);
  compiler.build_tree();
  if (compiler.errors.empty()) {
    for (auto& module : policy->modules) compiler.compile_module(module);
  }
  if (compiler.errors.empty()) compiler.check_recursion();
  if (!compiler.errors.empty()) return std::unexpected(joined(compiler.errors));
  return std::shared_ptr<const Policy>(std::move(policy));
}

Result<Query> compile_query(const Policy& policy, std::string_view text) {
  auto body = parse_query(text);
  if (!body) return std::unexpected(body.error());
  // The compiler only reads the policy when resolving a query.
  Compiler compiler(const_cast<Policy&>(policy));
  return compiler.compile_query_body(std::move(*body));
}

}  // namespace constable::rego

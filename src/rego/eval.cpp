#include "rego/eval.hpp"

#include <chrono>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "rego/builtins.hpp"
#include "rego/function_ref.hpp"

namespace constable::rego {

namespace {

// A rule's variables, by slot.
struct Frame {
  explicit Frame(int size) : values(static_cast<std::size_t>(size)), bound(static_cast<std::size_t>(size), 0) {}
  std::vector<Value> values;
  std::vector<char> bound;
};

using Continue = FunctionRef<bool()>;                // false: stop enumerating
using WithValue = FunctionRef<bool(const Value&)>;  // false: stop enumerating

struct Memo {
  std::unordered_map<const RuleSet*, std::optional<Value>> documents;
};

// A `with data.x.y as v` in effect over a rule document or under one.
struct DataOverride {
  std::vector<std::string> path;
  Value value;
};

}  // namespace

class Evaluator::Impl {
 public:
  Impl(const Policy& policy, Value data, std::optional<Value> input, EvalOptions options)
      : policy_(policy), data_(std::move(data)), input_(std::move(input)), options_(std::move(options)) {
    memos_.emplace_back();
  }

  void set_input(std::optional<Value> input) {
    input_ = std::move(input);
    memos_.clear();
    memos_.emplace_back();
  }

  Result<std::optional<Value>> document(const std::vector<std::string>& path) {
    start();
    std::optional<Value> result;
    walk_data_path(path, [&](const Value& v) {
      result = v;
      return false;
    });
    if (error_) return std::unexpected(*error_);
    return result;
  }

  Result<std::vector<Bindings>> run(const Query& query) {
    start();
    std::vector<Bindings> solutions;
    Frame frame(query.frame_size);
    eval_body(query.body, 0, frame, [&] {
      Bindings bindings;
      for (std::size_t slot = 0; slot < query.slot_names.size(); ++slot) {
        if (query.slot_names[slot].empty() || !frame.bound[slot]) continue;
        bindings.emplace_back(query.slot_names[slot], frame.values[slot]);
      }
      solutions.push_back(std::move(bindings));
      return true;
    });
    if (error_) return std::unexpected(*error_);
    return solutions;
  }

 private:
  void start() {
    error_.reset();
    context_ = BuiltinContext{};
    context_.now_ns = options_.now_ns != 0
                          ? options_.now_ns
                          : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    context_.print = options_.print;
    depth_ = 0;
    steps_ = 0;
  }

  bool fail(Location at, std::string message) {
    if (!error_) error_ = Error{std::move(message), current_file_, at.line, at.column};
    return false;
  }

  // --- bindings ----------------------------------------------------------

  void bind(Frame& frame, int slot, const Value& value) {
    frame.values[static_cast<std::size_t>(slot)] = value;
    frame.bound[static_cast<std::size_t>(slot)] = 1;
    trail_.emplace_back(&frame, slot);
  }

  std::size_t mark() const { return trail_.size(); }

  void undo(std::size_t to) {
    while (trail_.size() > to) {
      auto [frame, slot] = trail_.back();
      frame->bound[static_cast<std::size_t>(slot)] = 0;
      frame->values[static_cast<std::size_t>(slot)] = Value();
      trail_.pop_back();
    }
  }

  static bool is_unbound_var(const Term& t, const Frame& frame) {
    return t.kind == TermKind::var && t.slot >= 0 && !frame.bound[static_cast<std::size_t>(t.slot)];
  }

  // Whether a term holds a variable not yet bound where unification could bind it.
  static bool has_unbound_pattern(const Term& t, const Frame& frame) {
    switch (t.kind) {
      case TermKind::var: return is_unbound_var(t, frame);
      case TermKind::array:
        for (const auto& item : t.items) {
          if (has_unbound_pattern(*item, frame)) return true;
        }
        return false;
      case TermKind::object:
        for (const auto& [k, v] : t.entries) {
          if (has_unbound_pattern(*v, frame)) return true;
        }
        return false;
      default: return false;
    }
  }

  // --- bodies and expressions ----------------------------------------------

  bool eval_body(const Body& body, std::size_t index, Frame& frame, Continue k) {
    // Every step through a body counts, solutions included: iterating
    // within one expression costs steps too.
    if (++steps_ > options_.max_steps) {
      const Location at = body.exprs.empty() ? Location{} : body.exprs[std::min(index, body.exprs.size() - 1)].location;
      return fail(at, fmt::format("evaluation stopped after {} steps (the limit)", options_.max_steps));
    }
    if (index == body.exprs.size()) return k();
    return eval_expr(body.exprs[index], frame, [&] { return eval_body(body, index + 1, frame, k); });
  }

  bool eval_expr(const Expr& expr, Frame& frame, Continue k) {
    if (error_) return false;
    if (!expr.withs.empty()) return eval_with(expr, frame, k);
    if (expr.negated) {
      bool found = false;
      const auto saved = mark();
      eval_positive(expr, frame, [&] {
        found = true;
        return false;
      });
      undo(saved);
      if (error_) return false;
      return found ? true : k();
    }
    return eval_positive(expr, frame, k);
  }

  bool eval_positive(const Expr& expr, Frame& frame, Continue k) {
    switch (expr.kind) {
      case ExprKind::term:
        return eval_term(*expr.lhs, frame, [&](const Value& v) {
          if (v.is_bool() && !v.as_bool()) return true;
          return k();
        });
      case ExprKind::unify: return unify(*expr.lhs, *expr.rhs, frame, k);
      case ExprKind::assign:
        return eval_term(*expr.rhs, frame, [&](const Value& v) { return unify_value(*expr.lhs, v, frame, k); });
      case ExprKind::some_decl: return k();
      case ExprKind::some_in:
        return eval_term(*expr.collection, frame, [&](const Value& collection) {
          return each_element(collection, [&](const Value& key, const Value& value) {
            if (expr.key) {
              return unify_value(*expr.key, key, frame, [&] { return unify_value(*expr.value, value, frame, k); });
            }
            return unify_value(*expr.value, value, frame, k);
          });
        });
      case ExprKind::every:
        return eval_term(*expr.collection, frame, [&](const Value& collection) {
          bool all = true;
          each_element(collection, [&](const Value& key, const Value& value) {
            const auto saved = mark();
            bool held = false;
            auto body = [&] {
              held = true;
              return false;
            };
            if (expr.key) {
              unify_value(*expr.key, key, frame,
                          [&] { return unify_value(*expr.value, value, frame, [&] { return eval_body(*expr.body, 0, frame, body); }); });
            } else {
              unify_value(*expr.value, value, frame, [&] { return eval_body(*expr.body, 0, frame, body); });
            }
            undo(saved);
            if (!held) all = false;
            return held && !error_;
          });
          if (error_) return false;
          return all ? k() : true;
        });
    }
    return true;
  }

  // Elements of a collection as (key, value): array index, object key, set element twice.
  bool each_element(const Value& collection, FunctionRef<bool(const Value&, const Value&)> f) {
    if (collection.is_array()) {
      const auto& items = collection.items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!f(Value::integer(static_cast<std::int64_t>(i)), items[i])) return false;
      }
    } else if (collection.is_set()) {
      for (const auto& item : collection.items()) {
        if (!f(item, item)) return false;
      }
    } else if (collection.is_object()) {
      for (const auto& [key, value] : collection.entries()) {
        if (!f(key, value)) return false;
      }
    }
    return true;
  }

  // --- with ------------------------------------------------------------------

  // What `with` replaces, swapped in for the expression and out again for
  // what follows it (the continuation), so that the replacement never leaks
  // past the expression it modifies.
  struct Replaced {
    std::optional<Value> input;
    Value data;
    std::vector<DataOverride> overrides;
    std::vector<std::pair<std::string, Value>> mocks;
    Memo memo;
  };

  void swap_state(Replaced& other) {
    std::swap(input_, other.input);
    std::swap(data_, other.data);
    std::swap(overrides_, other.overrides);
    std::swap(mocks_, other.mocks);
    std::swap(memos_.back(), other.memo);
  }

  bool eval_with(const Expr& expr, Frame& frame, Continue k) {
    Replaced inner{input_, data_, overrides_, mocks_, Memo{}};
    return eval_with_values(expr, 0, inner, frame, k);
  }

  // Evaluates each modifier's value in the enclosing state, then the expression in the replaced one.
  bool eval_with_values(const Expr& expr, std::size_t index, Replaced& inner, Frame& frame, Continue k) {
    if (index == expr.withs.size()) {
      Expr plain = expr;
      plain.withs.clear();
      memos_.emplace_back();
      swap_state(inner);
      const bool result = eval_expr(plain, frame, [&] {
        swap_state(inner);
        const bool go_on = k();
        swap_state(inner);
        return go_on;
      });
      swap_state(inner);
      memos_.pop_back();
      return result;
    }
    const WithModifier& with = expr.withs[index];
    return eval_term(*with.value, frame, [&](const Value& replacement) {
      std::vector<std::string> path;
      const Term& target = *with.target;
      const Term& head = target.kind == TermKind::ref ? *target.items.front() : target;
      path.push_back(head.name);
      if (target.kind == TermKind::ref) {
        for (std::size_t i = 1; i < target.items.size(); ++i) path.push_back(target.items[i]->value.as_string());
      }
      Replaced next = inner;
      if (path.front() == "input") {
        next.input = path.size() == 1 ? replacement : patch(inner.input.value_or(Value::empty_object()), path, 1, replacement);
      } else if (path.front() == "data") {
        std::vector<std::string> under(path.begin() + 1, path.end());
        if (reaches_rules(under)) {
          next.overrides.push_back({std::move(under), replacement});
        } else {
          next.data = patch(inner.data, path, 1, replacement);
        }
      } else {
        std::string name;
        for (const auto& segment : path) name += (name.empty() ? "" : ".") + segment;
        next.mocks.emplace_back(std::move(name), replacement);
      }
      return eval_with_values(expr, index + 1, next, frame, k);
    });
  }

  // Whether a path under data names rules or a package of them (replaced by
  // an override), rather than only base documents (patched in place).
  bool reaches_rules(const std::vector<std::string>& path) const {
    const RuleNode* node = &policy_.root;
    for (const auto& segment : path) {
      if (node->rules != nullptr) return true;
      auto it = node->children.find(segment);
      if (it == node->children.end()) return false;
      node = &it->second;
    }
    return true;
  }

  static Value patch(const Value& base, const std::vector<std::string>& path, std::size_t index, const Value& value) {
    if (index == path.size()) return value;
    Object entries = base.is_object() ? base.entries() : Object{};
    const Value key = Value::string(path[index]);
    Value child = Value::empty_object();
    for (auto& entry : entries) {
      if (entry.first == key) child = entry.second;
    }
    Value replaced = patch(child, path, index + 1, value);
    entries.emplace_back(key, std::move(replaced));
    return Value::object(std::move(entries));
  }

  // --- unification -----------------------------------------------------------

  bool unify(const Term& a, const Term& b, Frame& frame, Continue k) {
    if (is_unbound_var(a, frame)) return eval_term(b, frame, [&](const Value& v) { return unify_value(a, v, frame, k); });
    if (is_unbound_var(b, frame)) return eval_term(a, frame, [&](const Value& v) { return unify_value(b, v, frame, k); });
    if (a.kind == TermKind::array && b.kind == TermKind::array && a.items.size() == b.items.size() &&
        (has_unbound_pattern(a, frame) || has_unbound_pattern(b, frame))) {
      return unify_items(a, b, 0, frame, k);
    }
    if (has_unbound_pattern(a, frame)) {
      return eval_term(b, frame, [&](const Value& v) { return unify_value(a, v, frame, k); });
    }
    return eval_term(a, frame, [&](const Value& v) { return unify_value(b, v, frame, k); });
  }

  bool unify_items(const Term& a, const Term& b, std::size_t index, Frame& frame, Continue k) {
    if (index == a.items.size()) return k();
    return unify(*a.items[index], *b.items[index], frame, [&] { return unify_items(a, b, index + 1, frame, k); });
  }

  // Matches a term against a value, binding the term's unbound variables.
  bool unify_value(const Term& pattern, const Value& value, Frame& frame, Continue k) {
    switch (pattern.kind) {
      case TermKind::var: {
        if (pattern.slot < 0) break;
        const auto slot = static_cast<std::size_t>(pattern.slot);
        if (frame.bound[slot]) return frame.values[slot] == value ? k() : true;
        const auto saved = mark();
        bind(frame, pattern.slot, value);
        const bool result = k();
        undo(saved);
        return result;
      }
      case TermKind::array:
        if (!has_unbound_pattern(pattern, frame)) break;
        if (!value.is_array() || value.items().size() != pattern.items.size()) return true;
        return unify_elements(pattern, value, 0, frame, k);
      case TermKind::object:
        if (!has_unbound_pattern(pattern, frame)) break;
        if (!value.is_object() || value.entries().size() != pattern.entries.size()) return true;
        return unify_entries(pattern, value, 0, frame, k);
      default: break;
    }
    return eval_term(pattern, frame, [&](const Value& v) { return v == value ? k() : true; });
  }

  bool unify_elements(const Term& pattern, const Value& value, std::size_t index, Frame& frame, Continue k) {
    if (index == pattern.items.size()) return k();
    return unify_value(*pattern.items[index], value.items()[index], frame,
                       [&] { return unify_elements(pattern, value, index + 1, frame, k); });
  }

  bool unify_entries(const Term& pattern, const Value& value, std::size_t index, Frame& frame, Continue k) {
    if (index == pattern.entries.size()) return k();
    const auto& [key_term, value_term] = pattern.entries[index];
    return eval_term(*key_term, frame, [&](const Value& key) {
      const Value* found = value.get(key);
      if (found == nullptr) return true;
      return unify_value(*value_term, *found, frame, [&] { return unify_entries(pattern, value, index + 1, frame, k); });
    });
  }

  // --- terms -----------------------------------------------------------------

  bool eval_term(const Term& t, Frame& frame, WithValue k) {
    if (error_) return false;
    switch (t.kind) {
      case TermKind::value: return k(t.value);
      case TermKind::var: {
        if (t.slot < 0) {
          if (t.name == "input") return input_ ? k(*input_) : true;
          if (t.name == "data") return walk_data_path({}, k);
          return fail(t.location, fmt::format("rego_unsafe_var_error: var {} is unsafe", t.name));
        }
        const auto slot = static_cast<std::size_t>(t.slot);
        if (!frame.bound[slot]) return fail(t.location, fmt::format("rego_unsafe_var_error: var {} is unsafe", t.name));
        return k(frame.values[slot]);
      }
      case TermKind::ref: return eval_ref(t, frame, k);
      case TermKind::array: {
        std::vector<Value> values;
        values.reserve(t.items.size());
        return eval_items(t.items, 0, values, frame, [&] { return k(Value::array(values)); });
      }
      case TermKind::set: {
        std::vector<Value> values;
        values.reserve(t.items.size());
        return eval_items(t.items, 0, values, frame, [&] { return k(Value::set(values)); });
      }
      case TermKind::object: {
        Object entries;
        entries.reserve(t.entries.size());
        return eval_entries(t, 0, entries, frame, [&] { return k(Value::object(entries)); });
      }
      case TermKind::array_comprehension:
      case TermKind::set_comprehension: {
        std::vector<Value> values;
        const auto saved = mark();
        eval_body(*t.body, 0, frame, [&] {
          return eval_term(*t.head, frame, [&](const Value& v) {
            values.push_back(v);
            return true;
          });
        });
        undo(saved);
        if (error_) return false;
        return k(t.kind == TermKind::array_comprehension ? Value::array(std::move(values))
                                                         : Value::set(std::move(values)));
      }
      case TermKind::object_comprehension: {
        std::map<Value, Value> entries;
        const auto saved = mark();
        eval_body(*t.body, 0, frame, [&] {
          return eval_term(*t.head, frame, [&](const Value& key) {
            return eval_term(*t.head_value, frame, [&](const Value& value) {
              auto [it, fresh] = entries.try_emplace(key, value);
              if (!fresh && it->second != value) {
                return fail(t.location, "eval_conflict_error: object keys must be unique");
              }
              return true;
            });
          });
        });
        undo(saved);
        if (error_) return false;
        Object list(entries.begin(), entries.end());
        return k(Value::object(std::move(list)));
      }
      case TermKind::call: return eval_call(t, frame, k);
    }
    return true;
  }

  bool eval_items(const std::vector<TermPtr>& items, std::size_t index, std::vector<Value>& out, Frame& frame,
                  Continue k) {
    if (index == items.size()) return k();
    return eval_term(*items[index], frame, [&](const Value& v) {
      out.push_back(v);
      const bool result = eval_items(items, index + 1, out, frame, k);
      out.pop_back();
      return result;
    });
  }

  bool eval_entries(const Term& t, std::size_t index, Object& out, Frame& frame, Continue k) {
    if (index == t.entries.size()) return k();
    return eval_term(*t.entries[index].first, frame, [&](const Value& key) {
      return eval_term(*t.entries[index].second, frame, [&](const Value& value) {
        out.emplace_back(key, value);
        const bool result = eval_entries(t, index + 1, out, frame, k);
        out.pop_back();
        return result;
      });
    });
  }

  // --- references --------------------------------------------------------------

  bool eval_ref(const Term& t, Frame& frame, WithValue k) {
    const Term& head = *t.items.front();
    if (head.kind == TermKind::var && head.slot < 0) {
      if (head.name == "input") return input_ ? walk_value(*input_, t, 1, frame, k) : true;
      if (head.name == "data") {
        std::vector<std::string> path;
        return walk_data(&policy_.root, &data_, path, t, 1, frame, k);
      }
    }
    return eval_term(head, frame, [&](const Value& base) { return walk_value(base, t, 1, frame, k); });
  }

  bool walk_value(const Value& value, const Term& ref, std::size_t index, Frame& frame, WithValue k) {
    if (index == ref.items.size()) return k(value);
    const Term& segment = *ref.items[index];
    if (is_unbound_var(segment, frame) || has_unbound_pattern(segment, frame)) {
      return each_element(value, [&](const Value& key, const Value& element) {
        return unify_value(segment, key, frame, [&] { return walk_value(element, ref, index + 1, frame, k); });
      });
    }
    return eval_term(segment, frame, [&](const Value& key) {
      const Value* child = value.get(key);
      if (child == nullptr) return true;
      return walk_value(*child, ref, index + 1, frame, k);
    });
  }

  // A ref under data: through the rule tree while the path follows it, then into values.
  bool walk_data(const RuleNode* node, const Value* base, std::vector<std::string>& path, const Term& ref,
                 std::size_t index, Frame& frame, WithValue k) {
    if (const Value* replaced = override_at(path)) return walk_value(*replaced, ref, index, frame, k);
    if (node != nullptr && node->rules != nullptr) {
      auto document = rule_document(*node->rules, ref.location);
      if (error_) return false;
      if (!document) return true;
      return walk_value(*document, ref, index, frame, k);
    }
    if (node == nullptr) return base != nullptr ? walk_value(*base, ref, index, frame, k) : true;
    if (index == ref.items.size()) {
      auto whole = materialize(*node, base, path);
      if (error_) return false;
      return k(whole);
    }
    const Term& segment = *ref.items[index];
    auto descend = [&](const Value& key) {
      if (!key.is_string()) {
        // Only base documents have non-string keys.
        const Value* child = base != nullptr ? base->get(key) : nullptr;
        return child != nullptr ? walk_value(*child, ref, index + 1, frame, k) : true;
      }
      const std::string& name = key.as_string();
      auto it = node->children.find(name);
      const Value* child_base = base != nullptr ? base->get(name) : nullptr;
      path.push_back(name);
      bool result = true;
      if (it != node->children.end()) {
        result = walk_data(&it->second, child_base, path, ref, index + 1, frame, k);
      } else if (const Value* replaced = override_at(path)) {
        result = walk_value(*replaced, ref, index + 1, frame, k);
      } else if (child_base != nullptr) {
        result = walk_value(*child_base, ref, index + 1, frame, k);
      }
      path.pop_back();
      return result;
    };
    if (is_unbound_var(segment, frame)) {
      std::vector<Value> keys;
      for (const auto& [name, _] : node->children) keys.push_back(Value::string(name));
      if (base != nullptr && base->is_object()) {
        for (const auto& [key, _] : base->entries()) keys.push_back(key);
      }
      const Value all = Value::set(std::move(keys));
      for (const auto& key : all.items()) {
        const bool go_on = unify_value(segment, key, frame, [&] { return descend(key); });
        if (!go_on) return false;
      }
      return true;
    }
    return eval_term(segment, frame, descend);
  }

  bool walk_data_path(const std::vector<std::string>& path, WithValue k) {
    Term ref;
    ref.kind = TermKind::ref;
    auto head = std::make_shared<Term>();
    head->kind = TermKind::var;
    head->name = "data";
    ref.items.push_back(head);
    for (const auto& segment : path) {
      auto t = std::make_shared<Term>();
      t->value = Value::string(segment);
      ref.items.push_back(t);
    }
    Frame frame(0);
    std::vector<std::string> prefix;
    return walk_data(&policy_.root, &data_, prefix, ref, 1, frame, k);
  }

  const Value* override_at(const std::vector<std::string>& path) const {
    for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
      if (it->path == path) return &it->value;
    }
    return nullptr;
  }

  // A package as an object: its base document with its rules' documents.
  Value materialize(const RuleNode& node, const Value* base, std::vector<std::string>& path) {
    Object entries = base != nullptr && base->is_object() ? base->entries() : Object{};
    for (const auto& [name, child] : node.children) {
      path.push_back(name);
      std::optional<Value> document;
      if (const Value* replaced = override_at(path)) {
        document = *replaced;
      } else if (child.rules != nullptr) {
        if (child.rules->kind != RuleKind::function) document = rule_document(*child.rules, {});
      } else {
        const Value* child_base = base != nullptr ? base->get(name) : nullptr;
        document = materialize(child, child_base, path);
      }
      path.pop_back();
      if (error_) return Value();
      if (document) entries.emplace_back(Value::string(name), std::move(*document));
    }
    return Value::object(std::move(entries));
  }

  // --- rules -------------------------------------------------------------------

  std::optional<Value> rule_document(const RuleSet& set, Location at) {
    {
      const auto& memo = memos_.back().documents;
      if (auto it = memo.find(&set); it != memo.end()) return it->second;
    }
    if (set.kind == RuleKind::function) return std::nullopt;
    if (++depth_ > options_.max_depth) {
      fail(at, fmt::format("evaluation too deep at {} (more than {} nested rules)", set.name(), options_.max_depth));
      return std::nullopt;
    }
    const std::string saved_file = current_file_;
    std::optional<Value> result;
    switch (set.kind) {
      case RuleKind::complete: result = complete_rule(set); break;
      case RuleKind::partial_set: result = partial_set(set); break;
      case RuleKind::partial_object: result = partial_object(set); break;
      case RuleKind::function: break;
    }
    current_file_ = saved_file;
    --depth_;
    if (error_) return std::nullopt;
    // Looked up again: a `with` inside the rule may have grown the memo stack.
    memos_.back().documents[&set] = result;
    return result;
  }

  // Evaluates one rule (and its else chain) and gives each value its body yields.
  // Returns whether the rule (or an alternative) produced a value.
  bool rule_values(const Rule& first, FunctionRef<bool(const Value&, const Rule&)> on_value) {
    for (const Rule* rule = &first; rule != nullptr; rule = rule->else_rule.get()) {
      current_file_ = rule->file;
      Frame frame(rule->frame_size);
      bool produced = false;
      const auto saved = mark();
      eval_body(*rule->body, 0, frame, [&] {
        return eval_term(*rule->value, frame, [&](const Value& v) {
          produced = true;
          return on_value(v, *rule);
        });
      });
      undo(saved);
      if (error_) return false;
      if (produced) return true;
    }
    return false;
  }

  std::optional<Value> complete_rule(const RuleSet& set) {
    std::optional<Value> result;
    for (const auto& rule : set.rules) {
      rule_values(
          *rule,
          [&](const Value& v, const Rule& from) {
            if (result && *result != v) {
              current_file_ = from.file;
              return fail(from.location, "eval_conflict_error: complete rules must not produce multiple outputs");
            }
            result = v;
            // A constant value cannot conflict with itself: one solution is enough.
            return from.value->kind != TermKind::value;
          });
      if (error_) return std::nullopt;
    }
    if (!result && set.default_rule) {
      Frame frame(set.default_rule->frame_size);
      current_file_ = set.default_rule->file;
      eval_term(*set.default_rule->value, frame, [&](const Value& v) {
        result = v;
        return false;
      });
    }
    return result;
  }

  std::optional<Value> partial_set(const RuleSet& set) {
    std::vector<Value> elements;
    for (const auto& rule : set.rules) {
      current_file_ = rule->file;
      Frame frame(rule->frame_size);
      eval_body(*rule->body, 0, frame, [&] {
        return eval_term(*rule->key, frame, [&](const Value& v) {
          elements.push_back(v);
          return true;
        });
      });
      if (error_) return std::nullopt;
    }
    return Value::set(std::move(elements));
  }

  std::optional<Value> partial_object(const RuleSet& set) {
    std::map<Value, Value> entries;
    for (const auto& rule : set.rules) {
      current_file_ = rule->file;
      Frame frame(rule->frame_size);
      eval_body(*rule->body, 0, frame, [&] {
        return eval_term(*rule->key, frame, [&](const Value& key) {
          return eval_term(*rule->value, frame, [&](const Value& value) {
            auto [it, fresh] = entries.try_emplace(key, value);
            if (!fresh && it->second != value) {
              return fail(rule->location, "eval_conflict_error: object keys must be unique");
            }
            return true;
          });
        });
      });
      if (error_) return std::nullopt;
    }
    return Value::object(Object(entries.begin(), entries.end()));
  }

  // --- calls -------------------------------------------------------------------

  bool eval_call(const Term& call, Frame& frame, WithValue k) {
    std::vector<Value> args;
    const int arity = call.builtin != nullptr ? call.builtin->arity : (call.rules != nullptr ? call.rules->arity : -1);
    const bool has_output = arity >= 0 && static_cast<int>(call.items.size()) == arity + 1;
    const std::size_t inputs = has_output ? call.items.size() - 1 : call.items.size();
    std::vector<TermPtr> input_terms(call.items.begin(), call.items.begin() + static_cast<std::ptrdiff_t>(inputs));
    args.reserve(inputs);
    return eval_items(input_terms, 0, args, frame, [&] {
      auto deliver = [&](const Value& result) {
        if (has_output) {
          return unify_value(*call.items.back(), result, frame, [&] { return k(Value::boolean(true)); });
        }
        return k(result);
      };
      if (call.rules != nullptr) return call_function(*call.rules, args, call.location, deliver);
      if (call.builtin == nullptr) return fail(call.location, "unresolved function");
      if (!mocks_.empty()) {
        for (auto it = mocks_.rbegin(); it != mocks_.rend(); ++it) {
          if (it->first == call.builtin->name) return deliver(it->second);
        }
      }
      if (call.builtin->relation) {
        context_.error.clear();
        context_.halt = false;
        bool go_on = true;
        call.builtin->relation_function(context_, args, [&](const Value& v) {
          go_on = deliver(v);
          return go_on;
        });
        if (context_.halt) return fail(call.location, fmt::format("eval_type_error: {}", context_.error));
        return go_on;
      }
      context_.error.clear();
      context_.halt = false;
      auto result = call.builtin->function(context_, args);
      if (!result) {
        if (context_.halt) return fail(call.location, fmt::format("eval_type_error: {}", context_.error));
        if (!context_.error.empty() && options_.strict_builtin_errors) {
          return fail(call.location, fmt::format("eval_builtin_error: {}", context_.error));
        }
        return true;
      }
      return deliver(*result);
    });
  }

  bool call_function(const RuleSet& set, const std::vector<Value>& args, Location at, WithValue k) {
    if (++depth_ > options_.max_depth) {
      return fail(at, fmt::format("evaluation too deep at {} (more than {} nested calls)", set.name(),
                                  options_.max_depth));
    }
    const std::string saved_file = current_file_;
    std::optional<Value> result;
    for (const auto& rule : set.rules) {
      for (const Rule* r = rule.get(); r != nullptr; r = r->else_rule.get()) {
        current_file_ = r->file;
        Frame frame(r->frame_size);
        bool produced = false;
        bind_arguments(*r, 0, args, frame, [&] {
          return eval_body(*r->body, 0, frame, [&] {
            return eval_term(*r->value, frame, [&](const Value& v) {
              produced = true;
              if (result && *result != v) {
                return fail(r->location, "eval_conflict_error: functions must not produce multiple outputs for same inputs");
              }
              result = v;
              return r->value->kind != TermKind::value;
            });
          });
        });
        if (error_) {
          --depth_;
          return false;
        }
        if (produced) break;
      }
    }
    if (!result && set.default_rule) {
      Frame frame(set.default_rule->frame_size);
      eval_term(*set.default_rule->value, frame, [&](const Value& v) {
        result = v;
        return false;
      });
    }
    current_file_ = saved_file;
    --depth_;
    if (error_) return false;
    if (!result) return true;
    return k(*result);
  }

  bool bind_arguments(const Rule& rule, std::size_t index, const std::vector<Value>& args, Frame& frame, Continue k) {
    if (index == rule.args.size()) return k();
    return unify_value(*rule.args[index], args[index], frame,
                       [&] { return bind_arguments(rule, index + 1, args, frame, k); });
  }

  const Policy& policy_;
  Value data_;
  std::optional<Value> input_;
  EvalOptions options_;
  BuiltinContext context_;
  std::optional<Error> error_;
  std::vector<std::pair<Frame*, int>> trail_;
  std::vector<Memo> memos_;
  std::vector<DataOverride> overrides_;
  std::vector<std::pair<std::string, Value>> mocks_;
  std::string current_file_;
  std::size_t depth_ = 0;
  std::uint64_t steps_ = 0;
};

Evaluator::Evaluator(const Policy& policy, Value data, std::optional<Value> input, EvalOptions options)
    : impl_(std::make_unique<Impl>(policy, std::move(data), std::move(input), std::move(options))) {}

Evaluator::~Evaluator() = default;

Result<std::optional<Value>> Evaluator::document(const std::vector<std::string>& path) { return impl_->document(path); }

Result<std::vector<Bindings>> Evaluator::run(const Query& query) { return impl_->run(query); }

void Evaluator::set_input(std::optional<Value> input) { impl_->set_input(std::move(input)); }

}  // namespace constable::rego

#include "policy/gatekeeper.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "formats/yaml/yaml.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"

namespace constable::policy::gatekeeper {

namespace {

const rego::Value* at(const rego::Value& v, std::initializer_list<std::string_view> path) {
  const rego::Value* current = &v;
  for (auto key : path) {
    current = current->get(key);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::string string_at(const rego::Value& v, std::initializer_list<std::string_view> path) {
  const rego::Value* found = at(v, path);
  return found != nullptr && found->is_string() ? found->as_string() : std::string();
}

// "apps/v1" -> ("apps", "v1"); "v1" -> ("", "v1").
std::pair<std::string, std::string> group_version(const std::string& api_version) {
  const auto slash = api_version.find('/');
  if (slash == std::string::npos) return {"", api_version};
  return {api_version.substr(0, slash), api_version.substr(slash + 1)};
}

// Gatekeeper's namespace globs: a trailing `*` matches any suffix.
bool namespace_matches(const std::string& pattern, const std::string& name) {
  if (pattern.ends_with("*")) return name.starts_with(pattern.substr(0, pattern.size() - 1));
  if (pattern.starts_with("*")) return name.ends_with(pattern.substr(1));
  return pattern == name;
}

bool list_has(const rego::Value* list, const std::string& value, bool glob) {
  if (list == nullptr || !list->is_array()) return false;
  for (const auto& item : list->items()) {
    if (!item.is_string()) continue;
    if (item.as_string() == "*" || item.as_string() == value) return true;
    if (glob && namespace_matches(item.as_string(), value)) return true;
  }
  return false;
}

// A Kubernetes label selector (matchLabels, matchExpressions) against labels.
bool selector_matches(const rego::Value& selector, const rego::Value& labels) {
  if (const rego::Value* match_labels = selector.get("matchLabels"); match_labels != nullptr) {
    for (const auto& [key, value] : match_labels->entries()) {
      const rego::Value* label = labels.get(key);
      if (label == nullptr || !(*label == value)) return false;
    }
  }
  if (const rego::Value* expressions = selector.get("matchExpressions"); expressions != nullptr) {
    for (const auto& expression : expressions->items()) {
      const std::string key = string_at(expression, {"key"});
      const std::string op = string_at(expression, {"operator"});
      const rego::Value* label = labels.get(key);
      const rego::Value* values = expression.get("values");
      const bool in_values = label != nullptr && values != nullptr &&
                             std::find(values->items().begin(), values->items().end(), *label) != values->items().end();
      if (op == "In" && !in_values) return false;
      if (op == "NotIn" && in_values) return false;
      if (op == "Exists" && label == nullptr) return false;
      if (op == "DoesNotExist" && label != nullptr) return false;
    }
  }
  return true;
}

// Where a block scalar's first line is in its file: the line after its key.
int content_line(const yaml::Node* node) {
  return node->style == yaml::ScalarStyle::literal || node->style == yaml::ScalarStyle::folded ? node->start.line
                                                                                              : node->start.line - 1;
}

Result<rego::Module> parse_embedded(const yaml::Node* node, const std::string& file, const std::string& what) {
  auto module = rego::parse_module(node->value, file);
  if (!module) {
    Error e = module.error();
    e.path = file;
    if (e.line > 0) e.line += content_line(node);
    e.message = fmt::format("{}: {}", what, e.message);
    return std::unexpected(std::move(e));
  }
  // Rules keep their position in the YAML file.
  for (auto& rule : module->rules) {
    for (rego::Rule* r = rule.get(); r != nullptr; r = r->else_rule.get()) r->location.line += content_line(node);
  }
  return module;
}

}  // namespace

rego::Value Constraint::parameters() const {
  const rego::Value* p = at(object, {"spec", "parameters"});
  return p != nullptr ? *p : rego::Value::empty_object();
}

bool is_template(const yaml::Node* root) {
  return root != nullptr && root->is_mapping() && root->get("kind") != nullptr &&
         root->get("kind")->str() == "ConstraintTemplate" && root->get("apiVersion") != nullptr &&
         root->get("apiVersion")->str().starts_with("templates.gatekeeper.sh/");
}

bool is_constraint(const yaml::Node* root) {
  return root != nullptr && root->is_mapping() && root->get("apiVersion") != nullptr &&
         root->get("apiVersion")->str().starts_with("constraints.gatekeeper.sh/");
}

Result<Template> load_template(const yaml::Node* root, const std::string& file) {
  Template t;
  t.file = file;
  t.line = root->start.line;
  if (const auto* name = root->at("metadata", "name")) t.name = std::string(name->str());
  if (const auto* kind = root->at("spec", "crd", "spec", "names", "kind")) t.kind = std::string(kind->str());
  if (t.kind.empty()) return fail("ConstraintTemplate has no spec.crd.spec.names.kind", file, t.line);
  const yaml::Node* targets = root->at("spec", "targets");
  if (targets == nullptr || !targets->is_sequence() || targets->items.empty()) {
    return fail(fmt::format("ConstraintTemplate {} has no spec.targets", t.name), file, t.line);
  }
  const yaml::Node* target = targets->items.front();
  const yaml::Node* rego_node = target->get("rego");
  const yaml::Node* libs = target->get("libs");
  if (rego_node == nullptr) {
    // templates.gatekeeper.sh/v1 `code`: the Rego engine's source.
    if (const yaml::Node* code = target->get("code"); code != nullptr && code->is_sequence()) {
      for (const auto* entry : code->items) {
        if (entry->get("engine") != nullptr && entry->get("engine")->str() == "Rego") {
          rego_node = entry->at("source", "rego");
          libs = entry->at("source", "libs");
        }
      }
    }
  }
  if (rego_node == nullptr) {
    return fail(fmt::format("ConstraintTemplate {} has no Rego (only CEL, which constable does not evaluate)", t.name),
                file, t.line);
  }
  std::vector<rego::Module> modules;
  auto main = parse_embedded(rego_node, file, fmt::format("ConstraintTemplate {}", t.name));
  if (!main) return std::unexpected(main.error());
  t.package = main->package;
  modules.push_back(std::move(*main));
  if (libs != nullptr && libs->is_sequence()) {
    for (const auto* lib : libs->items) {
      auto module = parse_embedded(lib, file, fmt::format("ConstraintTemplate {} lib", t.name));
      if (!module) return std::unexpected(module.error());
      modules.push_back(std::move(*module));
    }
  }
  auto policy = rego::compile(std::move(modules));
  if (!policy) {
    Error e = policy.error();
    e.message = fmt::format("ConstraintTemplate {}: {}", t.name, e.message);
    return std::unexpected(std::move(e));
  }
  t.policy = *policy;
  return t;
}

Constraint load_constraint(const yaml::Node* root, const std::string& file) {
  Constraint c;
  c.object = rego::from_yaml(root);
  c.kind = string_at(c.object, {"kind"});
  c.name = string_at(c.object, {"metadata", "name"});
  c.file = file;
  c.line = root->start.line;
  return c;
}

bool matches(const Constraint& constraint, const rego::Value& object, const rego::Value& namespace_object) {
  const rego::Value* match = at(constraint.object, {"spec", "match"});
  if (match == nullptr) return true;
  const auto [group, version] = group_version(string_at(object, {"apiVersion"}));
  const std::string kind = string_at(object, {"kind"});
  const std::string ns = string_at(object, {"metadata", "namespace"});
  const std::string name = string_at(object, {"metadata", "name"});
  (void)version;
  if (const rego::Value* kinds = match->get("kinds"); kinds != nullptr && kinds->is_array() && !kinds->items().empty()) {
    bool any = false;
    for (const auto& entry : kinds->items()) {
      const rego::Value* groups = entry.get("apiGroups");
      const bool group_ok = groups == nullptr || list_has(groups, group, false);
      if (group_ok && list_has(entry.get("kinds"), kind, false)) any = true;
    }
    if (!any) return false;
  }
  const std::string scope = string_at(*match, {"scope"});
  if (scope == "Cluster" && !ns.empty()) return false;
  if (scope == "Namespaced" && ns.empty()) return false;
  // A Namespace object is matched by its own name.
  const std::string object_namespace = kind == "Namespace" ? name : ns;
  if (const rego::Value* namespaces = match->get("namespaces"); namespaces != nullptr && namespaces->is_array()) {
    if (object_namespace.empty() || !list_has(namespaces, object_namespace, true)) return false;
  }
  if (const rego::Value* excluded = match->get("excludedNamespaces"); excluded != nullptr) {
    if (!object_namespace.empty() && list_has(excluded, object_namespace, true)) return false;
  }
  if (const rego::Value* selector = match->get("labelSelector"); selector != nullptr) {
    const rego::Value* labels = at(object, {"metadata", "labels"});
    if (!selector_matches(*selector, labels != nullptr ? *labels : rego::Value::empty_object())) return false;
  }
  if (const rego::Value* selector = match->get("namespaceSelector"); selector != nullptr && namespace_object.is_object()) {
    const rego::Value* labels = at(namespace_object, {"metadata", "labels"});
    if (!selector_matches(*selector, labels != nullptr ? *labels : rego::Value::empty_object())) return false;
  }
  if (const rego::Value* wanted = match->get("name"); wanted != nullptr && wanted->is_string()) {
    if (!namespace_matches(wanted->as_string(), name)) return false;
  }
  return true;
}

Result<std::vector<std::string>> review(const Template& t, const Constraint& constraint, const rego::Value& object,
                                        const ReviewOptions& options) {
  const auto [group, version] = group_version(string_at(object, {"apiVersion"}));
  rego::Object review{
      {rego::Value::string("kind"),
       rego::Value::object({{rego::Value::string("group"), rego::Value::string(group)},
                            {rego::Value::string("version"), rego::Value::string(version)},
                            {rego::Value::string("kind"), rego::Value::string(string_at(object, {"kind"}))}})},
      {rego::Value::string("name"), rego::Value::string(string_at(object, {"metadata", "name"}))},
      {rego::Value::string("namespace"), rego::Value::string(string_at(object, {"metadata", "namespace"}))},
      {rego::Value::string("operation"), rego::Value::string(options.operation)},
      {rego::Value::string("object"), options.operation == "DELETE" ? rego::Value() : object},
      {rego::Value::string("userInfo"), options.user_info.is_object() ? options.user_info : rego::Value::empty_object()},
  };
  if (options.old_object) review.emplace_back(rego::Value::string("oldObject"), *options.old_object);
  const rego::Value input = rego::Value::object(
      {{rego::Value::string("review"), rego::Value::object(std::move(review))},
       {rego::Value::string("parameters"), constraint.parameters()}});
  const rego::Value data = rego::Value::object(
      {{rego::Value::string("inventory"),
        options.inventory.is_object() ? options.inventory : rego::Value::empty_object()}});
  rego::Evaluator evaluator(*t.policy, data, input);
  std::vector<std::string> path = t.package;
  path.push_back("violation");
  auto document = evaluator.document(path);
  if (!document) return std::unexpected(document.error());
  std::vector<std::string> messages;
  if (!*document) return messages;
  for (const auto& item : (**document).items()) {
    const rego::Value* msg = item.get("msg");
    messages.push_back(msg != nullptr && msg->is_string() ? msg->as_string() : item.to_rego());
  }
  return messages;
}

}  // namespace constable::policy::gatekeeper

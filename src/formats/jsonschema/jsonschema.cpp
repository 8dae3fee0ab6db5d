#include "formats/jsonschema/jsonschema.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace constable::jsonschema {

std::string_view to_string(Draft draft) {
  switch (draft) {
    case Draft::draft4: return "draft-04";
    case Draft::draft6: return "draft-06";
    case Draft::draft7: return "draft-07";
    case Draft::draft2019_09: return "2019-09";
    case Draft::draft2020_12: return "2020-12";
  }
  return "?";
}

std::optional<Draft> draft_from_uri(std::string_view uri) {
  if (uri.find("json-schema.org") == std::string_view::npos) return std::nullopt;
  if (uri.find("draft-04") != std::string_view::npos) return Draft::draft4;
  if (uri.find("draft-06") != std::string_view::npos) return Draft::draft6;
  if (uri.find("draft-07") != std::string_view::npos) return Draft::draft7;
  if (uri.find("2019-09") != std::string_view::npos) return Draft::draft2019_09;
  if (uri.find("2020-12") != std::string_view::npos) return Draft::draft2020_12;
  return std::nullopt;
}

namespace {

constexpr std::string_view kTypes[] = {"null", "boolean", "object", "array", "number", "string", "integer"};

class Validator {
 public:
  Validator(Draft draft, std::string document, openapi::Resolver& resolver, const yaml::Node* root)
      : draft_(draft), document_(std::move(document)), resolver_(resolver), root_(root) {
    collect_anchors(root_);
  }

  std::vector<Problem> run() {
    schema(root_, "the schema");
    return std::move(problems_);
  }

 private:
  bool at_least(Draft d) const { return draft_ >= d; }

  void problem(const yaml::Node* at, std::string message) { problems_.push_back({std::move(message), at->start}); }

  static bool is_number(const yaml::Node* n) {
    if (!n->is_scalar() || n->style != yaml::ScalarStyle::plain) return false;
    const auto t = n->scalar_type();
    return t == yaml::ScalarType::integer || t == yaml::ScalarType::floating;
  }
  static bool is_non_negative_integer(const yaml::Node* n) {
    if (!n->is_scalar() || n->style != yaml::ScalarStyle::plain) return false;
    if (auto i = n->as_int()) return *i >= 0;
    if (auto d = n->as_double()) return *d >= 0 && *d == static_cast<double>(static_cast<long long>(*d));
    return false;
  }
  static bool is_bool(const yaml::Node* n) {
    return n->is_scalar() && n->style == yaml::ScalarStyle::plain && n->scalar_type() == yaml::ScalarType::boolean;
  }
  static bool is_string(const yaml::Node* n) {
    return n->is_scalar() && (n->style != yaml::ScalarStyle::plain || n->scalar_type() == yaml::ScalarType::string);
  }

  void collect_anchors(const yaml::Node* n) {
    if (n == nullptr || visited_anchors_.contains(n)) return;
    visited_anchors_.insert(n);
    if (n->is_mapping()) {
      if (const auto* a = n->get("$anchor"); a != nullptr && a->is_scalar()) anchors_.emplace(a->value);
      if (const auto* id = n->get(at_least(Draft::draft6) ? "$id" : "id"); id != nullptr && id->is_scalar() &&
                                                                       id->value.starts_with('#'))
        anchors_.emplace(id->value.substr(1));
      for (const auto& e : n->entries) collect_anchors(e.value);
    } else if (n->is_sequence()) {
      for (const auto* item : n->items) collect_anchors(item);
    }
  }

  void schema(const yaml::Node* n, std::string_view where) {
    if (n == nullptr || !checked_.insert(n).second) return;  // aliases may share nodes
    if (is_bool(n)) {
      if (!at_least(Draft::draft6)) problem(n, fmt::format("{} is a boolean: {} schemas must be objects", where,
                                                          to_string(draft_)));
      return;
    }
    if (!n->is_mapping()) {
      problem(n, fmt::format("{} must be a schema (an object{})", where, at_least(Draft::draft6) ? " or a boolean" : ""));
      return;
    }
    for (const yaml::Entry& e : n->entries) {
      if (!e.key->is_scalar()) continue;
      keyword(e.key->value, e.key, e.value);
    }
  }

  void schema_map(const yaml::Node* key, const yaml::Node* v) {
    if (!v->is_mapping()) return problem(key, fmt::format("'{}' must be an object of schemas", key->value));
    for (const auto& e : v->entries) schema(e.value, fmt::format("'{}' of '{}'", e.key->value, key->value));
  }
  void schema_array(const yaml::Node* key, const yaml::Node* v, bool non_empty) {
    if (!v->is_sequence() || (non_empty && v->items.empty()))
      return problem(key, fmt::format("'{}' must be a{} array of schemas", key->value, non_empty ? " non-empty" : "n"));
    for (std::size_t i = 0; i < v->items.size(); ++i) schema(v->items[i], fmt::format("'{}'[{}]", key->value, i));
  }
  void string_array(const yaml::Node* key, const yaml::Node* v, bool non_empty) {
    if (!v->is_sequence() || (non_empty && v->items.empty()))
      return problem(key, fmt::format("'{}' must be a{} array of strings", key->value, non_empty ? " non-empty" : "n"));
    std::set<std::string> seen;
    for (const auto* item : v->items) {
      if (!is_string(item)) problem(item, fmt::format("'{}' holds a non-string item", key->value));
      else if (!seen.emplace(item->value).second)
        problem(item, fmt::format("'{}' lists '{}' twice", key->value, item->value));
    }
  }

  void type(const yaml::Node* key, const yaml::Node* v) {
    auto legal = [](const yaml::Node* t) {
      for (auto name : kTypes)
        if (t->is_scalar() && t->value == name) return true;
      return false;
    };
    if (v->is_scalar()) {
      if (!legal(v)) problem(v, fmt::format("'type' is '{}', not one of null, boolean, object, array, number, string, "
                                            "integer", v->value));
      return;
    }
    if (!v->is_sequence() || v->items.empty()) return problem(key, "'type' must be a type name or an array of them");
    for (const auto* t : v->items)
      if (!legal(t)) problem(t, fmt::format("'type' lists '{}', not a JSON Schema type", t->is_scalar() ? t->value : "?"));
  }

  void ref(const yaml::Node* key, const yaml::Node* v, const yaml::Node* owner) {
    if (!is_string(v)) return problem(key, "'$ref' must be a string");
    const std::string_view r = v->value;
    if (r.find("://") != std::string_view::npos || r.starts_with("urn:")) return;  // remote: not followed
    const auto hash = r.find('#');
    const std::string_view fragment = hash == std::string_view::npos ? "" : r.substr(hash + 1);
    if (hash != std::string_view::npos && !fragment.empty() && !fragment.starts_with('/')) {
      // A plain-name fragment names an $anchor (or a "#name" id).
      if (hash == 0 && !anchors_.contains(std::string(fragment)))
        problem(v, fmt::format("'$ref' '{}' names no $anchor in this document", r));
      return;
    }
    // A chain that ends at a remote schema (the draft's meta-schema) is not
    // broken, only not followed.
    if (auto resolved = resolver_.resolve({owner, document_}); !resolved && !resolver_.stopped_at_remote())
      problem(v, fmt::format("'$ref' does not resolve: {}", resolved.error().message));
  }

  void keyword(std::string_view k, const yaml::Node* key, const yaml::Node* v) {
    if (k == "type") return type(key, v);
    if (k == "$ref") {
      // The owner is the mapping holding the key; find it through the checked set is costly, so re-wrap.
      const yaml::Node* owner = owner_of(key);
      if (owner != nullptr) ref(key, v, owner);
      return;
    }
    if (k == "required") {
      if (is_bool(v)) return problem(key, "'required' is a boolean (draft-03 style): it must be an array of property names");
      return string_array(key, v, !at_least(Draft::draft6));
    }
    if (k == "properties" || k == "patternProperties" || k == "definitions" || k == "$defs" || k == "dependentSchemas")
      return schema_map(key, v);
    if (k == "allOf" || k == "anyOf" || k == "oneOf") return schema_array(key, v, true);
    if (k == "prefixItems") {
      if (!at_least(Draft::draft2020_12)) return;  // an unknown keyword before 2020-12
      return schema_array(key, v, true);
    }
    if (k == "items") {
      if (v->is_sequence()) {
        if (at_least(Draft::draft2020_12)) return problem(key, "'items' is an array: in 2020-12 use 'prefixItems' for tuples");
        return schema_array(key, v, false);
      }
      return schema(v, "'items'");
    }
    if (k == "additionalProperties" || k == "additionalItems" || k == "not" || k == "contains" ||
        k == "propertyNames" || k == "if" || k == "then" || k == "else" || k == "unevaluatedProperties" ||
        k == "unevaluatedItems" || k == "contentSchema") {
      if (!at_least(Draft::draft6) && (k == "contains" || k == "propertyNames")) return;
      if (!at_least(Draft::draft2019_09) && (k == "unevaluatedProperties" || k == "unevaluatedItems")) return;
      if ((k == "additionalProperties" || k == "additionalItems") && is_bool(v)) return;  // a boolean is fine in every draft
      return schema(v, fmt::format("'{}'", k));
    }
    if (k == "enum") {
      if (!v->is_sequence() || (!at_least(Draft::draft6) && v->items.empty()))
        problem(key, "'enum' must be an array of values");
      return;
    }
    if (k == "minimum" || k == "maximum") {
      if (!is_number(v)) problem(v, fmt::format("'{}' must be a number", k));
      return;
    }
    if (k == "exclusiveMinimum" || k == "exclusiveMaximum") {
      if (!at_least(Draft::draft6) && !is_bool(v)) problem(v, fmt::format("'{}' must be a boolean in draft-04", k));
      if (at_least(Draft::draft6) && !is_number(v))
        problem(v, fmt::format("'{}' must be a number since draft-06", k));
      return;
    }
    if (k == "multipleOf") {
      if (!is_number(v) || v->as_double().value_or(0) <= 0) problem(v, "'multipleOf' must be a number above 0");
      return;
    }
    if (k == "minLength" || k == "maxLength" || k == "minItems" || k == "maxItems" || k == "minProperties" ||
        k == "maxProperties" || k == "minContains" || k == "maxContains") {
      if (!is_non_negative_integer(v)) problem(v, fmt::format("'{}' must be a non-negative integer", k));
      return;
    }
    if (k == "pattern" || k == "format" || k == "title" || k == "description" || k == "$comment" || k == "$id" ||
        k == "$anchor" || k == "$schema" || k == "contentMediaType" || k == "contentEncoding") {
      if (!is_string(v)) problem(v, fmt::format("'{}' must be a string", k));
      return;
    }
    if (k == "uniqueItems" || k == "readOnly" || k == "writeOnly" || k == "deprecated") {
      if (!is_bool(v)) problem(v, fmt::format("'{}' must be a boolean", k));
      return;
    }
    if (k == "dependencies" || k == "dependentRequired") {
      if (!v->is_mapping()) return problem(key, fmt::format("'{}' must be an object", k));
      for (const auto& e : v->entries) {
        if (e.value->is_sequence()) string_array(e.key, e.value, false);
        else if (k == "dependencies") schema(e.value, fmt::format("'dependencies' of '{}'", e.key->value));
        else problem(e.key, "'dependentRequired' values must be arrays of property names");
      }
    }
  }

  // The mapping a key node belongs to: a parent index built on first use.
  const yaml::Node* owner_of(const yaml::Node* key) {
    if (parents_.empty()) index(root_);
    const auto it = parents_.find(key);
    return it == parents_.end() ? nullptr : it->second;
  }
  void index(const yaml::Node* n) {
    if (n == nullptr || !indexed_.insert(n).second) return;
    if (n->is_mapping()) {
      for (const auto& e : n->entries) {
        parents_.emplace(e.key, n);
        index(e.value);
      }
    } else if (n->is_sequence()) {
      for (const auto* item : n->items) index(item);
    }
  }

  Draft draft_;
  std::string document_;
  openapi::Resolver& resolver_;
  const yaml::Node* root_;
  std::vector<Problem> problems_;
  std::set<std::string> anchors_;
  std::set<const yaml::Node*> visited_anchors_;
  std::set<const yaml::Node*> checked_;
  std::map<const yaml::Node*, const yaml::Node*> parents_;
  std::set<const yaml::Node*> indexed_;
};

}  // namespace

std::vector<Problem> validate(const yaml::Node* root, Draft draft, const std::string& document,
                              openapi::Resolver& resolver) {
  if (root == nullptr) return {{"the document is empty", {1, 1}}};
  return Validator(draft, document, resolver, root).run();
}

}  // namespace constable::jsonschema

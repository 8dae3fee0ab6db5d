#pragma once
// Byte-exact reproductions of what Helm's toYaml and toJson print.
//
// toYaml is sigs.k8s.io/yaml.Marshal: encoding/json first (so every number
// goes through JSON's float formatting and comes back as an int when it is
// integral), then go-yaml v2's emitter: keys in go-yaml's natural order,
// 2-space indent, sequences not indented under their key, strings quoted
// only when they would otherwise read as another type or cannot be plain,
// multi-line strings as literal blocks, long plain strings folded at 80
// columns.

#include <string>

#include "helm/value.hpp"

namespace constable::helm::tmpl {

// go-yaml v2 Marshal of the JSON-normalised value, with its final newline.
std::string to_yaml_document(const Value& v);
// encoding/json.Marshal (HTML-escaping, sorted keys).
std::string to_json(const Value& v);

}  // namespace constable::helm::tmpl

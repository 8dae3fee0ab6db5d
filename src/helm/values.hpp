#pragma once
// Helm values: reading them from YAML/JSON as Helm does (through
// sigs.k8s.io/yaml, so every number is a float64), merging -f files,
// applying --set / --set-string (Helm's strvals syntax) and coalescing
// user values over a chart's defaults (null deletes a default).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/value.hpp"

namespace constable::helm {

// A YAML node as sigs.k8s.io/yaml.Unmarshal into interface{} yields it:
// numbers float64, keys strings, timestamps strings. Every value remembers
// `file` and its line.
Value value_from_yaml(const yaml::Node* node, const std::string* file);
// Parses YAML text holding a mapping (an empty document is an empty dict).
Result<Value> parse_values(std::string_view text, const std::string* file);
// The same of a stream parsed already.
Result<Value> values_from(const yaml::Stream& stream, const std::string* file);
// encoding/json.Unmarshal into interface{}.
Value value_from_json(const nlohmann::json& j);

// Helm's mergeMaps for -f files: maps merge recursively, anything else in
// `src` replaces what `dst` had (including null, deleted later by coalesce).
void merge_values(Dict& dst, const Dict& src);

// Applies one --set (or --set-string) argument: "a.b=c,d[0].e=f,list={x,y}".
// Values are typed as Helm does (int64, bool, null) unless `as_string`.
Result<void> apply_set(Dict& values, std::string_view expression, bool as_string, Origin origin);

// Helm's CoalesceValues for one chart: user values win; a null user value
// removes the chart's default; maps merge recursively.
void coalesce_into(Dict& user, const Dict& defaults);

}  // namespace constable::helm

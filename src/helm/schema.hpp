#pragma once
// values.schema.json validation: the JSON Schema (draft-07) subset charts
// use — type, required, properties, additionalProperties, enum, const,
// items, min/max (exclusive too), minLength/maxLength, minItems/maxItems,
// pattern (RE2), allOf/anyOf/oneOf/not and local $ref ("#/definitions/x").

#include <string>
#include <string_view>
#include <vector>

#include "helm/chart.hpp"
#include "helm/value.hpp"

namespace constable::helm {

// Validates `values` against the schema text. Problems point at the value's
// origin (values file:line) when known, else at `schema_file`.
std::vector<Problem> validate_schema(std::string_view schema_text, const std::string& schema_file,
                                     const Value& values, const std::string& chart_name);

}  // namespace constable::helm

#pragma once
// A JSON Schema document checked against the rules of the draft it declares
// (`$schema`: draft-04, -06, -07, 2019-09, 2020-12): known keywords carry
// values of the right type, sub-schemas are schemas, `type` names legal
// types, `required` is an array of strings, `$ref`s resolve (inside the
// document, to another file, to an `$anchor`). This validates the schema
// itself, not instances against it; unknown keywords are allowed, as the
// drafts allow them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/openapi/openapi.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::jsonschema {

enum class Draft : std::uint8_t { draft4, draft6, draft7, draft2019_09, draft2020_12 };
std::string_view to_string(Draft draft);  // "draft-07", "2020-12"

// The draft a `$schema` URI names; nullopt for anything else (a meta-schema
// of another vocabulary, an OpenAPI dialect).
std::optional<Draft> draft_from_uri(std::string_view uri);

struct Problem {
  std::string message;
  yaml::Mark mark;
};

// Checks the schema rooted at `root` (the document `document`, whose other
// files `resolver` loads).
std::vector<Problem> validate(const yaml::Node* root, Draft draft, const std::string& document,
                              openapi::Resolver& resolver);

}  // namespace constable::jsonschema

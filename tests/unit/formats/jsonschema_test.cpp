#include <gtest/gtest.h>

#include "formats/jsonschema/jsonschema.hpp"

namespace constable::jsonschema {
namespace {

std::vector<std::string> problems(std::string_view text, Draft draft) {
  const yaml::Stream s = yaml::parse(text);
  const yaml::Node* root = s.documents.front().root;
  openapi::Resolver resolver("schema.json", root, [](const std::string&) { return std::nullopt; });
  std::vector<std::string> out;
  for (const auto& p : validate(root, draft, "schema.json", resolver))
    out.push_back(std::to_string(p.mark.line) + ": " + p.message);
  return out;
}

TEST(JsonSchema, DraftsFromUris) {
  EXPECT_EQ(draft_from_uri("http://json-schema.org/draft-04/schema#"), Draft::draft4);
  EXPECT_EQ(draft_from_uri("https://json-schema.org/draft/2020-12/schema"), Draft::draft2020_12);
  EXPECT_EQ(draft_from_uri("https://json-schema.org/draft/2019-09/schema"), Draft::draft2019_09);
  EXPECT_FALSE(draft_from_uri("https://spec.openapis.org/oas/3.1/dialect/base"));
}

TEST(JsonSchema, ValidSchemasHaveNoProblems) {
  EXPECT_TRUE(problems(R"({"type": ["string", "null"], "required": [], "$defs": {"a": {"$anchor": "A"}},
    "properties": {"x": {"$ref": "#/$defs/a"}, "y": {"$ref": "#A"}, "z": true}, "prefixItems": [{}],
    "minLength": 1, "exclusiveMinimum": 0, "enum": [1, "a"]})",
                       Draft::draft2020_12)
                  .empty());
  EXPECT_TRUE(problems(R"({"items": [{"type": "string"}], "exclusiveMinimum": true, "minimum": 1,
    "definitions": {"a": {}}, "properties": {"x": {"$ref": "#/definitions/a"}}})",
                       Draft::draft4)
                  .empty());
}

TEST(JsonSchema, ReportsWrongKeywordsWhereTheyAre) {
  const auto found = problems(R"({
  "type": "obj",
  "required": "id",
  "properties": {"a": 5, "b": {"$ref": "#/$defs/none"}, "c": {"$ref": "#nope"}},
  "items": [{}],
  "minItems": -1,
  "allOf": [],
  "exclusiveMinimum": true
})",
                              Draft::draft2020_12);
  ASSERT_EQ(found.size(), 9u) << ::testing::PrintToString(found);
  EXPECT_EQ(found[0].substr(0, 2), "2:");
  EXPECT_NE(found[0].find("'obj'"), std::string::npos);
  EXPECT_NE(found[1].find("array of strings"), std::string::npos);
  EXPECT_NE(found[2].find("must be a schema"), std::string::npos);
  EXPECT_NE(found[3].find("does not resolve"), std::string::npos);
  EXPECT_NE(found[4].find("$anchor"), std::string::npos);
  EXPECT_NE(found[5].find("prefixItems"), std::string::npos);
  EXPECT_NE(found[6].find("non-negative"), std::string::npos);
  EXPECT_NE(found[7].find("non-empty"), std::string::npos);
  EXPECT_NE(found[8].find("number since draft-06"), std::string::npos);
  // draft-04: booleans are not schemas, exclusiveMinimum is a boolean, required must be non-empty.
  EXPECT_EQ(problems(R"({"properties": {"a": true}, "exclusiveMinimum": 3, "required": []})", Draft::draft4).size(),
            3u);
}

}  // namespace
}  // namespace constable::jsonschema

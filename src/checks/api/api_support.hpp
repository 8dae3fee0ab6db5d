#pragma once
// What the API contract checks share: the OpenAPI document of the file being
// checked (parsed once per check call, $refs resolved against neighbouring
// files), its operations, and ranges of keys for findings.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "formats/openapi/openapi.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::api {

struct ApiDocument {
  const yaml::Node* root = nullptr;  // in the checked file's stream (FileContext::yaml), parsed once for all checks
  std::string path;  // the document's own path, for resolving relative $refs
  std::unique_ptr<openapi::Resolver> resolver;
  std::vector<openapi::Operation> operations;

  // Follows a node's $ref (if any); null when it does not resolve.
  const yaml::Node* resolve(const yaml::Node* node, const std::string& document) const;
};

// The OpenAPI 3.x document of a YAML or JSON file; nullopt for any other
// file, and for a document that does not parse (spec/functional-specs
// reports those). Swagger 2 documents are not API-checked: their layout
// differs and spec/functional-specs already asks for an upgrade.
std::optional<ApiDocument> load(const engine::FileContext& file);

// The versioned path a clause shows ("API versioning via URL path (/api/v1/,
// /api/v2/)"): what comes before the number and the letters just before it.
struct VersionedPath {
  std::string prefix;  // "/api/"
  std::string marker;  // "v"
  std::string shown() const { return prefix + marker + "<n>/"; }
};
Result<VersionedPath> versioned_path_of(const constitution::Clause& clause);

// The range of a mapping key (the whole key on its line).
SourceRange key_range(const yaml::Node* key);

// Whether an operation lives in the checked file (path items may be $refs
// into other files: findings are only reported for this file's lines).
bool in_this_file(const ApiDocument& doc, const openapi::Operation& op);

// An endpoint for the platform, not a resource of the API: health, liveness
// and readiness probes, metrics, well-known URIs and Dapr's callbacks
// (/dapr/subscribe, /dapr/config, /actors/...). Versioning, resource naming,
// caching, pagination and rate-limit rules do not apply to it.
bool is_infrastructure_path(std::string_view path);

// The error responses (4xx, 5xx, 4XX, 5XX, default) of an operation.
struct Response {
  const yaml::Entry* entry = nullptr;  // code -> response
  const yaml::Node* response = nullptr;  // resolved
  std::string document;
};
std::vector<Response> responses(const ApiDocument& doc, const openapi::Operation& op);

// The schema of a media type entry (resolved), null if none.
const yaml::Node* media_schema(const ApiDocument& doc, const yaml::Node* media_type, std::string& document);

}  // namespace constable::checks::api

#pragma once
// What the specification checks share: reading workspace files, the APIs a
// repository exposes (found in its source code) and its OpenAPI documents.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "formats/openapi/openapi.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::spec {

// Files larger than this are not read by the repository-wide specification checks.
inline constexpr std::uintmax_t kMaxSpecFileBytes = 4ULL * 1024 * 1024;

// The file's content, read once per run and shared with every other check
// (RepositoryContext::text); null when unreadable or too large.
const std::string* read(const engine::RepositoryContext& repo, const workspace::File& file);

// Loads documents by workspace-relative path, for openapi::Resolver.
openapi::Loader workspace_loader(const engine::RepositoryContext& repo);

std::string lower_extension(std::string_view path);
std::string lower_basename(std::string_view path);

// An API the source code exposes: a FastAPI app or router, an Express app,
// a Next.js route handler or API route.
struct ApiSource {
  std::string path;
  int line = 0;
  std::string framework;  // "FastAPI", "Express", "Next.js route handler", "Next.js API route"
};
std::vector<ApiSource> detect_apis(const engine::RepositoryContext& repo);
// The APIs one source file exposes (used by detect_apis; exposed for tests).
std::optional<ApiSource> detect_api(std::string_view path, std::string_view content);

// A file that claims to be an OpenAPI document (an `openapi:`/`swagger:` key
// at the top level, or an openapi.*/swagger.* name), parsed.
struct OpenApiFile {
  const workspace::File* file = nullptr;
  const yaml::Stream* stream = nullptr;  // the run's shared parse (RepositoryContext::yaml)
  const yaml::Node* root = nullptr;  // null when it does not parse
};
std::vector<OpenApiFile> openapi_files(const engine::RepositoryContext& repo);

// "openapi: 3.0.3" at the top level of the text (YAML or JSON), a cheap
// pre-filter before parsing.
bool mentions_openapi_key(std::string_view content);

// A finding at the repository root about a missing component.
engine::Emission missing(std::string message);
// A finding at a place in a file of the workspace.
engine::Emission at(const std::string& path, int line, int column, std::string message);

}  // namespace constable::checks::spec

// OpenAPI documents with `$ref` resolution across documents: the first part
// is api/openapi.yaml, "#=== <path>" parts are further documents a `$ref`
// may load (fuzz_support.hpp). Every operation is listed and every `$ref`
// in the root document resolved.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "formats/openapi/openapi.hpp"
#include "formats/yaml/yaml.hpp"
#include "fuzz_support.hpp"

using namespace constable;

namespace {

void resolve_refs(const yaml::Node* node, openapi::Resolver& resolver, const std::string& document, std::size_t& budget) {
  if (node == nullptr || budget == 0) return;
  --budget;
  if (openapi::Resolver::reference_of(node)) {
    if (auto located = resolver.resolve(openapi::Located{node, document})) (void)located->node;
    return;
  }
  for (const auto* item : node->items) resolve_refs(item, resolver, document, budget);
  for (const auto& entry : node->entries) resolve_refs(entry.value, resolver, document, budget);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_files(fuzz::as_text(data, size), "api/openapi.yaml");
  std::map<std::string, std::string> documents;
  for (const auto& part : parts) documents.emplace(part.name, part.text);
  const std::string& root_path = parts.front().name;
  const auto stream = yaml::parse(parts.front().text);
  if (stream.documents.empty()) return 0;
  const yaml::Node* root = stream.documents.front().root;
  (void)openapi::version_entry(root);
  if (const auto* version = root != nullptr ? root->get("openapi") : nullptr) (void)openapi::parse_version(version->str());

  openapi::Resolver resolver(root_path, root, [&documents](const std::string& path) -> std::optional<std::string> {
    const auto it = documents.find(path);
    if (it == documents.end()) return std::nullopt;
    return it->second;
  });
  for (const auto& operation : openapi::operations(root, root_path, resolver)) (void)operation.operation;
  std::size_t budget = 100000;
  resolve_refs(root, resolver, root_path, budget);
  (void)openapi::walk_pointer(root, "/paths/~1a/get");
  return 0;
}

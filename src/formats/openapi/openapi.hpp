#pragma once
// OpenAPI documents (YAML or JSON) and their `$ref`s: references inside the
// document ("#/components/schemas/Problem"), to another file
// ("schemas/problem.yaml") and to a node of another file
// ("common.yaml#/components/responses/NotFound"), JSON pointers decoded
// (~0, ~1, %-escapes). Chains of references are followed with cycle
// protection and a hop limit, so a cyclic or broken reference is an error
// value, never a hang.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::openapi {

// "3.1.0" -> {3, 1}; nullopt when the text is not a dotted version.
struct Version {
  int major = 0;
  int minor = 0;
  friend auto operator<=>(const Version&, const Version&) = default;
};
std::optional<Version> parse_version(std::string_view text);

// The root of an OpenAPI (or Swagger 2) document: a mapping with an
// `openapi` or `swagger` key. Null otherwise.
const yaml::Entry* version_entry(const yaml::Node* root);

// A node and the document (its path, '/'-separated) that holds it.
struct Located {
  const yaml::Node* node = nullptr;
  std::string document;
};

// Reads a document's text by path; nullopt when it cannot be read.
using Loader = std::function<std::optional<std::string>(const std::string& path)>;

// Decodes a JSON pointer ("/components/schemas/a~1b") and walks it from
// `root`; null when a step does not exist.
const yaml::Node* walk_pointer(const yaml::Node* root, std::string_view pointer);

// "dir/a.yaml" + "../b.yaml" -> "b.yaml" (lexical, '/'-separated).
std::string join_relative(std::string_view from_document, std::string_view reference);

class Resolver {
 public:
  static constexpr int kMaxHops = 64;
  static constexpr std::uintmax_t kMaxDocumentBytes = 10ULL * 1024 * 1024;

  // `root_document` is already parsed (the file being checked); other files
  // are loaded on demand through `loader` and parsed once.
  Resolver(std::string root_path, const yaml::Node* root, Loader loader);

  // When `at.node` is a mapping with a `$ref`, follows it (and the chain it
  // starts) to the node it names; any other node is returned as is. Errors
  // name the reference: unreadable file, unparsable file, missing pointer
  // target, a cycle, too many hops.
  Result<Located> resolve(const Located& at);
  // Whether the last resolve() failed because its chain reached a remote
  // reference (https://..., urn:): not followed, so not known to be broken.
  bool stopped_at_remote() const { return stopped_at_remote_; }

  // The `$ref` text of a node, if it is a reference object.
  static std::optional<std::string_view> reference_of(const yaml::Node* node);

 private:
  Result<const yaml::Node*> document_root(const std::string& path);

  std::string root_path_;
  Loader loader_;
  std::map<std::string, std::unique_ptr<yaml::Stream>> loaded_;
  std::map<std::string, std::string> failed_;  // path -> why
  const yaml::Node* root_ = nullptr;
  bool stopped_at_remote_ = false;
};

// HTTP methods that are operations of a path item, in OpenAPI's order.
inline constexpr std::string_view kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

struct Operation {
  std::string path;    // "/api/v1/orders/{id}"
  std::string method;  // "get"
  const yaml::Entry* path_entry = nullptr;       // the path key
  const yaml::Entry* operation_entry = nullptr;  // the method key
  const yaml::Node* path_item = nullptr;         // resolved
  const yaml::Node* operation = nullptr;
  std::string document;  // where the operation node lives (path items may be $refs)
};

// Every operation of `paths`, path items resolved through `resolver`.
std::vector<Operation> operations(const yaml::Node* root, const std::string& root_path, Resolver& resolver);

}  // namespace constable::openapi

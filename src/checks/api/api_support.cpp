#include "checks/api/api_support.hpp"

#include <re2/re2.h>

#include <filesystem>

#include "core/files.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {

constexpr std::uintmax_t kMaxReferencedBytes = 4ULL * 1024 * 1024;

// The repository holding `file`: its absolute path without its relative one
// (the file's own directory, or the current one, for a file from outside the
// workspace such as --manifests).
std::filesystem::path repository_root(const workspace::File& file) {
  const std::string absolute = file.absolute.generic_string();
  const std::string suffix = "/" + file.path;
  if (absolute.size() > suffix.size() && absolute.ends_with(suffix))
    return absolute.substr(0, absolute.size() - suffix.size());
  const auto directory = file.absolute.parent_path();
  return directory.empty() ? std::filesystem::path(".") : directory;
}

// Referenced documents are read as the repository's own files are: inside
// the repository (a $ref to '../../etc/passwd' or through a symlink out of it
// reads nothing), regular files, bounded in size.
openapi::Loader loader_within(std::filesystem::path root) {
  return [root = std::move(root)](const std::string& path) -> std::optional<std::string> {
    auto content = files::read(path, {.max_size = kMaxReferencedBytes, .confine_to = root});
    if (!content) return std::nullopt;
    return std::move(*content);
  };
}

}  // namespace

const yaml::Node* ApiDocument::resolve(const yaml::Node* node, const std::string& document) const {
  if (node == nullptr) return nullptr;
  auto r = resolver->resolve({node, document});
  return r ? r->node : nullptr;
}

std::optional<ApiDocument> load(const engine::FileContext& file) {
  const FileKind kind = file.file().kind;
  if (kind != FileKind::yaml && kind != FileKind::json) return std::nullopt;
  const std::string_view text = file.text();
  static const text::Literals kOpenapi{"openapi"};
  if (!kOpenapi.any_in(text)) return std::nullopt;  // cheap pre-filter
  ApiDocument doc;
  const yaml::Stream& stream = file.yaml();
  if (!stream.ok() || stream.documents.empty()) return std::nullopt;
  doc.root = stream.documents.front().root;
  const yaml::Entry* version = openapi::version_entry(doc.root);
  if (version == nullptr || version->key->value != "openapi") return std::nullopt;
  // Referenced files are read from disk next to the checked file.
  doc.path = file.file().absolute.lexically_normal().generic_string();
  doc.resolver = std::make_unique<openapi::Resolver>(doc.path, doc.root, loader_within(repository_root(file.file())));
  doc.operations = openapi::operations(doc.root, doc.path, *doc.resolver);
  return doc;
}

SourceRange key_range(const yaml::Node* key) {
  const int end = key->end.line == key->start.line ? key->end.column : 0;
  return {key->start.line, key->start.column, key->start.line, end};
}

bool in_this_file(const ApiDocument& doc, const openapi::Operation& op) { return op.document == doc.path; }

bool is_infrastructure_path(std::string_view path) {
  static constexpr std::string_view kProbes[] = {"health", "healthz",  "healthcheck", "health-check", "health_check",
                                                 "livez",  "live",     "liveness",    "readyz",       "ready",
                                                 "readiness", "startupz", "metrics", "ping"};
  static constexpr std::string_view kPlatformPrefixes[] = {".well-known", "dapr", "actors"};
  std::vector<std::string_view> segments;
  for (std::string_view s : text::split(path, '/'))
    if (!s.empty()) segments.push_back(s);
  if (segments.empty()) return false;
  // /dapr/subscribe, /.well-known/openid-configuration: the platform's namespace.
  for (const auto prefix : kPlatformPrefixes)
    if (segments.front() == prefix) return true;
  // /health, /api/v1/healthz, /metrics: a probe is the last segment.
  const std::string last = text::to_lower(segments.back());
  for (const auto probe : kProbes)
    if (last == probe) return true;
  return false;
}

std::vector<Response> responses(const ApiDocument& doc, const openapi::Operation& op) {
  std::vector<Response> out;
  const yaml::Node* operation = doc.resolve(op.operation, op.document);
  const yaml::Node* all = operation != nullptr && operation->is_mapping() ? operation->get("responses") : nullptr;
  if (all == nullptr || !all->is_mapping()) return out;
  for (const yaml::Entry& e : all->entries) {
    auto resolved = doc.resolver->resolve({e.value, op.document});
    out.push_back({&e, resolved ? resolved->node : nullptr, resolved ? resolved->document : op.document});
  }
  return out;
}

const yaml::Node* media_schema(const ApiDocument& doc, const yaml::Node* media_type, std::string& document) {
  if (media_type == nullptr || !media_type->is_mapping()) return nullptr;
  const yaml::Node* schema = media_type->get("schema");
  if (schema == nullptr) return nullptr;
  auto resolved = doc.resolver->resolve({schema, document});
  if (!resolved) return nullptr;
  document = resolved->document;
  return resolved->node;
}

Result<VersionedPath> versioned_path_of(const constitution::Clause& clause) {
  // "/api/v1/" -> prefix "/api/", marker "v".
  static const RE2 example(R"((/(?:[A-Za-z0-9_-]+/)*?)([A-Za-z]*)\d+/)");
  VersionedPath path;
  if (!RE2::PartialMatch(clause.text, example, &path.prefix, &path.marker))
    return fail("the clause shows no versioned path (expected e.g. \"(/api/v1/, /api/v2/)\")");
  return path;
}

}  // namespace constable::checks::api

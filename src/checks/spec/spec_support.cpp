#include "checks/spec/spec_support.hpp"

#include <re2/re2.h>


#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::spec {

const std::string* read(const engine::RepositoryContext& repo, const workspace::File& file) {
  if (!file.content && file.size > kMaxSpecFileBytes) return nullptr;
  const std::string* content = repo.text(file);
  if (content == nullptr || content->size() > kMaxSpecFileBytes) return nullptr;
  return content;
}

openapi::Loader workspace_loader(const engine::RepositoryContext& repo) {
  return [&repo](const std::string& path) -> std::optional<std::string> {
    const auto& files = repo.workspace().files;
    const auto it = std::lower_bound(files.begin(), files.end(), path,
                                     [](const workspace::File& f, const std::string& p) { return f.path < p; });
    if (it == files.end() || it->path != path) return std::nullopt;
    const std::string* content = read(repo, *it);
    if (content == nullptr) return std::nullopt;
    return *content;
  };
}

std::string lower_basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return text::to_lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string lower_extension(std::string_view path) {
  const std::string name = lower_basename(path);
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}

namespace {

int line_of(std::string_view content, std::size_t offset) {
  return 1 + static_cast<int>(std::count(content.begin(), content.begin() + static_cast<long>(offset), '\n'));
}

std::optional<ApiSource> first_match(std::string_view path, std::string_view content, const RE2& pattern,
                                     std::string_view framework) {
  re2::StringPiece match;
  if (!RE2::PartialMatch(content, pattern, &match)) return std::nullopt;
  return ApiSource{std::string(path), line_of(content, static_cast<std::size_t>(match.data() - content.data())),
                   std::string(framework)};
}

}  // namespace

std::optional<ApiSource> detect_api(std::string_view path, std::string_view content) {
  const std::string ext = lower_extension(path);
  const std::string lower_path = "/" + text::to_lower(path);
  if (ext == "py") {
    static const RE2 fastapi(R"((?m)^[^#\n]*?\b((?:FastAPI|APIRouter)\s*\())");
    return first_match(path, content, fastapi, "FastAPI");
  }
  if (ext != "ts" && ext != "js" && ext != "mjs" && ext != "cjs" && ext != "tsx" && ext != "jsx") return std::nullopt;
  const std::string name = lower_basename(path);
  // Next.js App Router: app/**/route.ts exporting HTTP method handlers.
  if ((name.starts_with("route.")) && lower_path.find("/app/") != std::string::npos) {
    static const RE2 handler(
        R"((?m)^\s*(export\s+(?:async\s+)?(?:function\s+|const\s+)(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b))");
    if (auto found = first_match(path, content, handler, "Next.js route handler")) return found;
  }
  // Next.js Pages Router: pages/api/** with a default export.
  if (lower_path.find("/pages/api/") != std::string::npos) {
    static const RE2 default_export(R"((?m)^\s*(export\s+default\b))");
    if (auto found = first_match(path, content, default_export, "Next.js API route")) return found;
  }
  // Express: an app from express() that declares routes.
  static const RE2 express_app(R"(\bexpress\s*\(\s*\)|\bexpress\.Router\s*\(|\bRouter\s*\(\s*\))");
  if (RE2::PartialMatch(content, express_app)) {
    static const RE2 route(R"((?m)^[^/\n]*?\b((?:app|router|api)\.(?:get|post|put|patch|delete|all|route)\s*\())");
    if (auto found = first_match(path, content, route, "Express")) return found;
  }
  return std::nullopt;
}

std::vector<ApiSource> detect_apis(const engine::RepositoryContext& repo) {
  std::vector<ApiSource> out;
  for (const auto& file : repo.workspace().files) {
    if (file.kind != FileKind::source) continue;
    const std::string ext = lower_extension(file.path);
    if (ext != "py" && ext != "ts" && ext != "js" && ext != "mjs" && ext != "cjs" && ext != "tsx" && ext != "jsx")
      continue;
    const std::string* content = read(repo, file);
    if (content == nullptr) continue;
    if (auto api = detect_api(file.path, *content)) out.push_back(std::move(*api));
  }
  return out;
}

bool mentions_openapi_key(std::string_view content) {
  static const RE2 key(R"re((?m)^(?:openapi|swagger)\s*:|^\s*\{?\s*"(?:openapi|swagger)"\s*:)re");
  // Most files name neither: a search for the words rules them out faster than the pattern.
  static const text::Literals kWords{"openapi", "swagger"};
  if (!kWords.any_in(content)) return false;
  return RE2::PartialMatch(content, key);
}

std::vector<OpenApiFile> openapi_files(const engine::RepositoryContext& repo) {
  std::vector<OpenApiFile> out;
  for (const auto& file : repo.workspace().files) {
    if (file.kind != FileKind::yaml && file.kind != FileKind::json) continue;
    const std::string name = lower_basename(file.path);
    const bool named = name.starts_with("openapi.") || name.starts_with("swagger.");
    const std::string* content = read(repo, file);
    if (content == nullptr || (!named && !mentions_openapi_key(*content))) continue;
    OpenApiFile doc{.file = &file, .stream = repo.yaml(file), .root = nullptr};
    if (doc.stream->ok() && !doc.stream->documents.empty()) {
      doc.root = doc.stream->documents.front().root;
      if (openapi::version_entry(doc.root) == nullptr) continue;  // a YAML file that only mentions the word
    }
    out.push_back(std::move(doc));
  }
  return out;
}

engine::Emission missing(std::string message) {
  return {.range = SourceRange::whole_file(), .message = std::move(message), .remediation = {}, .secrets = {},
          .path_override = "."};
}

engine::Emission at(const std::string& path, int line, int column, std::string message) {
  return {.range = {line, column, line, 0}, .message = std::move(message), .remediation = {}, .secrets = {},
          .path_override = path};
}

}  // namespace constable::checks::spec

// spec/functional-specs: every API the repository exposes has an OpenAPI
// document of at least the version the clause names ("OpenAPI 3.1+").

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"

namespace constable::checks::spec {

namespace {
namespace functional_specs_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/functional-specs",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Describe every API the repository exposes in an OpenAPI document of the required version (3.1+)",
    .rationale =
        "The OpenAPI document is the functional specification clients, tests and gateways are generated from. "
        "An API is detected from its code: FastAPI()/APIRouter() in Python, an Express app with routes, Next.js "
        "route handlers (app/**/route.ts exporting GET/POST/...) and API routes (pages/api/**). A document counts "
        "for an API when it lies in the same top-level directory, at the root, or in a top-level docs/, api/, "
        "spec(s)/, openapi/ or contracts/ directory. A schema FastAPI generates at run time is not a committed "
        "specification: it cannot be reviewed or diffed. Documents below the required version (Swagger 2.0, "
        "OpenAPI 3.0) lack JSON Schema 2020-12 alignment and webhooks.",
    .remediation = "Commit an OpenAPI document (openapi.yaml) beside the service, starting with `openapi: 3.1.0`; "
                   "for FastAPI, export app.openapi() and review it like code.",
    .bad_example = "# app/main.py, and no openapi.yaml anywhere\napp = FastAPI()\n",
    .good_example = "# openapi.yaml\nopenapi: 3.1.0\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n",
    .parameters = "the minimum OpenAPI version (\"OpenAPI 3.1+\" -> 3.1)",
    .clause = {.section = "mandatory specification|specification components", .text = "functional specification"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// The directory whose documents describe the APIs below it.
std::string top_directory(std::string_view path) {
  const auto slash = path.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

bool shared_spec_directory(std::string_view top) {
  for (auto dir : {"", "docs", "doc", "api", "apis", "spec", "specs", "specification", "openapi", "contracts"})
    if (top == dir) return true;
  return false;
}

class FunctionalSpecsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    static const RE2 version(R"((?i)openapi\s*v?(\d+)\.(\d+)\s*\+?)");
    int major = 0, minor = 0;
    if (!RE2::PartialMatch(clause.text, version, &major, &minor))
      return fail("the clause names no OpenAPI version (expected e.g. \"OpenAPI 3.1+\")");
    minimum_ = {major, minor};
    return {};
  }

  std::string bound_parameters() const override {
    return fmt::format("minimum OpenAPI version: {}.{}", minimum_.major, minimum_.minor);
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const std::vector<OpenApiFile> documents = openapi_files(repo);
    for (const OpenApiFile& doc : documents) {
      if (doc.root == nullptr) {
        const yaml::ParseError error = doc.stream->errors.empty() ? yaml::ParseError{"no document", {1, 1}, true}
                                                                  : doc.stream->errors.front();
        out.emit(at(doc.file->path, error.mark.line, error.mark.column,
                    fmt::format("the OpenAPI document does not parse: {}", error.message)));
        continue;
      }
      const yaml::Entry* version = openapi::version_entry(doc.root);
      const auto parsed = openapi::parse_version(version->value->value);
      const bool swagger = version->key->value == "swagger";
      if (!parsed || swagger || *parsed < minimum_) {
        out.emit(at(doc.file->path, version->key->start.line, version->key->start.column,
                    fmt::format("{} {} is below the required OpenAPI {}.{}", swagger ? "Swagger" : "OpenAPI",
                                version->value->value, minimum_.major, minimum_.minor)));
      }
    }
    // One problem per service (top directory): its first API source names
    // it, the other files of the same API are counted.
    std::vector<std::pair<ApiSource, std::size_t>> uncovered;  // first source, further files
    for (const ApiSource& api : detect_apis(repo)) {
      const std::string top = top_directory(api.path);
      bool covered = false;
      for (const OpenApiFile& doc : documents) {
        const std::string doc_top = top_directory(doc.file->path);
        covered = covered || doc_top == top || shared_spec_directory(doc_top);
      }
      if (covered) continue;
      auto same = std::find_if(uncovered.begin(), uncovered.end(),
                               [&](const auto& u) { return top_directory(u.first.path) == top; });
      if (same != uncovered.end())
        ++same->second;
      else
        uncovered.emplace_back(api, 0);
    }
    for (const auto& [api, further] : uncovered) {
      const std::string top = top_directory(api.path);
      out.emit(at(api.path, api.line, 0,
                  fmt::format("this {} exposes an API with no OpenAPI document (looked for YAML/JSON files with a "
                              "top-level 'openapi:' key in '{}', the root, docs/, api/, spec(s)/, openapi/, "
                              "contracts/){}",
                              api.framework, top.empty() ? "." : top + "/",
                              further == 0 ? std::string()
                                           : fmt::format("; {} more file{} of it define routes", further,
                                                         further == 1 ? "" : "s"))));
    }
  }

 private:
  openapi::Version minimum_{3, 1};
};

}  // namespace functional_specs_check
}  // namespace

std::unique_ptr<engine::Check> make_functional_specs_check() {
  return engine::make_check<functional_specs_check::FunctionalSpecsCheck>();
}

}  // namespace constable::checks::spec

// spec/data-schemas: the data is specified by JSON Schema documents valid
// for their declared draft, or by SQLModel table models.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"
#include "core/text.hpp"
#include "formats/jsonschema/jsonschema.hpp"

namespace constable::checks::spec {

namespace {
namespace data_schemas_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/data-schemas",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Define the data in JSON Schema documents or SQLModel table models, and keep the schemas valid",
    .rationale =
        "A schema is the contract between producers and consumers of data; one that does not validate against its "
        "own draft silently accepts anything. JSON Schema documents are YAML or JSON files with a $schema naming a "
        "json-schema.org draft (04, 06, 07, 2019-09, 2020-12), or named *.schema.json / *.schema.yaml (taken as "
        "2020-12). Each is checked against its draft: keyword value types, sub-schemas, legal `type` names, "
        "`required` as an array of strings, `$ref`s that resolve. SQLModel table models are classes declared "
        "`class X(SQLModel, table=True)`.",
    .remediation = "Add schema files (schemas/order.schema.json with \"$schema\": "
                   "\"https://json-schema.org/draft/2020-12/schema\") or SQLModel table models; fix the reported "
                   "keyword in an invalid schema.",
    .bad_example = "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"type\": \"obj\",\n"
                   "  \"required\": \"id\"\n}\n",
    .good_example = "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"type\": \"object\",\n"
                    "  \"required\": [\"id\"],\n  \"properties\": {\"id\": {\"type\": \"string\"}}\n}\n",
    .parameters = "the accepted schema languages named in the clause (JSON Schema, SQLModel)",
    .clause = {.section = "mandatory specification|specification components", .text = "data specification"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
    .one_finding_per_file = true,
};

class DataSchemasCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    json_schema_ = text::icontains(clause.text, "json schema");
    sqlmodel_ = text::icontains(clause.text, "sqlmodel");
    if (!json_schema_ && !sqlmodel_) return fail("the clause names neither JSON Schema nor SQLModel");
    return {};
  }

  std::string bound_parameters() const override {
    return fmt::format("accepted: {}", json_schema_ && sqlmodel_ ? "JSON Schema, SQLModel"
                                       : json_schema_          ? "JSON Schema"
                                                               : "SQLModel");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto& workspace = repo.workspace();
    int schemas = 0;
    for (const auto& file : workspace.files) {
      if (file.kind == FileKind::source && sqlmodel_ && lower_extension(file.path) == "py") {
        // A table model names SQLModel among its bases or inherits it from a
        // model of the same module (`class User(UserBase, table=True)`, the
        // FastAPI template's shape), so the module must import sqlmodel.
        static const RE2 table_model(R"(class\s+\w+\s*\([^)]*\btable\s*=\s*True)");
        static const RE2 imports_sqlmodel(R"((?m)^\s*(from\s+sqlmodel\b|import\s+sqlmodel\b))");
        if (const std::string* content = read(repo, file); content != nullptr &&
                                                          RE2::PartialMatch(*content, table_model) &&
                                                          RE2::PartialMatch(*content, imports_sqlmodel))
          ++schemas;
        continue;
      }
      if (!json_schema_ || (file.kind != FileKind::json && file.kind != FileKind::yaml)) continue;
      schemas += validate_schema_file(repo, file, out) ? 1 : 0;
    }
    if (schemas > 0) return;
    std::string looked;
    if (json_schema_) looked += "JSON Schema files ($schema naming a json-schema.org draft, or *.schema.json)";
    if (sqlmodel_) looked += fmt::format("{}SQLModel table models (class X(SQLModel, table=True))",
                                         looked.empty() ? "" : " or ");
    out.emit(missing(fmt::format("no data specifications: looked for {}", looked)));
  }

 private:
  // Validates a JSON Schema document; false when the file is not one.
  static bool validate_schema_file(const engine::RepositoryContext& repo, const workspace::File& file,
                                   engine::Emitter& out) {
    const std::string name = lower_basename(file.path);
    const bool named = name.ends_with(".schema.json") || name.ends_with(".schema.yaml") || name.ends_with(".schema.yml");
    const std::string* content = repo.text(file);
    if (content == nullptr) return false;
    if (!named && content->find("json-schema.org") == std::string::npos) return false;
    const yaml::Stream& stream = *repo.yaml(file);
    if (!stream.ok() || stream.documents.empty() || stream.documents.front().root == nullptr) {
      if (!named) return false;  // only a mention of json-schema.org: not known to be a schema
      const yaml::ParseError error =
          stream.errors.empty() ? yaml::ParseError{"empty document", {1, 1}, true} : stream.errors.front();
      out.emit(at(file.path, error.mark.line, error.mark.column,
                  fmt::format("the JSON Schema does not parse: {}", error.message)));
      return true;
    }
    const yaml::Node* root = stream.documents.front().root;
    if (!root->is_mapping()) return false;
    std::optional<jsonschema::Draft> draft;
    if (const yaml::Node* declared = root->get("$schema"); declared != nullptr && declared->is_scalar()) {
      draft = jsonschema::draft_from_uri(declared->value);
      // "http://json-schema.org/schema#" means "the latest draft" (drafts 4 to
      // 7 define it): a schema, of no one draft to validate it against.
      static const RE2 kLatest(R"(https?://json-schema\.org/schema#?)");
      if (!draft && RE2::FullMatch(declared->value, kLatest)) return true;
      if (!draft && declared->value.find("json-schema.org") != std::string::npos) {
        out.emit(at(file.path, declared->start.line, declared->start.column,
                    fmt::format("'$schema' names no known JSON Schema draft: '{}'", declared->value)));
        return true;
      }
    }
    if (!draft && !named) return false;
    if (openapi::version_entry(root) != nullptr || root->get("asyncapi") != nullptr) return false;
    openapi::Resolver resolver(file.path, root, workspace_loader(repo));
    for (const auto& problem : jsonschema::validate(root, draft.value_or(jsonschema::Draft::draft2020_12), file.path,
                                                     resolver))
      out.emit(at(file.path, problem.mark.line, problem.mark.column,
                  fmt::format("invalid {} schema: {}", jsonschema::to_string(draft.value_or(jsonschema::Draft::draft2020_12)),
                              problem.message)));
    return true;
  }

  bool json_schema_ = true;
  bool sqlmodel_ = true;
};

}  // namespace data_schemas_check
}  // namespace

std::unique_ptr<engine::Check> make_data_schemas_check() {
  return engine::make_check<data_schemas_check::DataSchemasCheck>();
}

}  // namespace constable::checks::spec

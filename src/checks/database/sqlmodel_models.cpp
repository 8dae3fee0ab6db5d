// database/sqlmodel-models: "Models MUST inherit from SQLModel".

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"

namespace constable::checks::database {

namespace {
namespace sqlmodel_models_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/sqlmodel-models",
    .domain = "database",
    .nature = Nature::maintainability,
    .summary = "Declare database models as SQLModel classes, not with a SQLAlchemy declarative base",
    .rationale =
        "A SQLModel class is at once the table and the Pydantic model FastAPI validates and documents; "
        "a second family of models on a SQLAlchemy declarative base duplicates every field, drifts from the "
        "API schemas and splits the metadata Alembic compares against the database.",
    .remediation =
        "Declare the model as `class Hero(SQLModel, table=True)` with `Field()` columns and `Relationship()` "
        "links, and remove the declarative base once no model uses it.",
    .bad_example =
        "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n",
    .good_example =
        "from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n"
        "    __tablename__ = \"heroes\"\n\n    id: int | None = Field(default=None, primary_key=True)\n",
    .parameters = "",
    .clause = {.section = "(sqlmodel|model)", .text = "models?.*inherit.*sqlmodel"},
    .file_kind = FileKind::source,
    .stack = "sqlmodel",  // the rule holds where the project has chosen SQLModel
    .scope = engine::Scope::files_of_kind,
};

bool is_declarative_base_class(const code::Module& module, std::string_view base) {
  const std::string qualified = module.qualified(base);
  return qualified == "sqlalchemy.orm.DeclarativeBase" || qualified == "sqlalchemy.orm.DeclarativeBaseNoMeta" ||
         qualified == "sqlalchemy.orm.decl_api.DeclarativeBase";
}

bool is_declarative_factory(const code::Module& module, const code::Call& call) {
  const std::string qualified = module.qualified(call.callee);
  return qualified == "sqlalchemy.orm.declarative_base" || qualified == "sqlalchemy.ext.declarative.declarative_base" ||
         qualified == "sqlalchemy.orm.as_declarative" || qualified == "sqlalchemy.ext.declarative.as_declarative";
}

class SqlmodelModelsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override {
    return is_application_python(path) && !is_migration_path(path);
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const code::Module* module = file.code();
    if (module == nullptr) return;
    for (const auto& model : module->classes) {
      bool declarative = false;
      for (const auto& base : model.bases) declarative = declarative || is_declarative_base_class(*module, base);
      for (const auto& decorator : model.decorators) {
        const std::string qualified = module->qualified(decorator.callee);
        declarative = declarative || qualified == "sqlalchemy.orm.as_declarative" ||
                      qualified == "sqlalchemy.ext.declarative.as_declarative";
      }
      if (declarative)
        out.report(model.name_range,
                   fmt::format("`{}` is a SQLAlchemy declarative base: the constitution asks for models that "
                               "inherit from SQLModel",
                               model.name),
                   model.name);
    }
    for (const auto& call : module->calls) {
      if (!is_declarative_factory(*module, call)) continue;
      // `@as_declarative()` is reported at its class above.
      if (call.node.parent().is("decorator")) continue;
      out.report(call.range,
                 fmt::format("`{}()` creates a SQLAlchemy declarative base: the constitution asks for models that "
                             "inherit from SQLModel",
                             call.callee),
                 call.callee);
    }
  }
};

}  // namespace sqlmodel_models_check
}  // namespace

std::unique_ptr<engine::Check> make_sqlmodel_models_check() {
  return engine::make_check<sqlmodel_models_check::SqlmodelModelsCheck>();
}

}  // namespace constable::checks::database

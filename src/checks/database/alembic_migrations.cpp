// database/alembic-migrations: "Alembic MUST be used for schema migrations".

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace alembic_migrations_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/alembic-migrations",
    .domain = "database",
    .nature = Nature::data_loss,
    .summary = "Manage the schema of the tables the models declare with Alembic migrations",
    .rationale =
        "Without migrations the schema changes by `metadata.create_all()` (which never alters an existing "
        "table) or by hand: production, staging and every developer's database drift apart, and no change "
        "can be reviewed, repeated or rolled back. Alembic keeps each change as a reviewed revision with "
        "its downgrade.",
    .remediation =
        "Run `alembic init` (or `alembic init -t async`), point env.py's target_metadata at the models' "
        "metadata (`SQLModel.metadata`), and generate the first revision with `alembic revision "
        "--autogenerate`.",
    .bad_example =
        "# app/models.py, with no alembic.ini or migrations/env.py in the repository\n"
        "class Hero(SQLModel, table=True):\n    __tablename__ = \"heroes\"\n",
    .good_example =
        "# alembic.ini and alembic/env.py beside app/models.py\n"
        "class Hero(SQLModel, table=True):\n    __tablename__ = \"heroes\"\n",
    .parameters = "",
    .clause = {.section = "(schema|migration|database)", .text = "alembic"},
    .file_kind = FileKind::source,
    .stack = "",  // tables are recognised in the code, SQLModel's or SQLAlchemy's
    .scope = engine::Scope::repository,
};

struct DeclaredTable {
  std::string path;
  int line = 0;
  std::string name;
};

class AlembicMigrationsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto& stack = repository.workspace().stack;
    if (!stack.has("sqlmodel") && !stack.has("sqlalchemy")) return;
    std::vector<DeclaredTable> tables;
    for (const auto& file : repository.workspace().files) {
      const std::string_view name = text::basename(file.path);
      if (name == "alembic.ini") return;
      // Alembic 1.16 reads its configuration from pyproject.toml too.
      if (name == "pyproject.toml")
        if (const std::string* content = repository.text(file); content && text::contains(*content, "[tool.alembic]"))
          return;
      if (!is_python_path(file.path)) continue;
      const code::Module* module = repository.code(file);
      if (module == nullptr) continue;
      // An Alembic environment (env.py) or revision, wherever it lives.
      if (module->imports_module("alembic")) return;
      if (!is_application_python(file.path) || is_migration_path(file.path)) continue;
      for (const auto& model : module->classes)
        if (const auto table = table_name(*module, model))
          tables.push_back({file.path, table->range.line, table->name});
        else if (is_sqlmodel_table(model) && derives_from_sqlmodel(*module, model))
          tables.push_back({file.path, model.name_range.line, model.name});
    }
    if (tables.empty()) return;
    std::string names;
    for (std::size_t i = 0; i < tables.size() && i < 3; ++i)
      names += fmt::format("{}`{}`", i == 0 ? "" : ", ", tables[i].name);
    if (tables.size() > 3) names += fmt::format(" and {} more", tables.size() - 3);
    out.report_at(tables.front().path, tables.front().line,
                  fmt::format("the code declares {} table{} ({}) but the repository has no Alembic migrations "
                              "(no alembic.ini, no env.py importing alembic)",
                              tables.size(), tables.size() == 1 ? "" : "s", names));
  }
};

}  // namespace alembic_migrations_check
}  // namespace

std::unique_ptr<engine::Check> make_alembic_migrations_check() {
  return engine::make_check<alembic_migrations_check::AlembicMigrationsCheck>();
}

}  // namespace constable::checks::database

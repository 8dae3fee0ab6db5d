// database/reversible-migrations: "Migrations MUST be reversible (up and down)".

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace reversible_migrations_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/reversible-migrations",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Give every Alembic migration a downgrade() that reverses its upgrade()",
    .rationale =
        "A release rolled back after its migration ran needs the schema of the previous version: "
        "`alembic downgrade -1` runs the revision's downgrade(). A downgrade that is missing, only `pass` "
        "or only raises leaves the database ahead of the code and turns a rollback into a manual repair "
        "under pressure.",
    .remediation =
        "Write downgrade() as the inverse of upgrade(): drop what it created, restore what it dropped "
        "(columns, indexes, constraints, data where it can be rebuilt).",
    .bad_example =
        "from alembic import op\nimport sqlalchemy as sa\n\nrevision = \"1a2b3c4d5e6f\"\ndown_revision = None\n\n\n"
        "def upgrade():\n    op.add_column(\"heroes\", sa.Column(\"age\", sa.Integer()))\n\n\ndef downgrade():\n    pass\n",
    .good_example =
        "from alembic import op\nimport sqlalchemy as sa\n\nrevision = \"1a2b3c4d5e6f\"\ndown_revision = None\n\n\n"
        "def upgrade():\n    op.add_column(\"heroes\", sa.Column(\"age\", sa.Integer()))\n\n\n"
        "def downgrade():\n    op.drop_column(\"heroes\", \"age\")\n",
    .parameters = "",
    .clause = {.section = "(schema|migration|database)", .text = "migrations?.*reversible"},
    .file_kind = FileKind::source,
    .stack = "",  // an Alembic revision is recognised by itself
    .scope = engine::Scope::files_of_kind,
};

enum class Body : std::uint8_t { does_something, empty, raises };

// What a function body does: nothing (pass, docstrings, `...`, comments),
// only raise, or something.
Body body_of(const code::Node& body) {
  bool raises = false;
  for (std::uint32_t i = 0; i < body.named_child_count(); ++i) {
    const code::Node statement = body.named_child(i);
    if (statement.is("comment") || statement.is("pass_statement")) continue;
    if (statement.is("expression_statement")) {
      const code::Node expression = statement.named_child(0);
      if (expression.is("string") || expression.is("concatenated_string") || expression.is("ellipsis")) continue;
    }
    if (statement.is("raise_statement")) {
      raises = true;
      continue;
    }
    return Body::does_something;
  }
  return raises ? Body::raises : Body::empty;
}

const code::Function* module_function(const code::Module& module, std::string_view name) {
  for (const auto& function : module.functions)
    if (function.name == name && function.owner_class < 0 && function.enclosing < 0) return &function;
  return nullptr;
}

bool is_alembic_revision(const code::Module& module) {
  bool revision = false;
  for (const auto& assignment : module.assignments) revision = revision || assignment.target == "revision";
  return revision && module.imports_module("alembic");
}

class ReversibleMigrationsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return is_revision_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const code::Module* module = file.code();
    if (module == nullptr || !is_alembic_revision(*module)) return;
    const code::Function* upgrade = module_function(*module, "upgrade");
    // A merge or empty revision changes nothing, so there is nothing to reverse.
    if (upgrade == nullptr || body_of(upgrade->body) != Body::does_something) return;
    const code::Function* downgrade = module_function(*module, "downgrade");
    if (downgrade == nullptr) {
      out.report(upgrade->name_range, "the migration has an upgrade() and no downgrade(): it cannot be reversed",
                 "downgrade");
      return;
    }
    switch (body_of(downgrade->body)) {
      case Body::does_something:
        return;
      case Body::empty:
        out.report(downgrade->name_range,
                   "downgrade() does nothing while upgrade() changes the schema: the migration cannot be reversed",
                   "downgrade");
        return;
      case Body::raises:
        out.report(downgrade->name_range,
                   "downgrade() only raises while upgrade() changes the schema: the migration cannot be reversed",
                   "downgrade");
        return;
    }
  }
};

}  // namespace reversible_migrations_check
}  // namespace

std::unique_ptr<engine::Check> make_reversible_migrations_check() {
  return engine::make_check<reversible_migrations_check::ReversibleMigrationsCheck>();
}

}  // namespace constable::checks::database

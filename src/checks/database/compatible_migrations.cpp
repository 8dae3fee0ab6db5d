// database/compatible-migrations: "Schema changes MUST maintain backward
// compatibility for N-1 versions".

#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace compatible_migrations_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/compatible-migrations",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Change the schema so that the previous release keeps working: no renames, no new NOT NULL column "
               "without a default",
    .rationale =
        "During a rolling deployment, and after a rollback of the code, the previous release runs against the "
        "migrated schema. It still reads and writes the old names, so a renamed column or table breaks it at "
        "once, and its INSERTs do not know a new NOT NULL column, so they fail unless the database fills it. "
        "Expand and contract keeps both versions working: add the new column, copy, switch the code, and drop "
        "the old one a release later.",
    .remediation =
        "Instead of renaming, add the new column or table, backfill it and keep writing both until the previous "
        "release is gone; give a new NOT NULL column a `server_default` (or add it nullable and tighten it a "
        "release later).",
    .bad_example =
        "def upgrade():\n    op.alter_column(\"heroes\", \"name\", new_column_name=\"full_name\")\n",
    .good_example =
        "def upgrade():\n    op.add_column(\"heroes\", sa.Column(\"full_name\", sa.String(), nullable=True))\n"
        "    op.execute(\"UPDATE heroes SET full_name = name\")\n",
    .parameters = "",
    .clause = {.section = "(schema|migration|database)", .text = "backward.compat"},
    .file_kind = FileKind::source,
    .stack = "",  // an Alembic revision is recognised by itself
    .scope = engine::Scope::files_of_kind,
};

const code::Function* module_function(const code::Module& module, std::string_view name) {
  for (const auto& function : module.functions)
    if (function.name == name && function.owner_class < 0 && function.enclosing < 0) return &function;
  return nullptr;
}

bool within(const SourceRange& inner, const SourceRange& outer) {
  return inner.line >= outer.line && inner.end_line <= outer.end_line;
}

bool is_op(const code::Module& module, const code::Call& call, std::string_view method) {
  if (call.method() != method) return false;
  const std::string qualified = module.qualified(call.callee);
  return qualified.starts_with("alembic.op.") || call.callee.starts_with("op.") || call.callee.starts_with("batch_op.");
}

class CompatibleMigrationsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return is_revision_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const code::Module* module = file.code();
    if (module == nullptr || !module->imports_module("alembic")) return;
    const code::Function* upgrade = module_function(*module, "upgrade");
    if (upgrade == nullptr) return;
    static const RE2 sql_rename(R"((?i)\bRENAME\s+(COLUMN\s+\w+\s+)?TO\b|\bRENAME\s+COLUMN\b)");
    static const RE2 not_null(R"(\bnullable\s*=\s*False\b)");
    std::set<std::string> dropped;  // columns upgrade() has dropped so far
    for (const auto& call : module->calls) {
      if (!within(call.range, upgrade->range)) continue;
      if (is_op(*module, call, "drop_column")) {
        if (const code::Argument* column = call.positional(is_batch(call) ? 0 : 1); column && column->value)
          dropped.insert(*column->value);
      } else if (is_op(*module, call, "alter_column") && call.keyword("new_column_name") != nullptr) {
        const code::Argument* column = call.positional(is_batch(call) ? 0 : 1);
        const auto& target = call.keyword("new_column_name")->value;
        const std::string old_name = column && column->value ? fmt::format("`{}`", *column->value) : "a column";
        // Drop `owner_id`, then rename `new_owner_id` to it: a swap, not a rename.
        if (target && dropped.contains(*target))
          out.report(call.range,
                     fmt::format("upgrade() drops column `{}` and renames {} into its place: the previous release "
                                 "reads and writes `{}` with its old type and values",
                                 *target, old_name, *target),
                     "swap");
        else
          out.report(call.range,
                     fmt::format("upgrade() renames column {}{}: the previous release still reads and writes the "
                                 "old name",
                                 old_name, target ? fmt::format(" to `{}`", *target) : ""),
                     "rename");
      } else if (is_op(*module, call, "rename_table")) {
        const code::Argument* old_name = call.positional(0);
        out.report(call.range,
                   fmt::format("upgrade() renames table {}: the previous release still queries the old name",
                               old_name && old_name->value ? fmt::format("`{}`", *old_name->value) : "a table"),
                   "rename");
      } else if (is_op(*module, call, "add_column")) {
        const code::Argument* column = call.positional(is_batch(call) ? 0 : 1);
        if (column == nullptr) continue;
        const std::string_view definition = column->text;
        if (!RE2::PartialMatch(definition, not_null) || text::contains(definition, "server_default") ||
            text::contains(definition, "primary_key=True") || text::contains(definition, "Computed(") ||
            text::contains(definition, "Identity("))
          continue;
        static const RE2 name(R"re(Column\(\s*["']([^"']+)["'])re");
        std::string column_name;
        RE2::PartialMatch(definition, name, &column_name);
        out.report(call.range,
                   fmt::format("upgrade() adds NOT NULL column {} without a server_default: the previous release's "
                               "INSERTs do not set it and fail",
                               column_name.empty() ? "a column" : fmt::format("`{}`", column_name)),
                   "not-null:" + column_name);
      } else if (is_op(*module, call, "execute")) {
        const code::Argument* statement = call.positional(0);
        if (statement && RE2::PartialMatch(statement->text, sql_rename))
          out.report(call.range, "upgrade() renames a column or table in SQL: the previous release still uses the old name",
                     "rename-sql");
      }
    }
  }

 private:
  // `batch_op.alter_column("name", ...)` names no table: the batch does.
  static bool is_batch(const code::Call& call) { return call.callee.starts_with("batch_op."); }
};

}  // namespace compatible_migrations_check
}  // namespace

std::unique_ptr<engine::Check> make_compatible_migrations_check() {
  return engine::make_check<compatible_migrations_check::CompatibleMigrationsCheck>();
}

}  // namespace constable::checks::database

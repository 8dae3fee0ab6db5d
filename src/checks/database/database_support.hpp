#pragma once
// What the database checks share: which Python files hold application code
// (not tests, not migrations), which classes are SQLModel tables and what
// their table names are, and the engines a file creates.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "code/model.hpp"
#include "core/types.hpp"

namespace constable::checks::database {

bool is_python_path(std::string_view path);
// Tests, fixtures and conftest.py: engines and models there serve the tests.
bool is_test_path(std::string_view path);
// Tutorials and examples kept with a library's documentation (docs_src/,
// examples/): they show the library's defaults, not the project's models.
bool is_sample_path(std::string_view path);
// Application code: Python, not a test, not a sample.
bool is_application_python(std::string_view path);
// Alembic's environment and revisions (a versions/ directory, env.py).
bool is_migration_path(std::string_view path);

// A Python file under a `versions/` directory: where Alembic keeps its
// revisions.
bool is_revision_path(std::string_view path);

// The class of `module` named `name`, following nothing; null when absent.
const code::Class* local_class(const code::Module& module, std::string_view name);

// `table=True` among the class keywords (SQLModel's table models).
bool is_sqlmodel_table(const code::Class& model);

// The value of a string literal's source ("'heroes'" -> heroes); nullopt for
// anything else (f-strings, expressions).
std::optional<std::string> string_literal(std::string_view source);

// The table name a class declares with `__tablename__ = "..."`.
struct TableName {
  std::string name;
  SourceRange range;  // the assignment, or the class name for a derived one
  bool derived = false;     // SQLModel's default: the class name lower-cased
};

// The table name of a model class: an explicit literal `__tablename__`, or
// SQLModel's default when the class is a table model and every base up to
// SQLModel is a class of the same file that declares no `__tablename__`
// (a base elsewhere may derive the name its own way: nullopt then).
std::optional<TableName> table_name(const code::Module& module, const code::Class& model);

// The class and its ancestors defined in the same file, the class first.
std::vector<const code::Class*> local_lineage(const code::Module& module, const code::Class& model);

// Whether the class reaches sqlmodel.SQLModel through bases of the same file.
bool derives_from_sqlmodel(const code::Module& module, const code::Class& model);

// Calls of sqlalchemy/sqlmodel create_engine and create_async_engine.
bool is_engine_factory(const code::Module& module, const code::Call& call);

// Whether a call's arguments include `**options`, which may set anything.
bool has_spread_arguments(const code::Call& call);

// Whether the engine's URL is SQLite's (literal, or a name that says so):
// pooling and statement timeouts do not apply to a file.
bool is_sqlite_engine(const code::Module& module, const code::Call& call);

}  // namespace constable::checks::database

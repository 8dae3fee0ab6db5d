#include "checks/database/database_support.hpp"

#include <set>

#include "core/text.hpp"

namespace constable::checks::database {

bool is_python_path(std::string_view path) { return path.ends_with(".py"); }

bool is_test_path(std::string_view path) {
  const std::string_view name = text::basename(path);
  if (name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py") return true;
  for (const std::string_view dir : {"tests/", "test/", "testing/", "fixtures/"})
    if (path.starts_with(dir) || text::contains(path, "/" + std::string(dir))) return true;
  return false;
}

bool is_sample_path(std::string_view path) {
  for (const std::string_view dir : {"docs_src/", "docs/", "examples/", "example/", "tutorials/", "tutorial/"})
    if (path.starts_with(dir) || text::contains(path, "/" + std::string(dir))) return true;
  return false;
}

bool is_application_python(std::string_view path) {
  return is_python_path(path) && !is_test_path(path) && !is_sample_path(path);
}

bool is_revision_path(std::string_view path) {
  return is_python_path(path) && (path.starts_with("versions/") || text::contains(path, "/versions/"));
}

bool is_migration_path(std::string_view path) {
  return text::contains(path, "/versions/") || path.starts_with("versions/") || text::basename(path) == "env.py" ||
         text::contains(path, "alembic/") || text::contains(path, "migrations/");
}

const code::Class* local_class(const code::Module& module, std::string_view name) {
  for (const auto& c : module.classes)
    if (c.name == name) return &c;
  return nullptr;
}

bool is_sqlmodel_table(const code::Class& model) {
  const code::Argument* table = model.keyword("table");
  return table != nullptr && table->text == "True";
}

std::optional<std::string> string_literal(std::string_view source) {
  source = text::trim(source);
  if (source.size() < 2) return std::nullopt;
  const char quote = source.front();
  if ((quote != '"' && quote != '\'') || source.back() != quote) return std::nullopt;
  const std::string_view inner = source.substr(1, source.size() - 2);
  if (inner.find(quote) != std::string_view::npos || inner.find('\\') != std::string_view::npos) return std::nullopt;
  return std::string(inner);
}

namespace {

bool declares_tablename(const code::Module& module, const code::Class& model) {
  if (model.field("__tablename__") != nullptr) return true;
  const auto index = static_cast<int>(&model - module.classes.data());
  for (const auto& function : module.functions)
    if (function.owner_class == index && function.name == "__tablename__") return true;
  return false;
}

bool is_sqlmodel_base(const code::Module& module, std::string_view base) {
  const std::string qualified = module.qualified(base);
  return qualified == "sqlmodel.SQLModel" || qualified == "sqlmodel.main.SQLModel";
}

// Every base up to SQLModel is known and none names the table itself.
bool default_name_applies(const code::Module& module, const code::Class& model, int depth) {
  if (depth > 16) return false;
  bool reaches_sqlmodel = false;
  for (const auto& base : model.bases) {
    if (is_sqlmodel_base(module, base)) {
      reaches_sqlmodel = true;
      continue;
    }
    const code::Class* parent = local_class(module, base);
    if (parent == nullptr || parent == &model || declares_tablename(module, *parent)) return false;
    if (!default_name_applies(module, *parent, depth + 1)) return false;
    reaches_sqlmodel = true;
  }
  return reaches_sqlmodel;
}

}  // namespace

std::optional<TableName> table_name(const code::Module& module, const code::Class& model) {
  if (const code::Field* field = model.field("__tablename__")) {
    auto name = string_literal(field->value);
    if (!name) return std::nullopt;
    return TableName{*name, field->range, false};
  }
  if (!is_sqlmodel_table(model) || declares_tablename(module, model)) return std::nullopt;
  if (!default_name_applies(module, model, 0)) return std::nullopt;
  return TableName{text::to_lower(model.name), model.name_range, true};
}

std::vector<const code::Class*> local_lineage(const code::Module& module, const code::Class& model) {
  std::vector<const code::Class*> lineage{&model};
  std::set<const code::Class*> seen{&model};
  for (std::size_t i = 0; i < lineage.size() && lineage.size() < 32; ++i)
    for (const auto& base : lineage[i]->bases)
      if (const code::Class* parent = local_class(module, base); parent && seen.insert(parent).second)
        lineage.push_back(parent);
  return lineage;
}

bool derives_from_sqlmodel(const code::Module& module, const code::Class& model) {
  for (const code::Class* c : local_lineage(module, model))
    for (const auto& base : c->bases)
      if (is_sqlmodel_base(module, base)) return true;
  return false;
}

bool is_engine_factory(const code::Module& module, const code::Call& call) {
  const std::string_view method = call.method();
  if (method != "create_engine" && method != "create_async_engine") return false;
  const std::string qualified = module.qualified(call.callee);
  return qualified.starts_with("sqlalchemy.") || qualified.starts_with("sqlmodel.");
}

bool has_spread_arguments(const code::Call& call) {
  for (const auto& argument : call.arguments)
    if (argument.keyword.empty() && argument.text.starts_with("**")) return true;
  return false;
}

bool is_sqlite_engine(const code::Module& module, const code::Call& call) {
  const code::Argument* url = call.positional(0);
  if (url == nullptr) url = call.keyword("url");
  // `if dialect == "sqlite": engine = create_engine(...)`: the branch says so.
  for (code::Node inner = call.node, outer = inner.parent(); outer; inner = outer, outer = outer.parent())
    if ((outer.is("if_statement") || outer.is("elif_clause")) && outer.field("consequence") == inner &&
        text::icontains(outer.field("condition").text(), "sqlite"))
      return true;
  if (url == nullptr) return false;
  if (text::icontains(url->text, "sqlite")) return true;
  // `engine = create_engine(url)` with `url = "sqlite:///..."` in the same file.
  for (const auto& assignment : module.assignments)
    if (assignment.target == url->text && text::icontains(assignment.value, "sqlite")) return true;
  return false;
}

}  // namespace constable::checks::database

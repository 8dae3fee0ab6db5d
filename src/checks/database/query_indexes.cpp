// database/query-indexes: "Indexes MUST be declared for frequently queried
// columns".

#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace query_indexes_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/query-indexes",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Index the columns the application's queries filter on",
    .rationale =
        "A `where` on a column without an index reads the whole table: fast on a developer's hundred rows, "
        "a sequential scan on every request once the table has millions, and the slowest queries hold "
        "connections the rest of the application waits for. PostgreSQL indexes primary keys and unique "
        "columns by itself, but not foreign keys or anything else a query filters on.",
    .remediation =
        "Declare the index on the column (`Field(index=True)`, `mapped_column(index=True)`, or an Index in "
        "`__table_args__`) and add it with an Alembic migration (`op.create_index`).",
    .bad_example =
        "class Item(SQLModel, table=True):\n    __tablename__ = \"items\"\n"
        "    id: int | None = Field(default=None, primary_key=True)\n"
        "    owner_id: int = Field(foreign_key=\"users.id\")\n\n"
        "statement = select(Item).where(Item.owner_id == user.id)\n",
    .good_example =
        "class Item(SQLModel, table=True):\n    __tablename__ = \"items\"\n"
        "    id: int | None = Field(default=None, primary_key=True)\n"
        "    owner_id: int = Field(foreign_key=\"users.id\", index=True)\n\n"
        "statement = select(Item).where(Item.owner_id == user.id)\n",
    .parameters = "",
    .clause = {.section = "(sqlmodel|model|database)", .text = "index(es)?.*quer(y|ied|ies)"},
    .file_kind = FileKind::source,
    .stack = "",  // models are recognised in the code, SQLModel's or SQLAlchemy's
    .scope = engine::Scope::repository,
};

struct Column {
  std::string path;
  SourceRange range;
  bool indexed = false;
  bool boolean = false;
};

struct Model {
  std::string table;  // "" when the table's name is derived out of view
  std::map<std::string, Column, std::less<>> columns;
};

// Keywords that give a column an index of its own (the first column of a
// composite primary key or unique constraint is indexed too).
bool declares_index(std::string_view call) {
  static const RE2 keyword(R"re(\b(index|unique|primary_key)\s*=\s*True\b)re");
  return RE2::PartialMatch(call, keyword);
}

// `bool`, `bool | None`, `Mapped[bool]`: a column of two values gains little from an index.
bool is_boolean(std::string_view annotation) {
  static const RE2 boolean(R"(\bbool\b)");
  return RE2::PartialMatch(annotation, boolean);
}

bool is_column_call(const code::Call& call) {
  const std::string_view method = call.method();
  return method == "Field" || method == "Column" || method == "mapped_column";
}

void collect_models(const workspace::File& file, const code::Module& module, std::map<std::string, Model>& models) {
  for (const auto& model : module.classes) {
    const bool table = is_sqlmodel_table(model) || model.field("__tablename__") != nullptr;
    if (!table) continue;
    Model& entry = models[model.name];
    if (const auto name = table_name(module, model)) entry.table = name->name;
    std::string table_args;
    for (const code::Class* c : local_lineage(module, model)) {
      if (const code::Field* args = c->field("__table_args__")) table_args += args->value;
      for (const auto& field : c->fields) {
        if (field.name.starts_with("__") || field.call < 0) continue;
        const code::Call& call = module.calls[static_cast<std::size_t>(field.call)];
        if (!is_column_call(call)) continue;
        Column column{file.path, field.range, declares_index(call.node.text()),
                      is_boolean(field.annotation) || text::contains(call.node.text(), "Boolean")};
        entry.columns.emplace(field.name, std::move(column));
      }
    }
    // `__table_args__ = (Index("ix_heroes_name", "name"), UniqueConstraint("email"),)`
    for (auto& [name, column] : entry.columns)
      if (text::contains(table_args, fmt::format("\"{}\"", name)) || text::contains(table_args, fmt::format("'{}'", name)))
        column.indexed = true;
  }
}

// `op.create_index("ix", "heroes", ["name"])` in migrations, and indexes
// declared apart from the models: (table, column), table "" when unknown.
void collect_created_indexes(const code::Module& module, std::set<std::pair<std::string, std::string>>& indexes) {
  static const RE2 quoted(R"re(["']([A-Za-z_][A-Za-z0-9_]*)["'])re");
  for (const auto& call : module.calls) {
    const std::string_view method = call.method();
    // `sa.Column("email", sa.String(), index=True)` in op.create_table.
    if (method == "Column" && declares_index(call.node.text()))
      if (const code::Argument* name = call.positional(0); name && name->value) indexes.insert({"", *name->value});
    if (method != "create_index" && method != "Index") continue;
    std::string table;
    if (method == "create_index") {
      const code::Argument* name = call.keyword("table_name");
      if (name == nullptr) name = call.positional(1);
      if (name && name->value) table = *name->value;
    }
    for (std::size_t i = method == "create_index" ? 2 : 1; i < call.arguments.size(); ++i) {
      const code::Argument& argument = call.arguments[i];
      if (!argument.keyword.empty() && argument.keyword != "columns") continue;
      re2::StringPiece input(argument.text);
      std::string column;
      while (RE2::FindAndConsume(&input, quoted, &column)) indexes.insert({table, column});
      // sa.Index("ix", Hero.name): the attribute names the column.
      static const RE2 attribute(R"(\.([a-z_][a-z0-9_]*)\b)");
      input = re2::StringPiece(argument.text);
      while (RE2::FindAndConsume(&input, attribute, &column)) indexes.insert({"", column});
    }
  }
}

// How many queries make a column "frequently queried".
constexpr std::size_t kFrequentQueries = 2;

// One-off administration: backfills, seeds and management commands.
bool is_operational_path(std::string_view path) {
  return path.starts_with("scripts/") || text::contains(path, "/scripts/") ||
         text::contains(path, "management/commands/");
}

// `Hero.name` or `models.Hero.name`: (model, column) when the attribute
// reads a column of a class.
std::optional<std::pair<std::string, std::string>> column_of(const code::Node& node) {
  if (!node.is("attribute")) return std::nullopt;
  const code::Node object = node.field("object");
  const std::string_view model = object.is("attribute") ? object.field("attribute").text() : object.text();
  if (!object.is("identifier") && !object.is("attribute")) return std::nullopt;
  const std::string_view column = node.field("attribute").text();
  if (model.empty() || column.empty() || !std::isupper(static_cast<unsigned char>(model.front())) ||
      std::isupper(static_cast<unsigned char>(column.front())))
    return std::nullopt;
  return std::pair{std::string(model), std::string(column)};
}

bool is_constant(const code::Node& node) {
  return node.is("none") || node.is("true") || node.is("false");
}

// The columns a where()/filter() argument compares with a value:
// `Hero.name == name`, `Hero.age > 30`, `Item.owner_id.in_(ids)`. A
// comparison of two columns is a join condition; one with None, True or
// False a predicate on a state; a column inside arithmetic is no filter on it.
std::vector<std::pair<std::string, std::string>> filtered_columns(const code::Node& argument) {
  std::vector<std::pair<std::string, std::string>> found;
  argument.walk([&](const code::Node& node) {
    if (node.is("comparison_operator")) {
      std::vector<std::pair<std::string, std::string>> columns;
      bool constant = false;
      for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
        const code::Node operand = node.named_child(i);
        if (auto column = column_of(operand)) columns.push_back(std::move(*column));
        constant = constant || is_constant(operand);
      }
      if (columns.size() == 1 && !constant) found.push_back(std::move(columns.front()));
    } else if (node.is("call")) {
      const code::Node function = node.field("function");
      if (function.is("attribute")) {
        const std::string_view method = function.field("attribute").text();
        if (method == "in_" || method == "like" || method == "ilike" || method == "between" ||
            method == "startswith" || method == "contains")
          if (auto column = column_of(function.field("object"))) found.push_back(std::move(*column));
      }
    }
    return true;
  });
  return found;
}

struct Use {
  std::string path;
  int line = 0;
};

class QueryIndexesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    std::map<std::string, Model> models;
    std::set<std::pair<std::string, std::string>> created;
    std::vector<std::pair<const workspace::File*, const code::Module*>> application;
    std::vector<const workspace::File*> candidates;
    for (const auto& file : repository.workspace().files)
      if (is_python_path(file.path) && !is_test_path(file.path) && !is_sample_path(file.path)) candidates.push_back(&file);
    repository.prefetch_code(candidates);  // on every thread, before the loop reads them one by one
    for (const auto& file : repository.workspace().files) {
      if (!is_python_path(file.path) || is_test_path(file.path) || is_sample_path(file.path)) continue;
      const code::Module* module = repository.code(file);
      if (module == nullptr) continue;
      collect_created_indexes(*module, created);
      if (is_migration_path(file.path)) continue;
      collect_models(file, *module, models);
      application.emplace_back(&file, module);
    }
    if (models.empty()) return;
    // Every comparison of a model's column, with the function it is in.
    struct Comparison {
      std::string model;
      std::string column;
      Use use;
      std::string scope;  // "path#function"
    };
    std::vector<Comparison> comparisons;
    std::set<std::string> joined_scopes;
    for (const auto& [file, module] : application) {
      if (is_operational_path(file->path)) continue;
      for (const auto& call : module->calls) {
        const std::string_view method = call.method();
        const std::string scope = fmt::format("{}#{}", file->path, call.function);
        // A joined query reaches its rows through the join's keys: which
        // index serves it is the planner's choice, not readable here.
        if (method == "join" || method == "outerjoin" || method == "join_from") joined_scopes.insert(scope);
        if (method != "where" && method != "filter") continue;
        for (const auto& argument : call.arguments)
          for (const auto& [model, column] : filtered_columns(argument.node))
            comparisons.push_back({model, column, {file->path, argument.range.line}, scope});
      }
    }
    const auto indexed = [&](const std::string& model_name, const std::string& column_name) -> std::optional<bool> {
      const auto model = models.find(model_name);
      if (model == models.end()) return std::nullopt;
      const auto column = model->second.columns.find(column_name);
      if (column == model->second.columns.end()) return std::nullopt;
      return column->second.indexed || created.contains({"", column_name}) ||
             (!model->second.table.empty() && created.contains({model->second.table, column_name}));
    };
    // A function that also filters the model on an indexed column (or on one
    // this check cannot see, such as an inherited primary key) reaches its
    // rows through that index: the other columns only narrow them.
    std::set<std::pair<std::string, std::string>> served;  // (scope, model)
    for (const auto& comparison : comparisons)
      if (indexed(comparison.model, comparison.column).value_or(true) || joined_scopes.contains(comparison.scope))
        served.insert({comparison.scope, comparison.model});
    std::map<std::pair<std::string, std::string>, std::set<std::pair<std::string, int>>> unserved;
    for (const auto& comparison : comparisons)
      if (!served.contains({comparison.scope, comparison.model}) && indexed(comparison.model, comparison.column) == false)
        unserved[{comparison.model, comparison.column}].insert({comparison.use.path, comparison.use.line});
    for (const auto& [key, sites] : unserved) {
      // "Frequently queried": one query is not a pattern; two or more are.
      if (sites.size() < kFrequentQueries) continue;
      const Column& column = models.at(key.first).columns.at(key.second);
      if (column.indexed || column.boolean) continue;
      std::string where;
      std::size_t listed = 0;
      for (const auto& [path, line] : sites)
        if (listed++ < 3) where += fmt::format("{}{}:{}", listed == 1 ? "" : ", ", path, line);
      if (sites.size() > 3) where += fmt::format(" and {} more", sites.size() - 3);
      out.emit({.range = column.range,
                .message = fmt::format("`{}.{}` is filtered on by {} queries that reach `{}` through no index ({}), and "
                                       "declares none",
                                       key.first, key.second, sites.size(), key.first, where),
                .path_override = column.path,
                .anchor = fmt::format("{}.{}", key.first, key.second)});
    }
  }
};

}  // namespace query_indexes_check
}  // namespace

std::unique_ptr<engine::Check> make_query_indexes_check() {
  return engine::make_check<query_indexes_check::QueryIndexesCheck>();
}

}  // namespace constable::checks::database

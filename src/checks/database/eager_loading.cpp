// database/eager-loading: "N+1 query problems MUST be eliminated via eager
// loading".

#include <map>
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
namespace eager_loading_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/eager-loading",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Load a relationship eagerly when a loop reads it on every row of a query",
    .rationale =
        "A relationship is loaded lazily by default: reading `hero.team` for each hero of a query sends one "
        "more query per row (the N+1 problem), so a page of 100 rows costs 101 round trips and its latency "
        "grows with the data. In async code the lazy load is not even allowed and raises MissingGreenlet. "
        "selectinload() or joinedload() loads the relationship for all rows in one or two queries.",
    .remediation =
        "Add the loader option to the query: `select(Hero).options(selectinload(Hero.team))` (joinedload for "
        "many-to-one), or declare the relationship eager (`sa_relationship_kwargs={\"lazy\": \"selectin\"}`).",
    .bad_example =
        "heroes = session.exec(select(Hero)).all()\nfor hero in heroes:\n    print(hero.team.name)\n",
    .good_example =
        "heroes = session.exec(select(Hero).options(selectinload(Hero.team))).all()\nfor hero in heroes:\n"
        "    print(hero.team.name)\n",
    .parameters = "",
    .clause = {.section = "(sqlmodel|database|query)", .text = "n\\+1"},
    .file_kind = FileKind::source,
    .stack = "",  // relationships are recognised in the models, SQLModel's or SQLAlchemy's
    .scope = engine::Scope::repository,
};

// Relationship attributes that load lazily, by model class name.
using LazyRelationships = std::map<std::string, std::set<std::string>, std::less<>>;

bool loads_lazily(const code::Call& call) {
  static const RE2 lazy(R"re(lazy["']?\s*[:=]\s*["']?(\w+))re");
  std::string strategy;
  if (!RE2::PartialMatch(call.node.text(), lazy, &strategy)) return true;
  return strategy == "select" || strategy == "True";
}

bool is_model(const code::Class& model) { return is_sqlmodel_table(model) || model.field("__tablename__") != nullptr; }

void collect_relationships(const code::Module& module, LazyRelationships& relationships) {
  for (const auto& model : module.classes) {
    if (!is_model(model)) continue;
    for (const code::Class* c : local_lineage(module, model))
      for (const auto& field : c->fields) {
        if (field.call < 0) continue;
        const code::Call& call = module.calls[static_cast<std::size_t>(field.call)];
        const bool sqlmodel = call.method() == "Relationship";
        if (!sqlmodel && module.qualified(call.callee) != "sqlalchemy.orm.relationship") continue;
        if (loads_lazily(call)) relationships[model.name].insert(field.name);
        // `relationship("Team", backref="heroes")` gives Team a `heroes` attribute.
        const code::Argument* backref = call.keyword("backref");
        const code::Argument* target = call.positional(0);
        if (backref && backref->value && target) {
          const std::string name = target->value ? *target->value : target->text;
          relationships[name].insert(*backref->value);
        }
      }
  }
}

struct Binding {
  std::uint32_t at = 0;
  code::Node value;
};

// What a function assigns to plain names, in order.
std::map<std::string, std::vector<Binding>, std::less<>> bindings_of(const code::Node& scope) {
  std::map<std::string, std::vector<Binding>, std::less<>> bindings;
  scope.walk([&](const code::Node& node) {
    if (node.is("assignment") && node.field("left").is("identifier") && node.field("right"))
      bindings[std::string(node.field("left").text())].push_back({node.start_byte(), node.field("right")});
    return true;
  });
  return bindings;
}

struct QueryOrigin {
  std::string model;     // the one entity selected
  std::string sources;   // every expression the rows come through, for loader options
};

class Resolver {
 public:
  Resolver(const code::Module& module, const code::Node& scope) : bindings_(bindings_of(scope)) {
    const std::string select = module.qualified("select");
    select_is_orm_ = select.starts_with("sqlmodel.") || select.starts_with("sqlalchemy.");
  }

  std::optional<QueryOrigin> origin(const code::Node& expression, std::uint32_t before, int depth = 0) const {
    if (depth > 4 || !expression) return std::nullopt;
    // Rows come from a name or a call; `hero.team_links` iterates a row's
    // relationship, not a query's result.
    const code::Node value = expression.is("await") ? expression.named_child(0) : expression;
    if (!value.is("identifier") && !value.is("call")) return std::nullopt;
    const std::string_view source = expression.text();
    // One row (`.one()`, `.first()`, `.get(...)`) is not a result to loop over.
    static const RE2 single_row(R"(\.(one|first|one_or_none|scalar_one|scalar_one_or_none|scalar|get)\([^()]*\)\s*$)");
    if (RE2::PartialMatch(source, single_row)) return std::nullopt;
    static const RE2 select(R"(\bselect\(\s*([A-Z][A-Za-z0-9_]*)\s*\))");
    static const RE2 query(R"(\.query\(\s*([A-Z][A-Za-z0-9_]*)\s*\))");
    std::string model;
    if ((select_is_orm_ && RE2::PartialMatch(source, select, &model)) || RE2::PartialMatch(source, query, &model))
      return QueryOrigin{model, std::string(source)};
    // Through the names the expression reads: `heroes = result.scalars().all()`.
    static const RE2 identifier(R"(\b([A-Za-z_][A-Za-z0-9_]*)\b)");
    re2::StringPiece input(source.data(), source.size());
    std::string name;
    while (RE2::FindAndConsume(&input, identifier, &name)) {
      const auto found = bindings_.find(name);
      if (found == bindings_.end()) continue;
      const Binding* latest = nullptr;
      for (const auto& binding : found->second)
        if (binding.at < before) latest = &binding;
      if (latest == nullptr) continue;
      if (auto origin = this->origin(latest->value, latest->at, depth + 1)) {
        origin->sources += "\n";
        origin->sources += source;
        return origin;
      }
    }
    return std::nullopt;
  }

 private:
  std::map<std::string, std::vector<Binding>, std::less<>> bindings_;
  bool select_is_orm_ = false;
};

constexpr std::string_view kLoaders[] = {"selectinload", "joinedload", "subqueryload", "contains_eager",
                                         "immediateload", "raiseload", "defaultload", "Load("};

// Whether the query's options load `relationship`, or say something this
// check cannot read (options built elsewhere).
bool loaded_or_unknown(std::string_view sources, std::string_view relationship) {
  if (!text::contains(sources, "options(")) return false;
  bool loader = false;
  for (const std::string_view name : kLoaders) loader = loader || text::contains(sources, name);
  if (!loader) return true;
  const RE2 mention(fmt::format(R"re([.'"]{}\b|["']\*["'])re", relationship));
  return RE2::PartialMatch(sources, mention);
}

struct Loop {
  code::Node target;    // the loop variable
  code::Node iterable;
  code::Node body;      // what runs per row
};

std::vector<Loop> loops_of(const code::Node& root) {
  std::vector<Loop> loops;
  root.walk([&](const code::Node& node) {
    // A nested function is a function of its own, checked with its own names.
    if (node.is("function_definition") || node.is("class_definition")) return false;
    if (node.is("for_statement")) {
      loops.push_back({node.field("left"), node.field("right"), node.field("body")});
    } else if (node.is("list_comprehension") || node.is("set_comprehension") || node.is("generator_expression") ||
               node.is("dictionary_comprehension")) {
      for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
        const code::Node clause = node.named_child(i);
        if (clause.is("for_in_clause")) loops.push_back({clause.field("left"), clause.field("right"), node.field("body")});
      }
    }
    return true;
  });
  return loops;
}

class EagerLoadingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    std::vector<std::pair<const workspace::File*, const code::Module*>> modules;
    LazyRelationships relationships;
    std::vector<const workspace::File*> candidates;
    for (const auto& file : repository.workspace().files)
      if (is_application_python(file.path) && !is_migration_path(file.path)) candidates.push_back(&file);
    repository.prefetch_code(candidates);  // on every thread, before the loop reads them one by one
    for (const auto& file : repository.workspace().files) {
      if (!is_application_python(file.path) || is_migration_path(file.path)) continue;
      const code::Module* module = repository.code(file);
      if (module == nullptr || !module->tree) continue;
      collect_relationships(*module, relationships);
      modules.emplace_back(&file, module);
    }
    if (relationships.empty()) return;
    for (const auto& [file, module] : modules) check_module(*file, *module, relationships, out);
  }

 private:
  static void check_module(const workspace::File& file, const code::Module& module,
                           const LazyRelationships& relationships, engine::Emitter& out) {
    for (const auto& function : module.functions) {
      if (!function.body) continue;
      const Resolver resolver(module, function.body);
      for (const Loop& loop : loops_of(function.body)) {
        if (!loop.target.is("identifier") || !loop.body) continue;
        const auto origin = resolver.origin(loop.iterable, loop.iterable.start_byte());
        if (!origin) continue;
        const auto model = relationships.find(origin->model);
        if (model == relationships.end()) continue;
        const std::string_view variable = loop.target.text();
        std::set<std::string> reported;
        loop.body.walk([&](const code::Node& node) {
          if (!node.is("attribute") || !node.field("object").is("identifier") || node.field("object").text() != variable)
            return true;
          const std::string attribute(node.field("attribute").text());
          if (!model->second.contains(attribute) || reported.contains(attribute)) return true;
          const code::Node parent = node.parent();
          if (parent.is("assignment") && parent.field("left") == node) return true;  // a write loads nothing
          if (loaded_or_unknown(origin->sources, attribute)) return true;
          reported.insert(attribute);
          out.emit({.range = node.range(),
                    .message = fmt::format("`{}.{}` loads relationship `{}.{}` lazily for each row of the query on "
                                           "line {}, one more query per row (N+1): load it with "
                                           "selectinload({}.{}) or joinedload",
                                           variable, attribute, origin->model, attribute, loop.iterable.line(),
                                           origin->model, attribute),
                    .path_override = file.path,
                    .anchor = fmt::format("{}:{}.{}", function.name, origin->model, attribute)});
          return true;
        });
      }
    }
  }
};

}  // namespace eager_loading_check
}  // namespace

std::unique_ptr<engine::Check> make_eager_loading_check() {
  return engine::make_check<eager_loading_check::EagerLoadingCheck>();
}

}  // namespace constable::checks::database

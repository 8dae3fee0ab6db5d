// database/table-names: "Table names MUST be plural snake_case".

#include <array>
#include <cctype>
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
namespace table_names_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/table-names",
    .domain = "database",
    .nature = Nature::maintainability,
    .summary = "Name every table in plural snake_case",
    .rationale =
        "Table names are read in SQL, migrations, dashboards and by other services long after the model "
        "class is renamed; one convention (plural, lower case, words joined by underscores) makes them "
        "predictable. SQLModel names a table model after its class lower-cased when `__tablename__` is not "
        "set: `Hero` becomes `hero` (singular) and `HeroTeamLink` becomes `heroteamlink` (words run together).",
    .remediation =
        "Set `__tablename__` to the plural snake_case name (`__tablename__ = \"heroes\"`), with an Alembic "
        "migration renaming an existing table.",
    .bad_example =
        "from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n"
        "    id: int | None = Field(default=None, primary_key=True)\n",
    .good_example =
        "from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n"
        "    __tablename__ = \"heroes\"\n\n    id: int | None = Field(default=None, primary_key=True)\n",
    .parameters = "",
    .clause = {.section = "(sqlmodel|database|model)", .text = "table names?.*(plural|snake)"},
    .file_kind = FileKind::source,
    .stack = "",  // any model with a table name: SQLModel's and SQLAlchemy's alike
    .scope = engine::Scope::files_of_kind,
};

bool is_snake_case(std::string_view name) {
  static const RE2 snake(R"([a-z][a-z0-9]*(_[a-z0-9]+)*)");
  return RE2::FullMatch(name, snake);
}

// Nouns that are plural (or have no plural) without ending in s.
constexpr std::array kPluralWithoutS = {
    "data",      "metadata", "media",     "criteria",  "phenomena", "people",    "children", "men",
    "women",     "feet",     "teeth",     "mice",      "geese",     "indices",   "matrices", "vertices",
    "alumni",    "sheep",    "fish",      "deer",      "staff",     "personnel", "equipment", "information",
    "feedback",  "software", "hardware",  "firmware",  "knowledge", "evidence",  "research", "traffic",
};

// Singular nouns that end in s.
constexpr std::array kSingularWithS = {
    "status", "bonus",  "campus", "virus",  "census", "corpus", "focus",  "radius", "nexus",  "consensus",
    "bus",    "plus",   "minus",  "alias",  "canvas", "atlas",  "gas",    "lens",   "chaos",  "ethos",
    "tennis", "iris",   "apparatus", "syllabus", "stimulus", "surplus", "chorus", "octopus", "genus",
};

bool is_plural_word(std::string_view word) {
  for (const std::string_view plural : kPluralWithoutS)
    if (word == plural) return true;
  for (const std::string_view singular : kSingularWithS)
    if (word == singular) return false;
  if (word.ends_with("ss") || word.ends_with("sis") || word.ends_with("xis") || word.ends_with("ous")) return false;
  return word.ends_with('s');
}

bool is_plural(std::string_view name) {
  const std::size_t underscore = name.rfind('_');
  return is_plural_word(underscore == std::string_view::npos ? name : name.substr(underscore + 1));
}

bool has_several_words(std::string_view class_name) {
  int capitals = 0;
  for (const char c : class_name) capitals += std::isupper(static_cast<unsigned char>(c)) ? 1 : 0;
  return capitals > 1 || text::contains(class_name, "_");
}

class TableNamesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return is_application_python(path) && !is_migration_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const code::Module* module = file.code();
    if (module == nullptr) return;
    for (const auto& model : module->classes) {
      const auto table = table_name(*module, model);
      if (!table || table->name.empty()) continue;
      // SQLModel's default runs a class name's words together: `HeroTeamLink`
      // gives `heroteamlink`, which no rule can split back into words.
      const bool snake = is_snake_case(table->name) && (!table->derived || !has_several_words(model.name));
      // Plurality is judged only on a name whose words can be told apart.
      const bool plural = !snake || is_plural(table->name);
      if (snake && plural) continue;
      const std::string_view what = !snake ? "snake_case" : "plural";
      const std::string_view problem = !snake ? "is not snake_case" : "is singular";
      std::string message =
          table->derived
              ? fmt::format("table model `{}` sets no __tablename__, so SQLModel names its table `{}`, which {}: "
                            "the constitution asks for {} table names",
                            model.name, table->name, problem, what)
              : fmt::format("table name `{}` of `{}` {}: the constitution asks for {} table names", table->name,
                            model.name, problem, what);
      out.report(table->range, std::move(message), fmt::format("{}:{}", model.name, table->name));
    }
  }
};

}  // namespace table_names_check
}  // namespace

std::unique_ptr<engine::Check> make_table_names_check() {
  return engine::make_check<table_names_check::TableNamesCheck>();
}

}  // namespace constable::checks::database

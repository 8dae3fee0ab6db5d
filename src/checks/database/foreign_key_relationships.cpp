// database/foreign-key-relationships: "Relationships MUST be explicitly
// defined with Relationship()".

#include <cctype>
#include <optional>
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
namespace foreign_key_relationships_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/foreign-key-relationships",
    .domain = "database",
    .nature = Nature::maintainability,
    .summary = "Declare a Relationship() for every foreign key of a SQLModel table",
    .rationale =
        "A foreign key without a Relationship() leaves every caller to join by hand or to load the related "
        "row with a second query; the relationship documents the link in the model, lets queries load it "
        "eagerly (selectinload) and keeps both sides consistent through back_populates.",
    .remediation =
        "Add the relationship next to the key: `team_id: int | None = Field(foreign_key=\"teams.id\")` with "
        "`team: Team | None = Relationship(back_populates=\"heroes\")`, and its counterpart on the other model.",
    .bad_example =
        "from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    __tablename__ = \"heroes\"\n\n"
        "    id: int | None = Field(default=None, primary_key=True)\n"
        "    team_id: int | None = Field(default=None, foreign_key=\"teams.id\")\n",
    .good_example =
        "from sqlmodel import Field, Relationship, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n"
        "    __tablename__ = \"heroes\"\n\n    id: int | None = Field(default=None, primary_key=True)\n"
        "    team_id: int | None = Field(default=None, foreign_key=\"teams.id\")\n"
        "    team: \"Team\" = Relationship(back_populates=\"heroes\")\n",
    .parameters = "",
    .clause = {.section = "(sqlmodel|model)", .text = "relationships?.*relationship\\(\\)"},
    .file_kind = FileKind::source,
    .stack = "sqlmodel",
    .scope = engine::Scope::files_of_kind,
};

struct ForeignKey {
  const code::Field* field = nullptr;
  std::string target_table;  // "teams" of "teams.id"
};

std::optional<ForeignKey> foreign_key(const code::Module& module, const code::Field& field) {
  if (field.call < 0) return std::nullopt;
  const code::Call& call = module.calls[static_cast<std::size_t>(field.call)];
  if (call.method() != "Field") return std::nullopt;
  // Link tables of many-to-many relationships hold keys that are their primary key.
  if (const auto* primary = call.keyword("primary_key"); primary && primary->text == "True") return std::nullopt;
  std::string target;
  if (const auto* key = call.keyword("foreign_key")) {
    if (!key->value) return std::nullopt;
    target = *key->value;
  } else if (const auto* column = call.keyword("sa_column")) {
    static const RE2 foreign(R"re(ForeignKey\(\s*["']([^"']+)["'])re");
    if (!RE2::PartialMatch(column->text, foreign, &target)) return std::nullopt;
    if (text::contains(column->text, "primary_key=True")) return std::nullopt;
  } else {
    return std::nullopt;
  }
  const std::size_t dot = target.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string table = target.substr(0, dot);
  if (const std::size_t schema = table.rfind('.'); schema != std::string::npos) table = table.substr(schema + 1);
  return ForeignKey{&field, std::move(table)};
}

bool is_relationship(const code::Module& module, const code::Field& field) {
  if (field.call < 0) return false;
  const code::Call& call = module.calls[static_cast<std::size_t>(field.call)];
  const std::string qualified = module.qualified(call.callee);
  return call.method() == "Relationship" || qualified == "sqlalchemy.orm.relationship";
}

// "team_id" -> "team"; "owner_uuid" -> "owner".
std::string key_stem(std::string_view name) {
  for (const std::string_view suffix : {"_id", "_uuid", "_pk", "_key", "_fk"})
    if (name.ends_with(suffix) && name.size() > suffix.size()) return std::string(name.substr(0, name.size() - suffix.size()));
  return std::string(name);
}

// "HeroTeamLink" -> "hero_team_link".
std::string snake(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0 && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// The identifiers an annotation names: `list["Hero"]`, `Team | None`.
std::vector<std::string> annotation_names(std::string_view annotation) {
  static const RE2 identifier(R"(([A-Za-z_][A-Za-z0-9_]*))");
  std::vector<std::string> names;
  re2::StringPiece input(annotation.data(), annotation.size());
  std::string name;
  while (RE2::FindAndConsume(&input, identifier, &name)) names.push_back(name);
  return names;
}

bool names_table(const code::Module& module, std::string_view class_name, std::string_view table) {
  if (const code::Class* target = local_class(module, class_name))
    if (const auto name = table_name(module, *target)) return name->name == table;
  const std::string lower = text::to_lower(class_name);
  const std::string snaked = snake(class_name);
  for (const std::string& form : {lower, snaked})
    if (table == form || table == form + "s" || table == form + "es" ||
        (form.ends_with('y') && table == form.substr(0, form.size() - 1) + "ies"))
      return true;
  return false;
}

class ForeignKeyRelationshipsCheck final : public engine::Check {
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
      if (!is_sqlmodel_table(model)) continue;
      std::vector<ForeignKey> keys;
      std::vector<const code::Field*> relationships;
      for (const code::Class* c : local_lineage(*module, model))
        for (const auto& field : c->fields) {
          if (auto key = foreign_key(*module, field)) keys.push_back(std::move(*key));
          else if (is_relationship(*module, field)) relationships.push_back(&field);
        }
      for (const auto& key : keys) {
        const std::string stem = key_stem(key.field->name);
        bool related = false;
        for (const code::Field* relationship : relationships) {
          if (relationship->name == stem) related = true;
          for (const auto& name : annotation_names(relationship->annotation))
            related = related || names_table(*module, name, key.target_table);
        }
        if (related) continue;
        out.report(key.field->range,
                   fmt::format("`{}.{}` is a foreign key to `{}` with no Relationship() in `{}`: declare the "
                               "relationship it stands for",
                               model.name, key.field->name, key.target_table, model.name),
                   fmt::format("{}.{}", model.name, key.field->name));
      }
    }
  }
};

}  // namespace foreign_key_relationships_check
}  // namespace

std::unique_ptr<engine::Check> make_foreign_key_relationships_check() {
  return engine::make_check<foreign_key_relationships_check::ForeignKeyRelationshipsCheck>();
}

}  // namespace constable::checks::database

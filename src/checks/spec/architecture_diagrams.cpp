// spec/architecture-diagrams: C4 model diagrams exist at every level the
// clause lists ("(Context, Container, Component, Code)").

#include <fmt/format.h>

#include <set>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"
#include "formats/c4/c4.hpp"

namespace constable::checks::spec {

namespace {
namespace architecture_diagrams_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/architecture-diagrams",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Keep C4 model diagrams at every level the constitution lists (Context, Container, Component, Code)",
    .rationale =
        "C4 diagrams at each level answer a different reader's question: how the system fits its world, which "
        "deployable units it has, what is inside each, how a component is coded. Diagrams are recognised in "
        "Structurizr DSL (*.dsl views), C4-PlantUML (*.puml or ```plantuml with !include C4_*.puml) and Mermaid "
        "(*.mmd, ```mermaid blocks in Markdown: C4Context, C4Container, C4Component). The Code level is a class "
        "diagram (Mermaid classDiagram, PlantUML class diagram) or a Structurizr image view; a class diagram counts "
        "only where it documents the architecture: in a file that also holds C4 diagrams or under an "
        "architecture/, arch/, c4/, adr/ or design/ path.",
    .remediation = "Add the missing diagrams, e.g. Mermaid blocks in docs/architecture.md: C4Context, C4Container, "
                   "C4Component, and a classDiagram for the Code level.",
    .bad_example = "```mermaid\nC4Context\n  Person(user, \"User\")\n  System(shop, \"Shop\")\n```\n",
    .good_example = "```mermaid\nC4Context\n  System(shop, \"Shop\")\n```\n```mermaid\nC4Container\n  Container(api, "
                    "\"API\")\n```\n```mermaid\nC4Component\n  Component(orders, \"Orders\")\n```\n```mermaid\n"
                    "classDiagram\n  class Order\n```\n",
    .parameters = "the C4 levels listed in the clause (\"(Context, Container, Component, Code)\")",
    .clause = {.section = "mandatory specification|specification components", .text = "architecture specification|c4 model"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

std::optional<c4::Level> level_named(std::string_view name) {
  for (c4::Level level : {c4::Level::context, c4::Level::container, c4::Level::component, c4::Level::code})
    if (text::iequals(name, c4::to_string(level))) return level;
  return std::nullopt;
}

bool may_hold_diagrams(std::string_view path) {
  const std::string ext = lower_extension(path);
  for (auto e : {"md", "markdown", "mdx", "mmd", "mermaid", "puml", "plantuml", "pu", "iuml", "wsd", "dsl"})
    if (ext == e) return true;
  return false;
}

class ArchitectureDiagramsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    levels_.clear();
    for (const std::string& remark : constitution::capture_parentheticals(clause.text)) {
      for (const std::string& item : constitution::capture_list(remark)) {
        const auto level = level_named(text::trim(item));
        if (!level) return fail(fmt::format("'{}' is not a C4 level (Context, Container, Component, Code)", item));
        levels_.push_back(*level);
      }
    }
    if (levels_.empty()) return fail("the clause lists no C4 levels (expected e.g. \"(Context, Container, Component, Code)\")");
    return {};
  }

  std::string bound_parameters() const override {
    std::string out = "levels:";
    for (auto level : levels_) out += fmt::format(" {}", c4::to_string(level));
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    std::set<c4::Level> found;
    const workspace::File* first_file = nullptr;
    int first_line = 0;
    for (const auto& file : repo.workspace().files) {
      if (!may_hold_diagrams(file.path) || lower_basename(file.path).find("constitution") != std::string::npos) continue;
      const std::string* content = read(repo, file);
      if (content == nullptr) continue;
      for (const c4::Diagram& d : c4::detect(file.path, *content)) {
        found.insert(d.level);
        if (first_file == nullptr && d.level != c4::Level::code) {
          first_file = &file;
          first_line = d.line;
        }
      }
    }
    std::string absent;
    for (auto level : levels_)
      if (!found.contains(level)) absent += fmt::format("{}{}", absent.empty() ? "" : ", ", c4::to_string(level));
    if (absent.empty()) return;
    if (first_file == nullptr) {
      out.emit(missing(fmt::format(
          "no C4 model diagrams (missing levels: {}): looked for Structurizr DSL views (*.dsl), C4-PlantUML "
          "(!include C4_*.puml) and Mermaid C4Context/C4Container/C4Component blocks in Markdown and *.mmd files",
          absent)));
      return;
    }
    out.emit(at(first_file->path, first_line, 0,
                fmt::format("the C4 diagrams have no {} level{} (a Code level is a class diagram beside the C4 "
                            "diagrams or in architecture docs, or a Structurizr image view)",
                            absent, absent.find(',') != std::string::npos ? "s" : "")));
  }

 private:
  std::vector<c4::Level> levels_;
};

}  // namespace architecture_diagrams_check
}  // namespace

std::unique_ptr<engine::Check> make_architecture_diagrams_check() {
  return engine::make_check<architecture_diagrams_check::ArchitectureDiagramsCheck>();
}

}  // namespace constable::checks::spec

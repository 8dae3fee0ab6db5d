// spec/gherkin-scenarios: test scenarios are written in Gherkin that parses,
// and every scenario states its expected outcome (Given-When-Then).

#include <fmt/format.h>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"
#include "core/text.hpp"
#include "formats/gherkin/gherkin.hpp"

namespace constable::checks::spec {

namespace {
namespace gherkin_scenarios_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/gherkin-scenarios",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Write test scenarios as Gherkin .feature files that parse, each scenario with a Then",
    .rationale =
        "Gherkin scenarios are the executable statement of expected behaviour; a file that does not parse runs "
        "nothing, and a scenario without a Then step checks nothing. Every *.feature file is parsed (English "
        "keywords: Feature, Rule, Background, Scenario/Example, Scenario Outline/Template, Examples, "
        "Given/When/Then/And/But/*, tags, doc strings, data tables); parse errors are reported where they are. "
        "And, But and * after a Then count as Then. Scenario Outlines are held to the same rule.",
    .remediation = "Fix the reported Gherkin syntax; give each scenario a Then step stating the observable outcome.",
    .bad_example = "Feature: Checkout\n  Scenario: Pay\n    Given a cart with 2 items\n    When I pay\n",
    .good_example = "Feature: Checkout\n  Scenario: Pay\n    Given a cart with 2 items\n    When I pay\n    Then "
                    "an order is created\n",
    .parameters = "the step structure named in the clause (\"Given-When-Then\": a Then is required)",
    .clause = {.section = "mandatory specification|specification components", .text = "testing specification|gherkin"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

class GherkinScenariosCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    require_then_ = text::icontains(clause.text, "then");
    return {};
  }

  std::string bound_parameters() const override {
    return require_then_ ? "every scenario needs a Then step" : "Gherkin files must parse";
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    int features = 0;
    for (const auto& file : repo.workspace().files) {
      if (file.kind != FileKind::gherkin) continue;
      const std::string* content = read(repo, file);
      if (content == nullptr) continue;
      ++features;
      const gherkin::Document doc = gherkin::parse(*content);
      for (const auto& error : doc.errors)
        out.emit(at(file.path, error.line, error.column, fmt::format("Gherkin: {}", error.message)));
      if (!require_then_ || !doc.feature) continue;
      for (const gherkin::Scenario* scenario : gherkin::all_scenarios(*doc.feature)) {
        if (gherkin::has_outcome(*scenario)) continue;
        out.emit(at(file.path, scenario->line, scenario->column,
                    fmt::format("{} '{}' has no Then step: it states no expected outcome", scenario->keyword,
                                scenario->name)));
      }
    }
    if (features == 0)
      out.emit(missing("no Gherkin test scenarios: looked for *.feature files anywhere in the repository"));
  }

 private:
  bool require_then_ = true;
};

}  // namespace gherkin_scenarios_check
}  // namespace

std::unique_ptr<engine::Check> make_gherkin_scenarios_check() {
  return engine::make_check<gherkin_scenarios_check::GherkinScenariosCheck>();
}

}  // namespace constable::checks::spec

// Constitution Markdown: clauses, ids, the version footer, the Sync Impact
// Report and the severity policy, then every built-in check bound to it
// (clause matchers and parameter capture run on the clause text); then
// `constitution lint` on it, and `diff`, `amend` and the transition
// schedule from its first half to the whole.

#include <cstddef>
#include <cstdint>
#include <string>

#include "constitution/amend.hpp"
#include "constitution/diff.hpp"
#include "constitution/lint.hpp"
#include "constitution/model.hpp"
#include "constitution/transition.hpp"
#include "engine/catalog.hpp"
#include "engine/config.hpp"
#include "engine/plan.hpp"
#include "fuzz_support.hpp"
#include "workspace/workspace.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  (void)constitution::lint(text, "CONSTITUTION.md", {.today = *Date::parse("2026-12-05")});
  const auto constitution = constitution::parse(text, "CONSTITUTION.md");
  if (!constitution) return 0;
  if (const auto first_half = constitution::parse(text.substr(0, text.size() / 2), "OLD.md")) {
    const auto change = constitution::diff(*first_half, *constitution);
    (void)constitution::render_diff_text(change);
    (void)constitution::render_diff_json(change);
    const auto to = constitution::bumped(change.version_after.empty() ? "1.0.0" : change.version_after,
                                         constitution::Bump::major);
    if (to) (void)constitution::amend(text, change, *to, *Date::parse("2026-12-05"));
    const constitution::ConstitutionVersion versions[] = {{&*constitution, std::nullopt, "new"},
                                                          {&*first_half, *Date::parse("2026-01-03"), "old"}};
    const auto schedule = constitution::schedule_transitions(versions, *Date::parse("2026-12-05"));
    if (schedule.period)
      for (const auto& [id, transition] : schedule.by_clause) (void)transition.reason(*schedule.period);
  }
  for (const auto& clause : constitution->clauses) (void)constitution->find(clause.id);
  static const engine::Config config;
  static const workspace::StackFacts stack = [] {
    workspace::StackFacts facts;
    facts.facts = {"docker", "kubernetes", "helm", "openapi", "ci", "git", "gherkin"};
    return facts;
  }();
  (void)engine::bind(engine::Catalog::builtin(), *constitution, config, stack, engine::Selection{});
  return 0;
}

// Constitution Markdown: clauses, ids, the version footer, the Sync Impact
// Report and the severity policy, then every built-in check bound to it
// (clause matchers and parameter capture run on the clause text).

#include <cstddef>
#include <cstdint>
#include <string>

#include "constitution/model.hpp"
#include "engine/catalog.hpp"
#include "engine/config.hpp"
#include "engine/plan.hpp"
#include "fuzz_support.hpp"
#include "workspace/workspace.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto constitution = constitution::parse(fuzz::as_text(data, size), "CONSTITUTION.md");
  if (!constitution) return 0;
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

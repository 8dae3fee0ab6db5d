// Binding: each check's clause matcher finds the first clause, in document
// order, whose section and text it matches, case-insensitively, whether the
// matcher is plain words or a regular expression.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "engine/catalog.hpp"
#include "engine/plan.hpp"
#include "support/test_support.hpp"

namespace constable {
namespace {

using testing::read_file;
using testing::TempDir;

template <const engine::CheckInfo& Info>
class MatcherCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return Info; }
};

constexpr engine::CheckInfo info_with(std::string_view id, engine::ClauseMatcher clause) {
  return engine::CheckInfo{.id = id,
                           .domain = "test",
                           .nature = Nature::reliability,
                           .summary = "s",
                           .rationale = "r",
                           .remediation = "f",
                           .bad_example = "b",
                           .good_example = "g",
                           .parameters = "",
                           .clause = clause,
                           .file_kind = FileKind::yaml,
                           .stack = ""};
}

constexpr engine::CheckInfo kPlainWords = info_with("test/plain", {"deployment|rollout", "maximum unavailable"});
constexpr engine::CheckInfo kRegex = info_with("test/regex", {"spec", "behaviou?ral spec"});
constexpr engine::CheckInfo kAnySection = info_with("test/any-section", {"", "kubernetes"});
constexpr engine::CheckInfo kNoSuchClause = info_with("test/absent", {"helm", "chart"});
constexpr engine::CheckInfo kInvalid = info_with("test/invalid", {"docker", "(unclosed"});

constexpr std::string_view kConstitution =
    "# C\n"
    "## Overview\n"
    "- Maximum unavailable pods: 10% of the fleet MUST stay up\n"  // right text, wrong section
    "## Rollout Strategy\n"
    "- MAXIMUM UNAVAILABLE pods: 25%\n"
    "- Maximum unavailable pods: 50%\n"
    "## Specs\n"
    "- Behavioral specifications MUST use Gherkin\n"
    "## Platform\n"
    "- Workloads MUST run on \xE2\x84\xAA" "ubernetes\n";  // U+212A KELVIN SIGN: RE2 folds it with k

const constitution::Clause* bound(const engine::Plan& plan, std::string_view id) {
  const engine::Binding* binding = plan.find(id);
  return binding == nullptr ? nullptr : binding->clause;
}

TEST(EngineBind, FirstClauseMatchingSectionAndTextInEitherCase) {
  const engine::Catalog catalog({&engine::make_check<MatcherCheck<kPlainWords>>,
                                 &engine::make_check<MatcherCheck<kRegex>>,
                                 &engine::make_check<MatcherCheck<kAnySection>>,
                                 &engine::make_check<MatcherCheck<kNoSuchClause>>});
  auto parsed = constitution::parse(kConstitution, "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto plan = engine::bind(catalog, *parsed, {}, {}, {});
  ASSERT_TRUE(plan) << plan.error().to_string();

  const auto* plain = bound(*plan, "test/plain");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->line, 5);  // not line 3: "Overview" is not a deployment or rollout section
  const auto* regex = bound(*plan, "test/regex");
  ASSERT_NE(regex, nullptr);
  EXPECT_EQ(regex->line, 8);
  const auto* any_section = bound(*plan, "test/any-section");
  ASSERT_NE(any_section, nullptr);
  EXPECT_EQ(any_section->line, 10);
  EXPECT_EQ(plan->find("test/absent")->status, engine::BindingStatus::no_clause);
}

constexpr engine::CheckInfo kNeedsHelm = [] {
  engine::CheckInfo info = info_with("test/needs-helm", {"rollout", "maximum unavailable"});
  info.stack = "helm";
  return info;
}();

// Binding before the stack is known (while discovery walks the tree), then
// narrowing to it, ends where binding with the stack does: a check for a
// technology the repository does not use is not applicable, a deselected
// one stays deselected.
TEST(EngineBind, TheStackNarrowsAPlanBoundBeforeItWasKnown) {
  const engine::Catalog catalog({&engine::make_check<MatcherCheck<kNeedsHelm>>,
                                 &engine::make_check<MatcherCheck<kPlainWords>>,
                                 &engine::make_check<MatcherCheck<kNoSuchClause>>});
  auto parsed = constitution::parse(kConstitution, "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  const engine::Selection deselect_plain{{}, {"test/plain"}};
  for (const bool uses_helm : {false, true}) {
    workspace::StackFacts stack;
    if (uses_helm) stack.facts.insert("helm");
    auto at_once = engine::bind(catalog, *parsed, {}, stack, deselect_plain);
    auto in_two_steps = engine::bind_clauses(catalog, *parsed, {}, deselect_plain);
    ASSERT_TRUE(at_once && in_two_steps);
    EXPECT_EQ(in_two_steps->find("test/needs-helm")->status, engine::BindingStatus::active);
    engine::restrict_to_stack(*in_two_steps, stack);
    for (const std::string_view id : {"test/needs-helm", "test/plain", "test/absent"})
      EXPECT_EQ(at_once->find(id)->status, in_two_steps->find(id)->status) << id;
    EXPECT_EQ(in_two_steps->find("test/needs-helm")->status,
              uses_helm ? engine::BindingStatus::active : engine::BindingStatus::not_applicable);
    EXPECT_EQ(in_two_steps->find("test/plain")->status, engine::BindingStatus::deselected);
    EXPECT_EQ(in_two_steps->find("test/absent")->status, engine::BindingStatus::no_clause);
  }
}

TEST(EngineBind, AnInvalidMatcherNamesTheCheck) {
  const engine::Catalog catalog({&engine::make_check<MatcherCheck<kInvalid>>});
  auto parsed = constitution::parse(kConstitution, "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto plan = engine::bind(catalog, *parsed, {}, {}, {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("test/invalid has an invalid clause matcher"), std::string::npos)
      << plan.error().message;
}

// Remembers the section bind_section() was given, as its clauses' lines.
template <const engine::CheckInfo& Info>
class SectionReaderCheck final : public engine::Check {
 public:
  static inline std::vector<int> section_lines;
  const engine::CheckInfo& info() const override { return Info; }
  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    section_lines.clear();
    for (const auto* clause : section) section_lines.push_back(clause->line);
    return {};
  }
};

constexpr engine::CheckInfo kRolloutReader = info_with("test/rollout-reader", {"rollout", "first"});
constexpr engine::CheckInfo kLookAlikeReader = info_with("test/look-alike-reader", {"canary", "look-alike"});

TEST(EngineBind, TheSectionIsEveryClauseUnderTheSameHeadingsWhereverTheyAre) {
  constexpr std::string_view kRepeated =
      "# C\n"
      "## Rollout\n"
      "- The first rollout rule MUST hold\n"
      "## Other\n"
      "- Other things MUST hold\n"
      "## Rollout\n"  // the same path again, further down
      "- The second rollout rule MUST hold\n"
      "## Rollout > Canary\n"  // joined as "C > Rollout > Canary", as the nested path below is
      "- A look-alike rule MUST hold\n"
      "## Rollout\n"
      "### Canary\n"
      "- A nested rule MUST hold\n";
  using Rollout = SectionReaderCheck<kRolloutReader>;
  using LookAlike = SectionReaderCheck<kLookAlikeReader>;
  const engine::Catalog catalog({&engine::make_check<Rollout>, &engine::make_check<LookAlike>});
  auto parsed = constitution::parse(kRepeated, "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto plan = engine::bind(catalog, *parsed, {}, {}, {});
  ASSERT_TRUE(plan) << plan.error().to_string();
  ASSERT_NE(bound(*plan, "test/rollout-reader"), nullptr);
  EXPECT_EQ(bound(*plan, "test/rollout-reader")->line, 3);
  EXPECT_EQ(Rollout::section_lines, (std::vector<int>{3, 7}));
  ASSERT_NE(bound(*plan, "test/look-alike-reader"), nullptr);
  EXPECT_EQ(bound(*plan, "test/look-alike-reader")->line, 9);
  EXPECT_EQ(LookAlike::section_lines, (std::vector<int>{9}));
}

// The cache's entries, by name.
std::vector<std::filesystem::path> entries_in(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<int> bound_lines(const engine::Plan& plan) {
  std::vector<int> lines;
  for (const auto& binding : plan.bindings) lines.push_back(binding.clause == nullptr ? 0 : binding.clause->line);
  return lines;
}

// Which clause each check matched is kept in the cache and read back: the
// same checks on the same clauses bind as they did without it, and a run
// reads what the entry says (an entry that names another clause binds it).
TEST(EngineBind, ClauseMatchesAreKeptBetweenRunsAndReadBack) {
  const TempDir cache;
  const engine::Catalog catalog({&engine::make_check<MatcherCheck<kPlainWords>>,
                                 &engine::make_check<MatcherCheck<kRegex>>,
                                 &engine::make_check<MatcherCheck<kNoSuchClause>>});
  auto parsed = constitution::parse(kConstitution, "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto uncached = engine::bind_clauses(catalog, *parsed, {}, {});
  auto first = engine::bind_clauses(catalog, *parsed, {}, {}, {}, cache.path());
  ASSERT_TRUE(uncached && first);
  EXPECT_EQ(bound_lines(*first), bound_lines(*uncached));
  EXPECT_EQ(bound_lines(*first), (std::vector<int>{5, 8, 0}));
  const auto entries = entries_in(cache.path());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(read_file(entries.front()), "1\n3\n-\n");  // clause indices, "-" for none

  auto second = engine::bind_clauses(catalog, *parsed, {}, {}, {}, cache.path());
  ASSERT_TRUE(second);
  EXPECT_EQ(bound_lines(*second), bound_lines(*uncached));

  std::ofstream(entries.front(), std::ios::trunc) << "2\n-\n1\n";
  auto from_entry = engine::bind_clauses(catalog, *parsed, {}, {}, {}, cache.path());
  ASSERT_TRUE(from_entry);
  EXPECT_EQ(bound_lines(*from_entry), (std::vector<int>{6, 0, 5}));  // line 6: no matcher finds it
}

// An entry that is not one valid line per check is matched afresh and
// written again; another constitution, or another set of checks, has an
// entry of its own.
TEST(EngineBind, AnEntryThatDoesNotFitIsMatchedAfresh) {
  const TempDir cache;
  const engine::Catalog catalog({&engine::make_check<MatcherCheck<kPlainWords>>,
                                 &engine::make_check<MatcherCheck<kRegex>>});
  auto parsed = constitution::parse(kConstitution, "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  ASSERT_TRUE(engine::bind_clauses(catalog, *parsed, {}, {}, {}, cache.path()));
  const auto entry = entries_in(cache.path()).front();
  for (const std::string_view unfit : {"", "1\n", "1\n3\n-\n", "1\n99\n", "1\nx\n", "1\n-3\n", "1\n3 \n"}) {
    std::ofstream(entry, std::ios::trunc) << unfit;
    auto plan = engine::bind_clauses(catalog, *parsed, {}, {}, {}, cache.path());
    ASSERT_TRUE(plan);
    EXPECT_EQ(bound_lines(*plan), (std::vector<int>{5, 8})) << unfit;
    EXPECT_EQ(read_file(entry), "1\n3\n") << unfit;
  }

  auto amended = constitution::parse(std::string(kConstitution) + "- Behavioural specs MUST be reviewed\n", "C.md");
  ASSERT_TRUE(amended);
  ASSERT_TRUE(engine::bind_clauses(catalog, *amended, {}, {}, {}, cache.path()));
  const engine::Catalog fewer({&engine::make_check<MatcherCheck<kRegex>>});
  ASSERT_TRUE(engine::bind_clauses(fewer, *parsed, {}, {}, {}, cache.path()));
  EXPECT_EQ(entries_in(cache.path()).size(), 3u);
}

}  // namespace
}  // namespace constable

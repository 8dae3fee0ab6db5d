// Every finding cites the clause it breaks, not a sibling: for every check
// that reads sibling clauses through bind_section() (the CI stages, the
// required documents, the ADR sections, the tagging examples), each finding
// names a clause whose text is what it judges.

#include <gtest/gtest.h>

#include <string>

#include "app/app.hpp"
#include "core/text.hpp"
#include "engine/catalog.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"

namespace constable::testing {
namespace {

// A repository that breaks every sibling clause it can: no ARCHITECTURE.md,
// CONTRIBUTING.md or CHANGELOG.md, a CI workflow running a single stage
// (unit tests) before the lint job, an ADR without its sections.
engine::RunResult run_on_broken_repository(const TempDir& repo) {
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  repo.write("README.md", "# App\n\n## Quick start\n\n```sh\nmake run\n```\n");
  repo.write(".github/workflows/ci.yml",
             "on: [push, pull_request]\n"
             "jobs:\n"
             "  test:\n"
             "    runs-on: ubuntu-latest\n"
             "    steps:\n"
             "      - run: pytest\n"
             "  lint:\n"
             "    needs: test\n"
             "    runs-on: ubuntu-latest\n"
             "    steps:\n"
             "      - run: ruff check .\n");
  repo.write("docs/adr/0001-use-kafka.md", "# 1. Use Kafka\n\n- Status: Accepted\n\nWe use Kafka.\n");
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  EXPECT_TRUE(session) << session.error().to_string();
  if (!session) return {};
  return engine::run(session->plan, session->constitution, session->config, session->workspace, {});
}

TEST(RightClause, EachFindingOfASectionBoundCheckCitesTheClauseItJudges) {
  TempDir repo;
  const auto result = run_on_broken_repository(repo);
  int documents = 0, stages = 0, sections = 0;
  for (const engine::Finding& f : result.findings) {
    const std::string clause = text::to_lower(f.clause_text);
    if (f.check_id == "docs/required-documents") {
      ++documents;
      // "the repository has no CHANGELOG.md" cites "CHANGELOG.md following Keep a Changelog format".
      const std::string document = f.message.substr(f.message.rfind(' ') + 1);
      EXPECT_NE(clause.find(text::to_lower(document)), std::string::npos) << f.message << " cites " << f.clause_text;
      EXPECT_NE(f.remediation.find(document), std::string::npos) << f.remediation;
    } else if (f.check_id == "ci/pipeline-stages") {
      ++stages;
      // "no job runs stage 4 of 8, 'Build ...'" cites that stage; an order
      // problem cites the stage that runs too early.
      const auto quote = f.message.find('\'');
      ASSERT_NE(quote, std::string::npos) << f.message;
      const std::string stage = f.message.substr(quote + 1, f.message.find('\'', quote + 1) - quote - 1);
      if (f.message.starts_with("no job runs stage")) {
        EXPECT_EQ(text::to_lower(stage), clause) << f.message << " cites " << f.clause_text;
      }
    } else if (f.check_id == "docs/adr-sections" && f.message.starts_with("ADR has no '")) {
      ++sections;
      const std::string section = f.message.substr(12, f.message.find('\'', 12) - 12);
      EXPECT_TRUE(clause.starts_with(text::to_lower(section))) << f.message << " cites " << f.clause_text;
    }
  }
  EXPECT_EQ(documents, 3);
  EXPECT_GE(stages, 6);
  EXPECT_GE(sections, 3);
}

// Whatever a check emits, the engine only lets it cite its bound clause or
// one it declared in also_enforced().
TEST(RightClause, FindingsCiteOnlyTheBoundClauseOrADeclaredSibling) {
  TempDir repo;
  const auto result = run_on_broken_repository(repo);
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  ASSERT_TRUE(session);
  for (const engine::Finding& f : result.findings) {
    if (f.clause_id.empty()) continue;
    bool declared = false;
    for (const auto& binding : session->plan.bindings) {
      if (binding.check == nullptr || binding.check->info().id != f.check_id) continue;
      declared = declared || (binding.clause != nullptr && binding.clause->id == f.clause_id);
      for (const auto* sibling : binding.check->also_enforced()) declared = declared || sibling->id == f.clause_id;
    }
    EXPECT_TRUE(declared) << f.check_id << " cites " << f.clause_id;
  }
}

}  // namespace
}  // namespace constable::testing

// The workflow checks on whole repositories, for what fixtures cannot
// express: findings about files that do not exist (a missing pull request
// template), and findings on a template's first line.

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "app/app.hpp"
#include "core/text.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

using Found = std::tuple<std::string, int, std::string>;  // path, line, check

std::multiset<Found> run_workflow_checks(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id.starts_with("workflow/")) out.insert({f.path, f.range.line, f.check_id});
  return out;
}

constexpr std::string_view kCi = "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                 "    steps:\n      - run: pytest\n      - run: constable check .\n";

TEST(WorkflowRepository, MissingTemplateIsReportedWhereTheHostingServiceLooksForIt) {
  {
    TempDir repo;
    repo.write(".github/workflows/ci.yml", std::string(kCi));
    EXPECT_EQ(run_workflow_checks(repo),
              (std::multiset<Found>{{".github/pull_request_template.md", 0, "workflow/pull-request-template"}}));
  }
  {
    TempDir repo;
    repo.write(".gitlab-ci.yml", "test:\n  script:\n    - pytest\n    - constable check .\n");
    EXPECT_EQ(run_workflow_checks(repo),
              (std::multiset<Found>{{".gitlab/merge_request_templates/Default.md", 0, "workflow/pull-request-template"}}));
  }
}

TEST(WorkflowRepository, ComplianceGateOnGitLabToo) {
  TempDir repo;
  repo.write(".gitlab/merge_request_templates/Default.md",
             "## Description and motivation\n\nCloses #\n\n- [ ] Tests\n- [ ] Documentation\n");
  repo.write(".gitlab-ci.yml", "test:\n  script:\n    - pytest\n");
  EXPECT_EQ(run_workflow_checks(repo), (std::multiset<Found>{{".gitlab-ci.yml", 1, "workflow/compliance-gate"}}));
}

TEST(WorkflowRepository, NothingIsReportedWhereNoFileShowsTheHostingService) {
  TempDir repo;
  repo.write("src/app.py", "print('hi')\n");
  EXPECT_EQ(run_workflow_checks(repo), std::multiset<Found>{});
}

TEST(WorkflowRepository, ReviewChecklistInTheTemplateOrTheDocumentation) {
  const std::string template_text =
      "## Description and motivation\n\nWhy and what.\n\n## Related issue\n\nCloses #\n\n"
      "## Tests and documentation\n\nWhich tests cover it; which docs changed.\n";
  {
    TempDir repo;
    repo.write(".github/pull_request_template.md", template_text);
    EXPECT_EQ(run_workflow_checks(repo),
              (std::multiset<Found>{{".github/pull_request_template.md", 1, "workflow/code-review"}}));
  }
  {
    TempDir repo;
    repo.write(".github/pull_request_template.md", template_text);
    repo.write("docs/contributing/reviews.md", "# Reviews\n\n## Reviewer checklist\n\n1. Tests pass.\n");
    EXPECT_EQ(run_workflow_checks(repo), std::multiset<Found>{});
  }
}

// A check that reads its siblings cites, for each finding, the clause whose
// part or step it judges.
TEST(WorkflowRepository, FindingsCiteTheClauseOfThePartOrStepTheyJudge) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  repo.write(".github/pull_request_template.md", "## Notes\n\n- [ ] Ready\n");
  repo.write("web/a.css", "a {}\n");
  repo.write("web/b.css", "b {}\n");
  repo.write(".github/workflows/release.yml",
             "on: workflow_dispatch\njobs:\n  production:\n    runs-on: ubuntu-latest\n    environment: production\n"
             "    steps:\n      - run: pytest\n      - run: kubectl apply -f k8s/\n");
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  ASSERT_TRUE(session) << session.error().to_string();
  const auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, {});
  // The word of the message that names what is missing, and the word its clause must hold.
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"description of the changes", "description"}, {"motivation", "motivation"}, {"link", "link"},
      {"tests", "test"},  {"documentation", "documentation"}, {"screenshots", "screenshots"}};
  int template_findings = 0;
  int release_findings = 0;
  for (const engine::Finding& f : result.findings) {
    const std::string clause = text::to_lower(f.clause_text);
    if (f.check_id == "workflow/pull-request-template") {
      ++template_findings;
      bool matched = false;
      for (const auto& [said, cited] : parts)
        if (f.message.find(said) != std::string::npos) {
          matched = true;
          EXPECT_NE(clause.find(cited), std::string::npos) << f.message << " cites " << f.clause_text;
        }
      EXPECT_TRUE(matched) << f.message;
    } else if (f.check_id == "workflow/release-process") {
      ++release_findings;
      // "... step 5 'Deploy to staging': ..." cites "Deploy to staging".
      const auto quote = f.message.find('\'');
      ASSERT_NE(quote, std::string::npos) << f.message;
      const std::string step = f.message.substr(quote + 1, f.message.find('\'', quote + 1) - quote - 1);
      EXPECT_EQ(text::to_lower(step), clause) << f.message << " cites " << f.clause_text;
    }
  }
  EXPECT_EQ(template_findings, 6);  // "Notes" and "Ready" ask for none of the parts
  EXPECT_GE(release_findings, 3);   // changelog, staging, progressive rollout, monitoring
}

// A clause that words its count in digits binds as well as one that spells it.
TEST(WorkflowRepository, ApprovalCountFromTheClause) {
  TempDir repo;
  std::string constitution = read_file(fixtures_dir() / "constitution" / "reference-excerpt.md");
  const std::string spelled = "Minimum one approval required; two for critical changes";
  const auto at = constitution.find(spelled);
  ASSERT_NE(at, std::string::npos);
  constitution.replace(at, spelled.size(), "At least 2 approvals are required");
  repo.write("CONSTITUTION.md", constitution);
  repo.write(".github/pull_request_template.md",
             "## Description and motivation\n\nCloses #\n\n- [ ] Tests\n- [ ] Documentation\n");
  repo.write(".github/settings.yml",
             "branches:\n  - name: main\n    protection:\n      required_pull_request_reviews:\n"
             "        required_approving_review_count: 1\n");
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  ASSERT_TRUE(session) << session.error().to_string();
  const auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, {});
  std::multiset<Found> found;
  for (const auto& f : result.findings)
    if (f.check_id.starts_with("workflow/")) found.insert({f.path, f.range.line, f.check_id});
  EXPECT_EQ(found, (std::multiset<Found>{{".github/settings.yml", 5, "workflow/code-review"}}));
}

}  // namespace
}  // namespace constable::testing

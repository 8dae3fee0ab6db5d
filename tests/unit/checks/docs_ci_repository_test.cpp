// The docs and ci checks on whole repositories, for what fixtures cannot
// express: findings about missing files (line 0 at a path that does not
// exist) and findings on Markdown heading lines.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>
#include <tuple>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"
#include "unit/checks/fixture_expectations.hpp"

namespace constable::testing {
namespace {

using Found = std::tuple<std::string, int, std::string>;  // path, line, check

std::multiset<Found> run_on(const TempDir& repo, std::string_view domain) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id.starts_with(std::string(domain) + "/")) {
      out.insert({f.path, f.range.line, f.check_id});
      // Every place of a problem reported once per file.
      for (const auto& place : f.also_at) out.insert({f.path, place.range.line, f.check_id});
    }
  return out;
}

TEST(DocsRepository, EmptyRepositoryMissesEveryDocument) {
  TempDir repo;
  repo.write("src/app.py", "print('hi')\n");
  const auto found = run_on(repo, "docs");
  EXPECT_EQ(found, (std::multiset<Found>{{"README.md", 0, "docs/readme-quickstart"},
                                         {"ARCHITECTURE.md", 0, "docs/required-documents"},
                                         {"CONTRIBUTING.md", 0, "docs/required-documents"},
                                         {"CHANGELOG.md", 0, "docs/required-documents"}}));
}

TEST(DocsRepository, DeployedServiceNeedsOperationalDocumentsAndEmptyFilesDoNotCount) {
  TempDir repo;
  repo.write("README.md", "# App\n\n## Quickstart\n\nmake run\n");
  repo.write("ARCHITECTURE.md", "\n\n");
  repo.write(".github/CONTRIBUTING.md", "Be kind.\n");
  repo.write("docs/CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n[Unreleased]: https://x\n");
  repo.write("Dockerfile", "FROM alpine:3.20\n");
  repo.write("docs/runbooks/restart.md", "Restart\n");
  const auto found = run_on(repo, "docs");
  EXPECT_EQ(found, (std::multiset<Found>{{"ARCHITECTURE.md", 0, "docs/required-documents"},
                                         {"docs/incident-response.md", 0, "docs/incident-response"},
                                         {"docs/disaster-recovery.md", 0, "docs/disaster-recovery"},
                                         {"docs/capacity-planning.md", 0, "docs/capacity-planning"}}));
}

// Evidence must be a document or a section devoted to the topic: a heading
// that only mentions it, an empty section or the constitution that demands
// it is not a runbook; "Quick Starts" is a quickstart.
TEST(DocsRepository, OperationalEvidenceIsADevotedDocumentOrSectionNeverTheConstitution) {
  TempDir repo;
  repo.write("README.md",
             "# App\n\n## Quick Starts\n\nmake run\n\n## See the runbook repository for on-call\n\nElsewhere.\n\n"
             "## Incident response\n\n## Storage capacity of the volume\n\n10 GiB.\n\n"
             "## Backup and restore\n\nNightly snapshots, restored with `make restore`.\n");
  repo.write("ARCHITECTURE.md", "# Architecture\n\nOne process.\n");
  repo.write("CONTRIBUTING.md", "Be kind.\n");
  repo.write("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n[Unreleased]: https://x\n");
  repo.write("Dockerfile", "FROM alpine:3.20\n");
  // An earlier constitution kept beside the one in force is no runbook either.
  repo.write("docs/governance/constitution-v1.md",
             "# Constitution\n\n## Runbooks\n\nRunbooks MUST exist.\n\n## Capacity planning\n\nMUST exist.\n");
  repo.write("docs/ops.md", "# Operations\n\n## Database failover runbook\n\n1. Promote the replica.\n");
  const auto found = run_on(repo, "docs");
  EXPECT_EQ(found, (std::multiset<Found>{{"docs/incident-response.md", 0, "docs/incident-response"},
                                         {"docs/capacity-planning.md", 0, "docs/capacity-planning"}}));
}

TEST(DocsRepository, ChangelogOrderSectionsAndLinksOnHeadings) {
  TempDir repo;
  repo.write("README.md", "# App\n\n## Getting started\n");
  repo.write("ARCHITECTURE.md", "Design.\n");
  repo.write("CONTRIBUTING.md", "Rules.\n");
  repo.write("CHANGELOG.md",
             "# Changelog\n"                 // 1
             "\n"                            // 2
             "## [1.0.0] - 2026-01-10\n"     // 3: Unreleased missing
             "### Improvements\n"            // 4: not a change type
             "## [1.1.0] - 2026-02-01\n"     // 5: out of order
             "### Added\n"                   // 6
             "## [1.1.0] - 2026-02-30\n"     // 7: duplicate, bad date, no link
             "## 0.9.0 - 2025-12-01\n"       // 8: not bracketed
             "## [Unreleased]\n"             // 9: not first
             "## Notes\n"                    // 10: malformed
             "[Unreleased]: https://x\n"
             "[1.0.0]: https://x\n"
             "[1.1.0]: https://x\n");
  const auto found = run_on(repo, "docs");
  const std::string id = "docs/changelog-format";
  EXPECT_EQ(found, (std::multiset<Found>{{"CHANGELOG.md", 3, id},
                                         {"CHANGELOG.md", 4, id},
                                         {"CHANGELOG.md", 5, id},
                                         {"CHANGELOG.md", 7, id},
                                         {"CHANGELOG.md", 7, id},
                                         {"CHANGELOG.md", 8, id},
                                         {"CHANGELOG.md", 9, id},
                                         {"CHANGELOG.md", 10, id}}));
}

TEST(CiRepository, NoPipelineAndUnparsableWorkflows) {
  {
    TempDir repo;
    repo.write("compose.yaml", "services: {app: {image: a:1}}\n");
    const auto found = run_on(repo, "ci");
    EXPECT_EQ(found, (std::multiset<Found>{{".github/workflows/", 0, "ci/pipeline-stages"},
                                           {".github/workflows/", 0, "ci/tests-in-pipeline"},
                                           {".github/workflows/", 0, "ci/vulnerability-scan"},
                                           {".github/workflows/", 0, "ci/contract-tests"}}));
  }
  {
    TempDir repo;
    repo.write(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [\n");
    const auto found = run_on(repo, "ci");
    EXPECT_TRUE(found.contains({".github/workflows/ci.yml", 5, "ci/pipeline-stages"}));
  }
}

}  // namespace
}  // namespace constable::testing

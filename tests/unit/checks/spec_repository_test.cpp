// The spec checks' findings about missing components are reported at the
// repository root, which the fixture runner (findings inside fixture files
// only) cannot express: they are asserted here, through the whole engine.

#include <gtest/gtest.h>

#include <set>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

std::multiset<std::string> root_findings(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<std::string> out;
  for (const auto& f : result.findings)
    if (f.check_id.starts_with("spec/") && f.path == ".") out.insert(f.check_id);
  return out;
}

TEST(SpecRepositoryChecks, AnEmptyRepositoryMissesEveryComponentButTheApiOne) {
  TempDir repo;
  // Deployment specifications only where something is deployed (OpenAPI's
  // specification repository and spec-kit's CLI ship no service).
  std::multiset<std::string> expected = {
      "spec/architecture-diagrams", "spec/behavioral-specs", "spec/behavioral-specs",  // events and state machines
      "spec/data-schemas",          "spec/gherkin-scenarios",
      "spec/security-specs",        "spec/security-specs",  // threat model and compliance
  };
  EXPECT_EQ(root_findings(repo), expected);
  repo.write(".devcontainer/Dockerfile", "FROM mcr.microsoft.com/devcontainers/base:bookworm\n");
  EXPECT_EQ(root_findings(repo), expected);
  repo.write("Dockerfile", "FROM alpine:3.20\n");
  expected.insert("spec/deployment-specs");
  EXPECT_EQ(root_findings(repo), expected);
}

TEST(SpecRepositoryChecks, ACompleteRepositoryHasNoRootFinding) {
  TempDir repo;
  const auto base = fixtures_dir() / "spec" / "gherkin-scenarios" / "silent";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(base))
    if (entry.is_regular_file())
      repo.write(std::filesystem::relative(entry.path(), base).generic_string(), read_file(entry.path()));
  EXPECT_EQ(root_findings(repo), std::multiset<std::string>{});
  // An invalid Avro file is no event schema: without the valid one, events are missing again.
  std::filesystem::remove(repo.path() / "events" / "order-created.avsc");
  repo.write("events/broken.avsc", "{\"type\": \"record\", \"name\": \"X\"}");
  EXPECT_EQ(root_findings(repo), std::multiset<std::string>{"spec/behavioral-specs"});
}

}  // namespace
}  // namespace constable::testing

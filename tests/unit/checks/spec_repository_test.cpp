// The spec checks' findings about missing components are reported at the
// repository root, which the fixture runner (findings inside fixture files
// only) cannot express: they are asserted here, through the whole engine.

#include <fmt/format.h>
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

// Each way the check recognises a threat model or a compliance regime, in
// any case its patterns allow, is found past the words that tell which
// patterns to run on a text.
TEST(SpecRepositoryChecks, EveryRegimeAndThreatModelIsRecognised) {
  const auto security_findings = [](const TempDir& repo) {
    std::multiset<std::string> out = root_findings(repo);
    std::erase_if(out, [](const std::string& id) { return id != "spec/security-specs"; });
    return out.size();
  };
  for (const std::string_view regime :
       {"GDPR", "CCPA", "SOC 2", "SOC2", "ISO 27001", "ISO/IEC 27001", "HIPAA", "PCI DSS", "PCI-DSS", "FedRAMP",
        "NIST 800-53", "NIST SP 800-53", "## Compliance", "### Regulatory Compliance", "# COMPLIANCE REQUIREMENTS"}) {
    TempDir repo;
    repo.write("docs/security.md", fmt::format("# Security\n\n{}\n\nThe controls we meet.\n", regime));
    EXPECT_EQ(security_findings(repo), 1U) << regime << ": only the threat model is missing";
  }
  for (const std::string_view model :
       {"Threat model: STRIDE", "THREAT-MODEL with attack trees", "threatmodel (PASTA)"}) {
    TempDir repo;
    repo.write("docs/threats.md", fmt::format("# Threats\n\n{}\n", model));
    EXPECT_EQ(security_findings(repo), 1U) << model << ": only compliance is missing";
  }
  TempDir neither;
  neither.write("docs/security.md", "# Security\n\nSOC is a team; ISO images; the threat is real.\n");
  EXPECT_EQ(security_findings(neither), 2U);
}

}  // namespace
}  // namespace constable::testing

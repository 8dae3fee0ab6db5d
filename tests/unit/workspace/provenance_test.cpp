// Files that are not the project's own are set aside by discovery: vendored
// dependencies, generated code, test fixtures and example collections,
// documentation assets and binaries, from well-known locations, names and
// linguist attributes; `include:` brings them back.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "workspace/provenance.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {
namespace {

using constable::testing::TempDir;

// path -> provenance of every file discovery saw, judged ones as "project".
std::map<std::string, std::string> provenance_by_path(const std::filesystem::path& root,
                                                      const DiscoveryOptions& options = {}) {
  auto ws = discover(root, options);
  EXPECT_TRUE(ws.has_value());
  std::map<std::string, std::string> out;
  if (!ws) return out;
  for (const auto& file : ws->files) out[file.path] = "project";
  for (const auto& file : ws->set_aside) out[file.path] = std::string(to_string(file.provenance));
  return out;
}

TEST(ProvenanceTest, AGoOperatorsVendoredTreeIsSetAsideButItsOwnCodeIsJudged) {
  TempDir dir;
  dir.write("go.mod", "module example.com/operator\n");
  dir.write("main.go", "package main\n");
  dir.write("config/manager/manager.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
  dir.write("vendor/k8s.io/api/core/v1/types.go", "package v1\n");
  dir.write("vendor/github.com/x/y/deploy.yaml", "kind: Deployment\n");
  dir.write("api/v1/zz_generated.deepcopy.go", "package v1\n");
  dir.write("web/static/app.min.js", "var a=1;\n");
  dir.write("node_modules/left-pad/index.js", "module.exports = 1;\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("main.go"), "project");
  EXPECT_EQ(seen.at("config/manager/manager.yaml"), "project");
  EXPECT_EQ(seen.at("vendor/k8s.io/api/core/v1/types.go"), "vendored");
  EXPECT_EQ(seen.at("vendor/github.com/x/y/deploy.yaml"), "vendored");
  EXPECT_EQ(seen.at("api/v1/zz_generated.deepcopy.go"), "generated");
  EXPECT_EQ(seen.at("web/static/app.min.js"), "vendored");
  EXPECT_EQ(seen.at("node_modules/left-pad/index.js"), "vendored");
}

TEST(ProvenanceTest, AnOpenApiToolsTestInputsAreFixturesWhereverTheyAre) {
  TempDir dir;
  dir.write("openapi.yaml", "openapi: 3.1.0\n");
  dir.write("src/test/resources/petstore.yaml", "openapi: 3.0.0\n");
  dir.write("tests/e2e/cluster.yaml", "kind: Pod\n");
  dir.write("pkg/parser/testdata/broken.yaml", "openapi: 2.0\n");
  // A numbered sibling (argo-cd's reposerver/repository/testdata2/).
  dir.write("reposerver/repository/testdata2/chart/Chart.yaml", "name: chart\n");
  dir.write("spec/fixtures/api.json", "{}\n");
  dir.write("__fixtures__/secrets.env", "TOKEN=x\n");
  dir.write("examples/petstore/Dockerfile", "FROM python\n");
  // A validator's test suite (OpenAPI-Specification's schemas/v3.0/pass/).
  dir.write("_archive_/schemas/v3.0/pass/petstore.yaml", "openapi: 3.0.0\n");
  dir.write("_archive_/schemas/v3.0/fail/no-info.yaml", "openapi: 3.0.0\n");
  // A top-level end-to-end suite (external-dns's e2e/provider/coredns.yaml).
  dir.write("e2e/provider/coredns.yaml", "kind: Deployment\n");
  // A fuzz suite's regression inputs and a fuzzer's seeds (constable's own
  // fuzz/regressions/manifests/ once failed its chart's self-check).
  dir.write("fuzz/regressions/manifests/percent.yaml", "kind: Deployment\n");
  dir.write("pkg/yaml/corpus/anchors.yaml", "kind: Pod\n");
  // "resources" and "e2e" deeper outside a test directory are the project's own.
  dir.write("deploy/resources/service.yaml", "kind: Service\n");
  dir.write("deploy/e2e/kustomization.yaml", "resources: []\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("openapi.yaml"), "project");
  EXPECT_EQ(seen.at("src/test/resources/petstore.yaml"), "fixtures");
  EXPECT_EQ(seen.at("tests/e2e/cluster.yaml"), "fixtures");
  EXPECT_EQ(seen.at("pkg/parser/testdata/broken.yaml"), "fixtures");
  EXPECT_EQ(seen.at("reposerver/repository/testdata2/chart/Chart.yaml"), "fixtures");
  EXPECT_EQ(seen.at("spec/fixtures/api.json"), "fixtures");
  EXPECT_EQ(seen.at("__fixtures__/secrets.env"), "fixtures");
  EXPECT_EQ(seen.at("examples/petstore/Dockerfile"), "fixtures");
  EXPECT_EQ(seen.at("_archive_/schemas/v3.0/pass/petstore.yaml"), "fixtures");
  EXPECT_EQ(seen.at("_archive_/schemas/v3.0/fail/no-info.yaml"), "fixtures");
  EXPECT_EQ(seen.at("e2e/provider/coredns.yaml"), "fixtures");
  EXPECT_EQ(seen.at("fuzz/regressions/manifests/percent.yaml"), "fixtures");
  EXPECT_EQ(seen.at("pkg/yaml/corpus/anchors.yaml"), "fixtures");
  EXPECT_EQ(seen.at("deploy/resources/service.yaml"), "project");
  EXPECT_EQ(seen.at("deploy/e2e/kustomization.yaml"), "project");
}

// Gatekeeper's shell test suite (test/bats/tests/good/, .../remote-cluster/)
// and its top-level demo/ hold what policies must admit or refuse, and what
// a talk shows: inputs, not the project's deployment. A demo environment
// deeper down (deploy/demo/) is deployed.
TEST(ProvenanceTest, TestSuitesAdmissionCasesDemonstrationsAndScaffoldsAreInputs) {
  TempDir dir;
  dir.write("test/bats/tests/good/playground_ns.yaml", "kind: Namespace\n");
  dir.write("test/bats/tests/remote-cluster/deployment.yaml", "kind: Deployment\n");
  dir.write("test/policies/bad/privileged.yaml", "kind: Pod\n");
  dir.write("demo/agilebank/good_resources/namespace.yaml", "kind: Namespace\n");
  dir.write("deploy/demo/kustomization.yaml", "resources: []\n");
  dir.write("charts/app/good/values.yaml", "replicas: 1\n");
  dir.write("extensions/template/CHANGELOG.md", "# Changelog\n");
  dir.write("charts/app/templates/deployment.yaml", "kind: Deployment\n");
  dir.write("other/deny-secret-type/.chainsaw-test/bad-secret.yaml", "kind: Secret\n");
  dir.write("other/deny-secret-type/.kyverno-test/resource.yaml", "kind: Secret\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("other/deny-secret-type/.chainsaw-test/bad-secret.yaml"), "fixtures");
  EXPECT_EQ(seen.at("other/deny-secret-type/.kyverno-test/resource.yaml"), "fixtures");
  EXPECT_EQ(seen.at("test/bats/tests/good/playground_ns.yaml"), "fixtures");
  EXPECT_EQ(seen.at("test/bats/tests/remote-cluster/deployment.yaml"), "fixtures");
  EXPECT_EQ(seen.at("test/policies/bad/privileged.yaml"), "fixtures");
  EXPECT_EQ(seen.at("demo/agilebank/good_resources/namespace.yaml"), "fixtures");
  EXPECT_EQ(seen.at("deploy/demo/kustomization.yaml"), "project");
  EXPECT_EQ(seen.at("charts/app/good/values.yaml"), "project");  // good/ outside a test directory
  EXPECT_EQ(seen.at("extensions/template/CHANGELOG.md"), "fixtures");  // a scaffold for others
  EXPECT_EQ(seen.at("charts/app/templates/deployment.yaml"), "project");
}

// What a test feeds the code under test is its input; the test's code and a
// chart's test hooks are judged.
TEST(ProvenanceTest, ArtifactsUnderATestDirectoryAreTestInputs) {
  TempDir dir;
  dir.write("test/expansion/cronjob.yaml", "kind: CronJob\n");
  dir.write("test/image/Dockerfile", "FROM alpine:3.20\n");
  dir.write("pkg/webhook/testing/policy.json", "{}\n");
  dir.write("test/e2e_test.go", "package e2e\n");
  dir.write("charts/app/templates/tests/test-connection.yaml", "kind: Pod\n");
  dir.write("spec/api/openapi.yaml", "openapi: 3.1.0\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("test/expansion/cronjob.yaml"), "fixtures");
  EXPECT_EQ(seen.at("test/image/Dockerfile"), "fixtures");
  EXPECT_EQ(seen.at("pkg/webhook/testing/policy.json"), "fixtures");
  EXPECT_EQ(seen.at("test/e2e_test.go"), "project");
  EXPECT_EQ(seen.at("charts/app/templates/tests/test-connection.yaml"), "project");
  EXPECT_EQ(seen.at("spec/api/openapi.yaml"), "project");
}

TEST(ProvenanceTest, ARepositoryTitledAsACollectionOfExamplesHasExamplesInItsSubdirectories) {
  // Shaped like argoproj/argocd-example-apps: each directory is an example app.
  TempDir dir;
  dir.write("README.md", "# ArgoCD Example Apps\n\nThis repository contains example applications.\n");
  dir.write("guestbook/guestbook-ui-deployment.yaml", "kind: Deployment\n");
  dir.write("helm-guestbook/Chart.yaml", "apiVersion: v2\nname: helm-guestbook\n");
  dir.write("docs/runbook.md", "# Runbook\n");
  dir.write(".github/workflows/ci.yml", "on: push\n");
  dir.write("renovate.json", "{}\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("guestbook/guestbook-ui-deployment.yaml"), "fixtures");
  EXPECT_EQ(seen.at("helm-guestbook/Chart.yaml"), "fixtures");
  // The collection's own files, documentation and pipeline are judged.
  EXPECT_EQ(seen.at("README.md"), "project");
  EXPECT_EQ(seen.at("renovate.json"), "project");
  EXPECT_EQ(seen.at("docs/runbook.md"), "project");
  EXPECT_EQ(seen.at(".github/workflows/ci.yml"), "project");
}

TEST(ProvenanceTest, ADirectoryTitledAsACollectionOfExamplesHoldsExamples) {
  TempDir dir;
  dir.write("README.md", "# Shop\n");
  dir.write("deploy/web.yaml", "kind: Deployment\n");
  dir.write("k8s-recipes/README.md", "Kubernetes Recipes and Samples\n==============================\n");
  dir.write("k8s-recipes/redis/redis.yaml", "kind: StatefulSet\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("deploy/web.yaml"), "project");
  EXPECT_EQ(seen.at("k8s-recipes/redis/redis.yaml"), "fixtures");
}

TEST(ProvenanceTest, OnlyATitleNamingSeveralExamplesMakesACollection) {
  EXPECT_TRUE(titles_a_collection_of_examples("# Dapr Quickstarts and Tutorials\n"));
  EXPECT_TRUE(titles_a_collection_of_examples("# Harness CD & GitOps Example Apps\n"));
  EXPECT_TRUE(titles_a_collection_of_examples("<!-- badge -->\n\n# Terraform examples\n"));
  EXPECT_TRUE(titles_a_collection_of_examples("Demos\n=====\n"));
  // One sample project, a word inside another, a title elsewhere than the first heading.
  EXPECT_FALSE(titles_a_collection_of_examples("# Swagger Petstore Sample\n"));
  EXPECT_FALSE(titles_a_collection_of_examples("# Counterexamples considered harmful\n"));
  EXPECT_FALSE(titles_a_collection_of_examples("# Shop\n\n## Examples\n"));
  EXPECT_FALSE(titles_a_collection_of_examples("No heading at all, just examples.\n"));
}

// Discovery reads a README's start for its title: every start of a README
// either decides nothing or gives the title the whole README gives.
TEST(ProvenanceTest, AReadmesStartGivesItsTitleOrNothing) {
  for (const std::string_view readme :
       {"# Terraform examples\n\nMore.\n", "<!-- badge -->\r\n\r\n# Dapr Quickstarts\r\n", "Demos\n=====\n",
        "Demos\n==\n", "# Shop\n\n## Examples\n", "No heading at all.\nJust text.\n", "## Level two\n# Examples\n"}) {
    const auto title = readme_title(readme);
    ASSERT_TRUE(title.has_value()) << readme;
    for (std::size_t size = 0; size <= readme.size(); ++size) {
      const auto from_start = readme_title(readme.substr(0, size), size == readme.size());
      if (from_start) {
        EXPECT_EQ(*from_start, *title) << readme << " cut at " << size;
      }
    }
    // Complete lines decide, unless none is a heading: more may follow.
    const auto decided = readme_title(readme, false);
    EXPECT_TRUE(decided ? *decided == *title : title->empty()) << readme;
  }
  EXPECT_FALSE(readme_title("# Terraform exa", false).has_value());
  EXPECT_EQ(readme_title("# Terraform exa", true), "Terraform exa");
}

// A title after a long preamble (badges, HTML) is still found: the README
// is read whole when its start holds no heading.
TEST(ProvenanceTest, ACollectionTitleFarIntoTheReadmeIsFound) {
  TempDir dir;
  std::string readme;
  while (readme.size() < 40 * 1024) readme += "<img src=\"https://example.com/badge.svg\" alt=\"build status\">\n";
  readme += "# Kubernetes Examples\n";
  dir.write("recipes/README.md", readme);
  dir.write("recipes/redis/redis.yaml", "kind: StatefulSet\n");
  dir.write("shop/README.md", readme.substr(0, 40 * 1024) + "\n# Shop\n");
  dir.write("shop/web.yaml", "kind: Deployment\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("recipes/redis/redis.yaml"), "fixtures");
  EXPECT_EQ(seen.at("shop/web.yaml"), "project");
}

TEST(ProvenanceTest, ManifestsShownInTheDocumentationAreNotDeployed) {
  // Shaped like external-dns's docs/snippets and docs/tutorials.
  TempDir dir;
  dir.write("docs/tutorials/aws/external-dns.yaml", "kind: Deployment\n");
  dir.write("docs/Dockerfile", "FROM alpine\n");
  dir.write("docs/api/openapi.yaml", "openapi: 3.1.0\n");
  dir.write("docs/runbooks/outage.md", "# Outage\n");
  dir.write("deploy/docs/configmap.yaml", "kind: ConfigMap\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("docs/tutorials/aws/external-dns.yaml"), "documentation");
  EXPECT_EQ(seen.at("docs/Dockerfile"), "documentation");
  // The API's contract and the documents themselves are judged.
  EXPECT_EQ(seen.at("docs/api/openapi.yaml"), "project");
  EXPECT_EQ(seen.at("docs/runbooks/outage.md"), "project");
  EXPECT_EQ(seen.at("deploy/docs/configmap.yaml"), "project");
}

TEST(ProvenanceTest, LinguistAttributesSetAndUnsetProvenanceDeepestFileFirst) {
  TempDir dir;
  dir.write(".gitattributes",
            "# linguist overrides\n"
            "third/** linguist-vendored\n"
            "gen/*.ts linguist-generated=true\n"
            "docs/** linguist-documentation\n"
            "vendor/ours/** -linguist-vendored\n"
            "*.snap binary\n");
  dir.write("third/lib.py", "x = 1\n");
  dir.write("gen/client.ts", "export {}\n");
  dir.write("gen/README.md", "# gen\n");
  dir.write("docs/diagram.yaml", "kind: Pod\n");
  dir.write("vendor/ours/main.go", "package ours\n");
  dir.write("vendor/theirs/main.go", "package theirs\n");
  dir.write("ui/button.snap", "snapshot\n");
  // A deeper .gitattributes overrides the root's for its own paths.
  dir.write("third/keep/.gitattributes", "*.py linguist-vendored=false\n");
  dir.write("third/keep/mine.py", "y = 2\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("third/lib.py"), "vendored");
  EXPECT_EQ(seen.at("gen/client.ts"), "generated");
  EXPECT_EQ(seen.at("gen/README.md"), "project");
  EXPECT_EQ(seen.at("docs/diagram.yaml"), "documentation");
  EXPECT_EQ(seen.at("vendor/ours/main.go"), "project");
  EXPECT_EQ(seen.at("vendor/theirs/main.go"), "vendored");
  EXPECT_EQ(seen.at("ui/button.snap"), "binary");
  EXPECT_EQ(seen.at("third/keep/mine.py"), "project");
}

TEST(ProvenanceTest, BinaryNamesAreSetAsideUnlessAFileConstableReadsByName) {
  TempDir dir;
  dir.write("logo.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  dir.write("dist/app.tar.gz", "gz");
  dir.write("lib/tool.jar", "PK");
  dir.write("Dockerfile", "FROM alpine:3.20\n");
  const auto seen = provenance_by_path(dir.path());
  EXPECT_EQ(seen.at("logo.png"), "binary");
  EXPECT_EQ(seen.at("dist/app.tar.gz"), "binary");
  EXPECT_EQ(seen.at("lib/tool.jar"), "binary");
  EXPECT_EQ(seen.at("Dockerfile"), "project");
}

TEST(ProvenanceTest, IncludeBringsBackCategoriesAndGlobs) {
  TempDir dir;
  dir.write("testdata/api.yaml", "openapi: 3.1.0\n");
  dir.write("fixtures/other.yaml", "openapi: 3.1.0\n");
  dir.write("vendor/lib/x.go", "package lib\n");
  dir.write("vendor/lib/y.go", "package lib\n");
  DiscoveryOptions by_category;
  by_category.include = {"fixtures"};
  auto seen = provenance_by_path(dir.path(), by_category);
  EXPECT_EQ(seen.at("testdata/api.yaml"), "project");
  EXPECT_EQ(seen.at("fixtures/other.yaml"), "project");
  EXPECT_EQ(seen.at("vendor/lib/x.go"), "vendored");

  DiscoveryOptions by_glob;
  by_glob.include = {"vendor/lib/x.go", "testdata/**"};
  seen = provenance_by_path(dir.path(), by_glob);
  EXPECT_EQ(seen.at("vendor/lib/x.go"), "project");
  EXPECT_EQ(seen.at("vendor/lib/y.go"), "vendored");
  EXPECT_EQ(seen.at("testdata/api.yaml"), "project");
  EXPECT_EQ(seen.at("fixtures/other.yaml"), "fixtures");
}

TEST(ProvenanceTest, CountsAndLookupsOfSetAsideFiles) {
  TempDir dir;
  dir.write("vendor/a.go", "package a\n");
  dir.write("vendor/b.go", "package b\n");
  dir.write("testdata/c.yaml", "a: 1\n");
  dir.write("main.go", "package main\n");
  auto ws = discover(dir.path(), {});
  ASSERT_TRUE(ws.has_value());
  const auto counts = ws->set_aside_counts();
  EXPECT_EQ(counts[static_cast<std::size_t>(Provenance::vendored)], 2u);
  EXPECT_EQ(counts[static_cast<std::size_t>(Provenance::fixture)], 1u);
  EXPECT_EQ(counts[static_cast<std::size_t>(Provenance::project)], 0u);
  EXPECT_TRUE(ws->is_set_aside("vendor/b.go"));
  EXPECT_FALSE(ws->is_set_aside("main.go"));
}

TEST(ProvenanceTest, ASingleFileNamedOnTheCommandLineIsAlwaysJudged) {
  TempDir dir;
  const auto file = dir.write("vendor/Dockerfile", "FROM alpine\n");
  auto ws = discover(file, {});
  ASSERT_TRUE(ws.has_value());
  ASSERT_EQ(ws->files.size(), 1u);
  EXPECT_TRUE(ws->set_aside.empty());
}

TEST(ProvenanceTest, AttributeLinesConstableDoesNotUnderstandAreIgnored) {
  AttributeRules rules;
  rules.add_lines("[attr]vendored linguist-vendored\n!negated linguist-vendored\n\"unterminated\n*.txt text eol=lf\n",
                  "");
  EXPECT_TRUE(rules.empty());
  AttributeStates states{};
  rules.apply("a.txt", states);
  EXPECT_EQ(resolve_provenance(Provenance::project, states), Provenance::project);
}

}  // namespace
}  // namespace constable::workspace

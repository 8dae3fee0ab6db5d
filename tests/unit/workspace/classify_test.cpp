#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "workspace/workspace.hpp"

namespace constable::workspace {
namespace {

TEST(WorkspaceClassifyTest, Table) {
  struct Case {
    std::string_view path;
    FileKind kind;
  };
  const std::vector<Case> cases = {
      {"Dockerfile", FileKind::dockerfile},
      {"svc/api/Dockerfile", FileKind::dockerfile},
      {"dockerfile", FileKind::dockerfile},
      {"DOCKERFILE", FileKind::dockerfile},
      {"Containerfile", FileKind::dockerfile},
      {"Dockerfile.prod", FileKind::dockerfile},
      {"Dockerfile.dev", FileKind::dockerfile},
      {"docker/api.Dockerfile", FileKind::dockerfile},
      {"web.dockerfile", FileKind::dockerfile},
      {"Dockerfile.md", FileKind::markdown},
      {"api.Dockerfile.dockerignore", FileKind::other},
      {"fuzz/dicts/dockerfile.dict", FileKind::other},
      {"Dockerfiles/readme.txt", FileKind::other},
      {"MyDockerfile", FileKind::other},
      {"docker-compose.yml", FileKind::yaml},
      {"k8s/deploy.yaml", FileKind::yaml},
      {"CONFIG.YML", FileKind::yaml},
      {"package.json", FileKind::json},
      {"README.md", FileKind::markdown},
      {"docs/guide.markdown", FileKind::markdown},
      {"main.py", FileKind::source},
      {"web/app/page.tsx", FileKind::source},
      {"features/checkout.feature", FileKind::gherkin},
      {"Makefile", FileKind::other},
      {".yaml", FileKind::yaml},
      {"noext", FileKind::other},
      {"dir.yaml/file", FileKind::other},
      {"", FileKind::other},
      {"trailing/", FileKind::other},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify(c.path), c.kind) << "'" << c.path << "' -> " << to_string(classify(c.path));
  }
}

std::vector<File> files_of(const std::vector<std::string>& paths) {
  std::vector<File> files;
  for (const auto& path : paths) files.push_back(File{path, path, 1, classify(path)});
  return files;
}

// The paths mark_chart_templates makes helm templates, in order.
std::vector<std::string> chart_templates(const std::vector<std::string>& paths) {
  auto files = files_of(paths);
  mark_chart_templates(files);
  std::vector<std::string> templates;
  for (const auto& f : files)
    if (f.kind == FileKind::helm_template) templates.push_back(f.path);
  return templates;
}

TEST(WorkspaceClassifyTest, FilesUnderAChartsTemplatesAreHelmTemplates) {
  EXPECT_EQ(chart_templates({"charts/web/Chart.yaml", "charts/web/templates/deployment.yaml",
                             "charts/web/templates/_helpers.tpl", "charts/web/templates/tests/test.yaml",
                             "charts/web/values.yaml", "templates/email.yaml", "k8s/templates/deploy.yaml"}),
            (std::vector<std::string>{"charts/web/templates/deployment.yaml", "charts/web/templates/_helpers.tpl",
                                      "charts/web/templates/tests/test.yaml"}));
}

TEST(WorkspaceClassifyTest, ARootChartAndSubchartsHaveTheirTemplatesOnly) {
  // A directory with no Chart.yaml (charts/cache/) is no chart, however named.
  EXPECT_EQ(chart_templates({"Chart.yaml", "templates/a.yaml", "templates/nested/templates/b.yaml",
                             "charts/db/Chart.yaml", "charts/db/templates/c.yaml", "charts/db/mytemplates/d.yaml",
                             "docs/templates/e.yaml", "charts/cache/templates/f.yaml"}),
            (std::vector<std::string>{"templates/a.yaml", "templates/nested/templates/b.yaml",
                                      "charts/db/templates/c.yaml"}));
}

std::set<std::string> facts_of(const std::vector<std::string>& paths) { return detect_stack(files_of(paths)).facts; }

TEST(WorkspaceStackTest, FactsFromPaths) {
  using Facts = std::set<std::string>;
  EXPECT_EQ(facts_of({}), Facts{});
  EXPECT_EQ(facts_of({"README.md", "src/main.c"}), Facts{});
  EXPECT_EQ(facts_of({"svc/Dockerfile.prod"}), (Facts{"deploys", "docker"}));
  // A development image or a dev container is Docker, but ships nothing.
  EXPECT_EQ(facts_of({".devcontainer/Dockerfile", "Dockerfile.dev"}), Facts{"docker"});
  EXPECT_EQ(facts_of({"docker-compose.override.yaml"}), (Facts{"deploys", "docker"}));
  EXPECT_EQ(facts_of({"deploy/compose.yml"}), (Facts{"deploys", "docker", "kubernetes"}));
  EXPECT_EQ(facts_of({"charts/app/Chart.yaml"}), (Facts{"deploys", "helm", "kubernetes"}));
  EXPECT_EQ(facts_of({"dapr.yaml"}), Facts{"dapr"});
  EXPECT_EQ(facts_of({"dapr/components/pubsub.yaml"}), Facts{"dapr"});
  EXPECT_EQ(facts_of({"deploy/dapr/resiliency.yml"}), (Facts{"dapr", "deploys", "kubernetes"}));
  EXPECT_EQ(facts_of({"components/statestore.yaml"}), Facts{});  // a Dapr resource only by its content
  EXPECT_EQ(facts_of({"overlays/prod/kustomization.yaml"}), (Facts{"deploys", "kubernetes"}));
  EXPECT_EQ(facts_of({"infra/k8s/base/deployment.yaml"}), (Facts{"deploys", "kubernetes"}));
  EXPECT_EQ(facts_of({"kubernetes/svc.yml"}), (Facts{"deploys", "kubernetes"}));
  EXPECT_EQ(facts_of({"manifests/a.yaml"}), (Facts{"deploys", "kubernetes"}));
  EXPECT_EQ(facts_of({"k8s/README.md"}), Facts{});
  EXPECT_EQ(facts_of({"config/app.yaml"}), Facts{});
  EXPECT_EQ(facts_of({"pyproject.toml"}), Facts{"python"});
  EXPECT_EQ(facts_of({"requirements-dev.txt"}), Facts{"python"});
  EXPECT_EQ(facts_of({"tools/setup.py"}), Facts{"python"});
  EXPECT_EQ(facts_of({"pkg/mod.py"}), Facts{"python"});
  EXPECT_EQ(facts_of({"web/package.json"}), Facts{"node"});
  EXPECT_EQ(facts_of({"web/next.config.mjs"}), (Facts{"nextjs", "node"}));
  EXPECT_EQ(facts_of({".github/workflows/ci.yml"}), Facts{"github-actions"});
  EXPECT_EQ(facts_of({"docs/.github/workflows/ci.yml"}), Facts{});
  EXPECT_EQ(facts_of({".gitlab-ci.yml"}), Facts{"gitlab-ci"});
  EXPECT_EQ(facts_of({"infra/main.tf"}), (Facts{"deploys", "terraform"}));
  EXPECT_EQ(facts_of({"api/openapi.yaml"}), Facts{"openapi"});
  EXPECT_EQ(facts_of({"swagger.json"}), Facts{"openapi"});
  EXPECT_EQ(facts_of({"Dockerfile", "package.json", "main.tf", "app.py"}),
            (Facts{"deploys", "docker", "node", "python", "terraform"}));
  EXPECT_TRUE(detect_stack(files_of({"Chart.yaml"})).has("helm"));
  EXPECT_FALSE(detect_stack(files_of({"Chart.yaml"})).has("docker"));
}

}  // namespace
}  // namespace constable::workspace

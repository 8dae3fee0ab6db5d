// Helm checks beyond their fixtures: the chart structure follows the tree in
// the constitution, appVersion falls back to the latest SemVer git tag, and
// the SemVer helpers order versions as semver.org says.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>

#include "app/app.hpp"
#include "checks/helm/helm_support.hpp"
#include "engine/run.hpp"
#include "git/repository.hpp"
#include "support/test_support.hpp"
#include "unit/git/repo_builder.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

// A chart with everything of the reference tree except templates/ingress.yaml.
void write_chart_without_ingress(const TempDir& repo) {
  repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: \"1.9.0\"\n");
  for (const char* file : {"values.yaml", "values-dev.yaml", "values-prod.yaml", "templates/deployment.yaml",
                           "templates/service.yaml", "templates/_helpers.tpl", "templates/tests/test.yaml"})
    repo.write(fmt::format("charts/web/{}", file), "# placeholder\n");
}

// Messages of `check`'s findings on `repo`, with `constitution` and, when given, a git repository.
std::vector<std::string> findings_of(const TempDir& repo, std::string_view constitution, std::string_view check,
                                     const git::Repository* repository = nullptr) {
  repo.write("CONSTITUTION.md", constitution);
  repo.write(".constable.yaml", fmt::format("select:\n  - \"{}\"\n", check));
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  EXPECT_TRUE(session) << (session ? "" : session.error().to_string());
  if (!session) return {};
  engine::RunOptions run_options;
  run_options.repository = repository;
  const auto result = engine::run(session->plan, session->constitution, session->config, session->workspace,
                                  run_options);
  std::vector<std::string> messages;
  for (const auto& f : result.findings)
    if (f.check_id == check) messages.push_back(fmt::format("{}:{} {}", f.path, f.range.line, f.message));
  return messages;
}

std::string reference_excerpt() { return read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"); }

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(HelmChartStructure, FollowsTheTreeInTheConstitution) {
  TempDir repo;
  write_chart_without_ingress(repo);
  const std::string excerpt = reference_excerpt();
  EXPECT_EQ(findings_of(repo, excerpt, "helm/chart-structure"),
            std::vector<std::string>{"charts/web/Chart.yaml:2 chart 'web' has no file "
                                     "'charts/web/templates/ingress.yaml' (required by the chart structure)"});

  // Amend the tree: ingress.yaml is no longer required, values-staging.yaml and a README are.
  std::string amended = replaced(excerpt, "│   ├── ingress.yaml\n", "");
  amended = replaced(amended, "├── values-prod.yaml    # Production overrides\n",
                     "├── values-prod.yaml    # Production overrides\n├── values-staging.yaml\n├── README.md\n");
  EXPECT_EQ(findings_of(repo, amended, "helm/chart-structure"),
            (std::vector<std::string>{
                "charts/web/Chart.yaml:2 chart 'web' has no file 'charts/web/README.md' (required by the chart "
                "structure)",
                "charts/web/Chart.yaml:2 chart 'web' has no file 'charts/web/values-staging.yaml' (required by the "
                "chart structure)"}));

  // Without the tree the check has no clause and stays inactive.
  const auto block_start = excerpt.find("#### Chart Structure");
  const auto block_end = excerpt.find("#### Versioning");
  ASSERT_NE(block_start, std::string::npos);
  std::string without = excerpt;
  without.erase(block_start, block_end - block_start);
  EXPECT_TRUE(findings_of(repo, without, "helm/chart-structure").empty());
}

TEST(HelmAppVersion, FallsBackToTheHighestSemverTag) {
  TempDir repo;
  write_chart_without_ingress(repo);
  git::testing::RepoBuilder builder(repo.path());
  const std::string commit = builder.commit("main", "feat: web", {{"README.md", "web\n"}}, 1'700'000'000);
  for (const char* tag : {"v1.2.0", "v1.10.0-rc.1", "v1.10.0", "v1.9.0", "web-9.9.9", "nightly"})
    builder.lightweight_tag(tag, commit);
  auto repository = git::Repository::discover(repo.path());
  ASSERT_TRUE(repository) << repository.error().to_string();

  EXPECT_EQ(findings_of(repo, reference_excerpt(), "helm/app-version", &*repository),
            std::vector<std::string>{"charts/web/Chart.yaml:4 appVersion '1.9.0' does not match the application "
                                     "version v1.10.0 (git tag v1.10.0)"});
  // An application version next to the chart wins over the tags.
  repo.write("charts/VERSION", "1.9.0\n");
  EXPECT_TRUE(findings_of(repo, reference_excerpt(), "helm/app-version", &*repository).empty());
}

TEST(HelmSemver, ValidatesAndOrdersAsSemverOrg) {
  using checks::helm::compare_semver;
  using checks::helm::is_semver;
  EXPECT_TRUE(is_semver("1.0.0-alpha.1+build.7"));
  EXPECT_FALSE(is_semver("v1.0.0"));
  EXPECT_FALSE(is_semver("1.2"));
  EXPECT_FALSE(is_semver("01.2.3"));
  // semver.org §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2
  // < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0 < 1.10.0
  const std::vector<std::string> ordered = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                            "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.10.0"};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(compare_semver(ordered[i], ordered[i + 1]), 0) << ordered[i] << " < " << ordered[i + 1];
    EXPECT_GT(compare_semver(ordered[i + 1], ordered[i]), 0) << ordered[i + 1] << " > " << ordered[i];
  }
  EXPECT_EQ(compare_semver("1.0.0+a", "1.0.0+b"), 0);
}

}  // namespace
}  // namespace constable::testing

// `check --cache DIR`, end to end: a second run answers from the cache with
// the same report, and every kind of change (a file, a chart's values, a
// document another file $refs, the day an inline suppression expires, a
// damaged entry) gives what a run without the cache gives.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/cli_support.hpp"
#include "core/digest.hpp"
#include "engine/result_cache.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Runs {
  CommandResult uncached, cached;
};

// The same check without and with the cache; the cached run adds --stats
// (stripped before comparing) to say what came from the cache.
Runs check_both(const TempDir& repo, const fs::path& cache, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"check", ".", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  Runs runs;
  runs.uncached = constable(args, repo.path());
  args.insert(args.end(), {"--cache", cache.string(), "--stats"});
  runs.cached = constable(args, repo.path());
  return runs;
}

json without_stats(const std::string& out) {
  json doc = json::parse(out);
  doc.erase("stats");
  return doc;
}

json from_cache(const CommandResult& run) { return json::parse(run.out).at("stats").at("from_cache"); }

void expect_same_report(const Runs& runs) {
  EXPECT_EQ(runs.uncached.exit_code, runs.cached.exit_code) << runs.cached.err;
  EXPECT_EQ(without_stats(runs.uncached.out), without_stats(runs.cached.out));
}

void copy_example(const TempDir& repo, std::string_view example) {
  fs::copy(source_dir() / "examples" / example, repo.path(), fs::copy_options::recursive);
}

void append(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::app);
  out << text;
}

TEST(Cache, ASecondRunAnswersFromTheCacheWithTheSameReport) {
  const TempDir repo, cache;
  copy_example(repo, "k8s-platform");
  const Runs first = check_both(repo, cache.path());
  expect_same_report(first);
  EXPECT_EQ(from_cache(first.cached)["files"], 0);
  const Runs second = check_both(repo, cache.path());
  expect_same_report(second);
  const json stats = json::parse(second.cached.out).at("stats");
  EXPECT_EQ(stats["from_cache"]["files"], stats["files_checked"]);
  EXPECT_EQ(stats["from_cache"]["repository"], true);
  EXPECT_EQ(stats["from_cache"]["manifests"], true);
  EXPECT_EQ(stats["bytes_read"], 0) << "nothing unchanged is read again";
  // The text report is the same too.
  const auto text = constable({"check", "."}, repo.path());
  const auto cached_text = constable({"check", ".", "--cache", cache.path().string()}, repo.path());
  EXPECT_EQ(text.out, cached_text.out);
}

TEST(Cache, AChangedFileInvalidatesWhatReadsIt) {
  const TempDir repo, cache;
  copy_example(repo, "k8s-platform");
  (void)check_both(repo, cache.path());
  // A chart's values: that file, the chart's renders and the manifest phase.
  const fs::path values = repo.path() / "charts" / "storefront" / "values.yaml";
  ASSERT_TRUE(fs::exists(values));
  append(values, "extraSecret: hunter2hunter2hunter2\n");
  const Runs after_values = check_both(repo, cache.path());
  expect_same_report(after_values);
  EXPECT_EQ(from_cache(after_values.cached)["manifests"], false);
  const json stats = json::parse(after_values.cached.out).at("stats");
  EXPECT_GT(stats["from_cache"]["files"], 0);
  EXPECT_LT(stats["from_cache"]["files"], stats["files_checked"]);
  // A Markdown file: only that file; the manifests stay cached.
  append(repo.path() / "README.md", "\nAWS key in a doc: AKIAIOSFODNN7EXAMPLF\n");
  const Runs after_readme = check_both(repo, cache.path());
  expect_same_report(after_readme);
  EXPECT_EQ(from_cache(after_readme.cached)["manifests"], true);
  // A file removed and one added.
  fs::remove(repo.path() / "README.md");
  repo.write("Dockerfile", "FROM python:3.12\nUSER root\n");
  expect_same_report(check_both(repo, cache.path()));
}

TEST(Cache, AManifestChangedChangesTheFindingsOfTheUnchangedOnesItRelatesTo) {
  const TempDir repo, cache;
  copy_example(repo, "k8s-platform");
  (void)check_both(repo, cache.path());
  const fs::path budget = repo.path() / "k8s" / "overlays" / "prod" / "pdb.yaml";
  ASSERT_TRUE(fs::exists(budget));
  auto budget_findings = [](const CommandResult& run) {
    int count = 0;
    const json report = json::parse(run.out);
    for (const auto& finding : report.at("findings"))
      if (finding.at("check") == "kubernetes/pod-disruption-budget" &&
          finding.at("location").at("path") == "k8s/base/deployment.yaml")
        ++count;
    return count;
  };
  const Runs before = check_both(repo, cache.path());
  ASSERT_EQ(budget_findings(before.cached), 1);
  // The budget now selects the Deployment's pods: k8s/base/deployment.yaml,
  // unchanged, and the repository-scope phase, which reads neither, come
  // from the cache, and the Deployment's finding goes.
  std::string text = read_file(budget);
  text.replace(text.find("app: storefront-web"), 19, "app: storefront");
  std::ofstream(budget, std::ios::trunc) << text;
  const Runs after = check_both(repo, cache.path());
  expect_same_report(after);
  EXPECT_EQ(from_cache(after.cached)["repository"], true);
  EXPECT_EQ(from_cache(after.cached)["manifests"], false);
  EXPECT_EQ(budget_findings(after.cached), 0);
}

TEST(Cache, ADocumentAnotherFileRefsIsADependency) {
  const TempDir repo, cache;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  fs::copy(fixtures_dir() / "api" / "error-problem-details" / "fire-external-ref", repo.path(),
           fs::copy_options::recursive);
  const std::vector<std::string> select = {"--select", "api/error-problem-details"};
  const Runs before = check_both(repo, cache.path(), select);
  expect_same_report(before);
  EXPECT_EQ(before.cached.exit_code, 1);
  // The referenced response becomes RFC 7807: openapi.yaml's finding goes,
  // although openapi.yaml itself did not change.
  repo.write("responses.yaml",
             "BadRequest:\n  description: Bad request\n  content:\n    application/problem+json:\n"
             "      schema: {type: object, properties: {type: {type: string}, title: {type: string}, "
             "status: {type: integer}, detail: {type: string}, instance: {type: string}}}\n");
  const Runs after = check_both(repo, cache.path(), select);
  expect_same_report(after);
  EXPECT_EQ(after.cached.exit_code, 0) << after.cached.out;
}

TEST(Cache, AnInlineSuppressionExpiresOnItsDayDespiteTheCache) {
  const TempDir repo, cache;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  repo.write("Dockerfile",
             "FROM python:3.12\n# constable:ignore[docker/non-root-user] reason=\"host mount\" until=2026-12-31\n"
             "USER root\n");
  const Runs before = check_both(repo, cache.path(), {"--today", "2026-12-30"});
  expect_same_report(before);
  const Runs again = check_both(repo, cache.path(), {"--today", "2026-12-30"});
  expect_same_report(again);
  EXPECT_EQ(from_cache(again.cached)["files"], json::parse(again.cached.out)["stats"]["files_checked"]);
  const Runs expired = check_both(repo, cache.path(), {"--today", "2027-01-02"});
  expect_same_report(expired);
  EXPECT_NE(without_stats(expired.cached.out)["findings"], without_stats(before.cached.out)["findings"]);
}

// With two charts, a change to one of them renders that one again; the
// other's renders come from the cache, and the report is the same.
TEST(Cache, AChartWhoseFilesHoldIsNotRenderedAgain) {
  const TempDir repo, cache;
  copy_example(repo, "k8s-platform");
  fs::copy(repo.path() / "charts" / "storefront", repo.path() / "charts" / "checkout", fs::copy_options::recursive);
  (void)check_both(repo, cache.path());
  auto charts_reused = [](const Runs& runs) { return from_cache(runs.cached)["charts"].get<int>(); };
  // Its values.
  append(repo.path() / "charts" / "storefront" / "values.yaml", "extraSecret: hunter2hunter2hunter2\n");
  const Runs after_values = check_both(repo, cache.path());
  expect_same_report(after_values);
  EXPECT_EQ(from_cache(after_values.cached)["manifests"], false);
  EXPECT_EQ(charts_reused(after_values), 1) << "checkout's renders hold";
  // A template of the other chart changed, then one added (no read shows that).
  const fs::path templates = repo.path() / "charts" / "checkout" / "templates";
  ASSERT_TRUE(fs::exists(templates / "deployment.yaml"));
  append(templates / "deployment.yaml", "\n# edited\n");
  const Runs after_template = check_both(repo, cache.path());
  expect_same_report(after_template);
  EXPECT_EQ(charts_reused(after_template), 1) << "storefront's renders hold";
  repo.write("charts/checkout/templates/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n");
  const Runs after_added = check_both(repo, cache.path());
  expect_same_report(after_added);
  EXPECT_EQ(charts_reused(after_added), 1);
  // The kept renders damaged: every chart rendered, the same report.
  for (const auto& entry : fs::directory_iterator(cache.path()))
    if (entry.path().extension() == ".charts")
      std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "constable charts 1\ngarbage";
  append(repo.path() / "charts" / "storefront" / "values.yaml", "another: value\n");
  const Runs after_damage = check_both(repo, cache.path());
  expect_same_report(after_damage);
  EXPECT_EQ(charts_reused(after_damage), 0);
  append(repo.path() / "charts" / "storefront" / "values.yaml", "and: another\n");
  EXPECT_EQ(charts_reused(check_both(repo, cache.path())), 1) << "the kept renders were rewritten";
}

TEST(Cache, ADamagedEntryIsIgnored) {
  const TempDir repo, cache;
  copy_example(repo, "demo-repo");
  (void)check_both(repo, cache.path());
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(cache.path())) {
    entries += entry.path().extension() == ".bin" ? 1 : 0;
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "constable results 1\ngarbage";
  }
  EXPECT_EQ(entries, 1);
  const Runs runs = check_both(repo, cache.path());
  expect_same_report(runs);
  EXPECT_EQ(from_cache(runs.cached)["files"], 0);
}

// Rewrites the repository's entry with every list of a phase's emissions
// that `damaged(path)` picks replaced by bytes that do not decode; the rest
// of the entry reads as before.
template <typename Picks>
void damage_phase_lists(const fs::path& cache, Picks damaged) {
  const auto garbage = std::make_shared<const std::string>("\x05\xff\xff");
  for (const auto& entry : fs::directory_iterator(cache)) {
    if (entry.path().extension() != ".bin") continue;  // the charts' renders are kept apart
    const std::string bytes = read_file(entry.path());
    const std::size_t header = engine::results_header(digest::Sha256{}).size();
    ASSERT_GE(bytes.size(), header);
    digest::Sha256 salt{};
    std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(header - salt.size()), salt.size(), salt.begin());
    auto run = engine::decode_results(bytes, salt);
    ASSERT_TRUE(run.has_value()) << entry.path();
    int replaced = 0;
    std::string seen;
    for (engine::StoredPhase* phase : {&run->repository, &run->manifests})
      for (auto& about : phase->emitted) {
        seen += about.path + (phase == &run->repository ? " (repository)\n" : " (manifests)\n");
        if (damaged(about.path)) {
          about.emitted = engine::EncodedEmissions(garbage, *garbage);
          ++replaced;
        }
      }
    ASSERT_GT(replaced, 0) << seen;
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << engine::encode_results(salt, *run);
  }
}

// A list is decoded only where a file needs it, long after the entry read
// as sound: one that does not decode then makes the run again without the
// entry, which is rewritten whole.
TEST(Cache, AListThatDoesNotDecodeWhenNeededCostsARunNotAWrongReport) {
  const TempDir repo, cache;
  copy_example(repo, "k8s-platform");
  // Files with an inline suppression are finalised anew on every run, so
  // the phases' emissions about them are decoded even from the cache.
  append(repo.path() / "charts" / "storefront" / "Chart.yaml", "# constable:ignore[helm/chart-version-semver] reason=\"test\"\n");
  append(repo.path() / "k8s" / "base" / "deployment.yaml", "# constable:ignore[kubernetes/probes] reason=\"test\"\n");
  (void)check_both(repo, cache.path());
  // The repository phase's about the chart, the manifest phase's about the Deployment.
  for (const std::string damaged : {"charts/storefront/Chart.yaml", "k8s/base/deployment.yaml"}) {
    damage_phase_lists(cache.path(), [&](const std::string& path) { return path == damaged; });
    const Runs runs = check_both(repo, cache.path());
    expect_same_report(runs);
    EXPECT_EQ(from_cache(runs.cached)["files"], 0) << damaged << ": made again without the entry";
  }
  // Every list damaged, and then an entry that is sound again.
  damage_phase_lists(cache.path(), [](const std::string&) { return true; });
  expect_same_report(check_both(repo, cache.path()));
  const Runs after = check_both(repo, cache.path());
  expect_same_report(after);
  EXPECT_EQ(from_cache(after.cached)["repository"], true);
  EXPECT_EQ(from_cache(after.cached)["manifests"], true);
}

TEST(Cache, OnlyAWholeWorkingTreeRunUsesIt) {
  const TempDir repo, cache;
  copy_example(repo, "demo-repo");
  (void)check_both(repo, cache.path());
  const auto named = constable({"check", "README.md", "--format", "json", "--stats", "--cache", cache.path().string()},
                               repo.path());
  EXPECT_FALSE(json::parse(named.out).at("stats").contains("from_cache")) << named.out;
}

}  // namespace
}  // namespace constable::testing

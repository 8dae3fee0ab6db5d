// The content cache's entries: what is stored comes back unchanged, anything
// damaged or made with another salt comes back as nothing, and a dependency
// holds exactly while the file it names has the content recorded.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/charts.hpp"
#include "engine/result_cache.hpp"
#include "support/test_support.hpp"

namespace constable::engine {
namespace {

using testing::TempDir;

StoredRun sample_run() {
  StoredRun run;
  StoredFile& file = run.files["deploy/app.yaml"];
  file.stat = StatSignature{120, 1'700'000'000'123'456'789ULL, 1'700'000'000'123'456'790ULL, 42, 7};
  file.content = digest::sha256("kind: Deployment\n");
  file.kind = FileKind::yaml;
  file.suppresses = true;
  file.collected = true;
  Emission emission{.range = {3, 5, 3, 12}, .message = "runs as root", .remediation = "set runAsNonRoot"};
  emission.secrets.push_back({4, 1, 4, 9});
  emission.anchor = "Deployment/app";
  file.emitted = EncodedEmissions({{"kubernetes/non-root", "k8s/security/non-root", "", emission}});
  file.notes.push_back({"deploy/app.yaml:2:1", "invalid UTF-8; shown with replacement characters"});
  file.in_manifest_set = true;
  file.awaits_manifests = true;
  file.dependencies.push_back({"/repo/deploy/base.yaml", std::nullopt, false, {}});
  file.finalized = true;
  file.finalized_from = digest::sha256("emissions");
  Finding finding;
  finding.check_id = "kubernetes/non-root";
  finding.clause_id = "k8s/security/non-root";
  finding.clause_text = "Containers MUST NOT run as root";
  finding.clause_section = "Kubernetes > Security";
  finding.clause_line = 88;
  finding.severity = Severity::high;
  finding.path = "deploy/app.yaml";
  finding.range = {3, 5, 3, 12};
  finding.message = "runs as root";
  finding.snippet = "    runAsUser: 0";
  finding.fingerprint = "00112233aabbccdd";
  finding.also_at.push_back({{9, 1, 9, 4}, "and here"});
  finding.suppression = Suppression{Suppression::Kind::inline_comment, "legacy", "", Date{2027, 1, 31}, "deploy/app.yaml:2"};
  file.findings = EncodedFindings({finding});
  run.late_files["charts/web/values.yaml"].content = digest::sha256("replicas: 1\n");
  run.repository = {true, digest::sha256("shape"), {{"/repo/README.md", StatSignature{1, 2, 3, 4, 5}, true, digest::sha256("# r")}},
                    {{"", EncodedEmissions({{"docs/readme", "", "", Emission{.message = "no CHANGELOG.md"}}})},
                     {"README.md", EncodedEmissions({{"docs/readme", "", "docs/x", Emission{.message = "no quick start", .path_override = "README.md"}}})}},
                    {}};
  run.manifests.present = true;
  run.manifests.notes.push_back({"charts/web/", "dependency 'common' is not vendored"});
  return run;
}

TEST(ResultCache, WhatIsStoredComesBack) {
  const auto salt = digest::sha256("salt");
  const StoredRun run = sample_run();
  const auto decoded = decode_results(encode_results(salt, run), salt);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(encode_results(salt, *decoded), encode_results(salt, run)) << "a second encoding is byte-identical";
  const StoredFile& file = decoded->files.at("deploy/app.yaml");
  EXPECT_EQ(file.stat, run.files.at("deploy/app.yaml").stat);
  EXPECT_EQ(file.kind, FileKind::yaml);
  const auto emitted = file.emitted.decode();
  ASSERT_TRUE(emitted.has_value());
  ASSERT_EQ(emitted->size(), 1u);
  EXPECT_EQ((*emitted)[0].emission.secrets.size(), 1u);
  EXPECT_EQ((*emitted)[0].emission.anchor, "Deployment/app");
  EXPECT_EQ((*emitted)[0].clause_id, "k8s/security/non-root");
  const auto findings = file.findings.decode();
  ASSERT_TRUE(findings.has_value());
  ASSERT_EQ(findings->size(), 1u);
  EXPECT_EQ((*findings)[0].severity, Severity::high);
  ASSERT_TRUE((*findings)[0].suppression.has_value());
  EXPECT_EQ((*findings)[0].suppression->expires, (Date{2027, 1, 31}));
  EXPECT_EQ((*findings)[0].also_at.size(), 1u);
  EXPECT_EQ(decoded->late_files.size(), 1u);
  ASSERT_EQ(decoded->repository.emitted.size(), 2u);
  EXPECT_EQ(decoded->repository.emitted[1].path, "README.md");
  const auto repository = decoded->repository.emitted[1].emitted.decode();
  ASSERT_TRUE(repository.has_value());
  EXPECT_EQ(repository->at(0).emission.path_override, "README.md");
  EXPECT_EQ(decoded->manifests.notes.size(), 1u);
}

TEST(ResultCache, DamagedOrForeignEntriesAreNothing) {
  const auto salt = digest::sha256("salt");
  const std::string bytes = encode_results(salt, sample_run());
  EXPECT_FALSE(decode_results(bytes, digest::sha256("another salt")).has_value());
  for (std::size_t size = 0; size < bytes.size(); ++size)
    EXPECT_FALSE(decode_results(std::string_view(bytes).substr(0, size), salt).has_value()) << "cut at " << size;
  EXPECT_FALSE(decode_results(bytes + "x", salt).has_value()) << "trailing bytes";
  // Flipped bytes never crash the reader (the sanitizers watch); most are caught.
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0xA5);
    if (const auto decoded = decode_results(flipped, salt))
      for (const auto& [path, file] : decoded->files) {
        (void)file.emitted.decode();
        (void)file.findings.decode();
      }
  }
}

StoredCharts sample_charts() {
  StoredCharts charts;
  StoredChart& web = charts["charts/web/"];
  web.key = digest::sha256("charts/web/Chart.yaml");
  web.dependencies.push_back({"/repo/charts/web/values.yaml", StatSignature{9, 1, 2, 3, 4}, true,
                              digest::sha256("replicas: 1\n")});
  web.load_problems.push_back({"charts/web/Chart.yaml", {2, 1, 2, 0}, "unknown field"});
  StoredRender& render = web.renders.emplace_back();
  render.paths = {"charts/web/templates/deploy.yaml", "charts/web/values.yaml"};
  render.manifests.push_back({"charts/web/templates/deploy.yaml", "kind: Deployment\nspec:\n  replicas: 1\n",
                              {{0, 1, 1, 0, 0, false}, {0, 2, 1, 0, 0, false}, {0, 3, 3, 2, 1, true}}});
  render.problems.push_back({"charts/web/templates/svc.yaml", {4, 2, 4, 0}, "parse error"});
  render.notes.push_back({"charts/web/Chart.yaml", "rendered without it: charts/db.tgz"});
  render.left_out = "templates left out for want of them: x.yaml";
  StoredRender& prod = web.renders.emplace_back();
  prod.values_file = "charts/web/values-prod.yaml";
  charts["charts/lib/"].key = digest::sha256("a library: no renders");
  return charts;
}

TEST(ResultCache, KeptRendersComeBackAndDamagedOnesAreNothing) {
  const auto salt = digest::sha256("salt");
  const std::string bytes = encode_charts(salt, sample_charts());
  const auto decoded = decode_charts(bytes, salt);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(encode_charts(salt, *decoded), bytes);
  const StoredRender& render = decoded->at("charts/web/").renders.at(0);
  EXPECT_EQ(render.manifests.at(0).lines.at(2).value_path, 2u);
  EXPECT_TRUE(render.manifests.at(0).lines.at(2).release_namespace);
  EXPECT_EQ(decoded->at("charts/web/").renders.at(1).values_file, "charts/web/values-prod.yaml");
  EXPECT_TRUE(decoded->at("charts/lib/").renders.empty());
  EXPECT_FALSE(decode_charts(bytes, digest::sha256("another salt")).has_value());
  EXPECT_FALSE(decode_charts(encode_results(salt, sample_run()), salt).has_value()) << "an entry is no charts file";
  for (std::size_t size = 0; size < bytes.size(); ++size)
    EXPECT_FALSE(decode_charts(std::string_view(bytes).substr(0, size), salt).has_value()) << "cut at " << size;
  // A line that names a path the render does not have is damage, not a lookup.
  StoredCharts bad = sample_charts();
  bad.at("charts/web/").renders.at(0).manifests.at(0).lines.at(0).path = 7;
  EXPECT_FALSE(decode_charts(encode_charts(salt, bad), salt).has_value());
  bad = sample_charts();
  bad.at("charts/web/").renders.at(0).manifests.at(0).lines.at(0).value_path = 3;
  EXPECT_FALSE(decode_charts(encode_charts(salt, bad), salt).has_value());
}

TEST(ResultCache, EncodedEmissionsOutliveTheEntryTheyWereReadFrom) {
  const auto salt = digest::sha256("salt");
  EncodedEmissions kept;
  {
    auto decoded = decode_results(encode_results(salt, sample_run()), salt);
    ASSERT_TRUE(decoded.has_value());
    kept = decoded->files.at("deploy/app.yaml").emitted;
  }  // the entry's bytes are gone but for what `kept` holds
  const auto emitted = kept.decode();
  ASSERT_TRUE(emitted.has_value());
  ASSERT_EQ(emitted->size(), 1u);
  EXPECT_EQ((*emitted)[0].emission.message, "runs as root");
  EXPECT_EQ(EncodedEmissions().decode().value().size(), 0u) << "the default is the empty list";
}

TEST(ResultCache, EntriesAreSavedAndLoadedByName) {
  const TempDir dir;
  const auto salt = digest::sha256("salt");
  const std::string name = result_cache_name(dir.path() / "repo", salt);
  EXPECT_NE(name, result_cache_name(dir.path() / "other", salt));
  EXPECT_NE(name, result_cache_name(dir.path() / "repo", digest::sha256("other salt")));
  EXPECT_FALSE(load_results(dir.path() / "cache", name, salt).has_value());
  save_results(dir.path() / "cache", name, salt, sample_run());
  EXPECT_TRUE(load_results(dir.path() / "cache", name, salt).has_value());
  // Another repository's entry stays; the same repository's entry of another
  // salt is replaced.
  const auto other_salt = digest::sha256("other salt");
  save_results(dir.path() / "cache", result_cache_name(dir.path() / "other", salt), salt, sample_run());
  save_results(dir.path() / "cache", result_cache_name(dir.path() / "repo", other_salt), other_salt, sample_run());
  EXPECT_FALSE(load_results(dir.path() / "cache", name, salt).has_value());
  EXPECT_TRUE(load_results(dir.path() / "cache", result_cache_name(dir.path() / "other", salt), salt).has_value());
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path() / "cache")) ++entries;
  EXPECT_EQ(entries, 2);
  // The charts' renders are kept beside their entry and go with it.
  const std::string other = result_cache_name(dir.path() / "repo", other_salt);
  save_charts(dir.path() / "cache", other, other_salt, sample_charts());
  EXPECT_TRUE(load_charts(dir.path() / "cache", other, other_salt).has_value());
  save_results(dir.path() / "cache", other, other_salt, sample_run());
  EXPECT_TRUE(load_charts(dir.path() / "cache", other, other_salt).has_value()) << "its own entry's saving keeps it";
  save_results(dir.path() / "cache", name, salt, sample_run());
  EXPECT_FALSE(load_charts(dir.path() / "cache", other, other_salt).has_value()) << "another salt's entry removes it";
}

TEST(ResultCache, ADependencyHoldsWhileItsContentDoes) {
  const TempDir dir;
  const auto file = dir.write("schemas/problem.yaml", "type: object\n");
  const Dependency as_read{file.string(), stat_signature(file), true, digest::sha256("type: object\n")};
  EXPECT_TRUE(dependencies_hold({as_read}));
  // Touched (new stat data), same content: still holds.
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(5));
  EXPECT_TRUE(dependencies_hold({as_read}));
  dir.write("schemas/problem.yaml", "type: string\n");
  EXPECT_FALSE(dependencies_hold({as_read}));
  std::filesystem::remove(file);
  EXPECT_FALSE(dependencies_hold({as_read}));
  const Dependency absent{file.string(), std::nullopt, false, {}};
  EXPECT_TRUE(dependencies_hold({absent}));
  dir.write("schemas/problem.yaml", "type: object\n");
  EXPECT_FALSE(dependencies_hold({absent})) << "a file that appeared";
}

TEST(ResultCache, AFileChangedSinceTheRunStartedHasNoSignature) {
  const TempDir dir;
  const auto file = dir.write("a.txt", "a");
  const auto signature = stat_signature(file);
  ASSERT_TRUE(signature.has_value());
  EXPECT_TRUE(stat_signature(file, signature->mtime_ns + 1'000'000'000ULL).has_value());
  EXPECT_FALSE(stat_signature(file, signature->mtime_ns).has_value()) << "racily clean: must be read again";
  EXPECT_FALSE(stat_signature(dir.path() / "missing").has_value());
}

}  // namespace
}  // namespace constable::engine

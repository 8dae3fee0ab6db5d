// The docker check family as a whole: registration order, complete metadata,
// examples, fixtures for every check, parameters captured from the clause.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "checks/docker/docker_checks.hpp"
#include "engine/plan.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

std::string name_part(std::string_view id) { return std::string(id.substr(id.find('/') + 1)); }

TEST(DockerCheckCatalog, IdsAreUniqueAndSorted) {
  std::vector<std::string> ids;
  for (const engine::CheckFactory factory : checks::docker::docker_checks()) {
    ids.emplace_back(factory()->info().id);
  }
  ASSERT_EQ(ids.size(), 8U);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST(DockerCheckCatalog, MetadataIsComplete) {
  for (const engine::CheckFactory factory : checks::docker::docker_checks()) {
    const auto check = factory();
    const engine::CheckInfo& info = check->info();
    SCOPED_TRACE(std::string(info.id));
    EXPECT_TRUE(info.id.starts_with("docker/"));
    EXPECT_EQ(info.domain, "docker");
    EXPECT_FALSE(info.summary.empty());
    EXPECT_FALSE(info.summary.ends_with('.'));
    EXPECT_FALSE(info.rationale.empty());
    EXPECT_FALSE(info.remediation.empty());
    EXPECT_FALSE(info.bad_example.empty());
    EXPECT_FALSE(info.good_example.empty());
    EXPECT_FALSE(info.clause.text.empty());
    EXPECT_EQ(info.file_kind, FileKind::dockerfile);
    EXPECT_EQ(info.stack, "docker");
  }
}

TEST(DockerCheckCatalog, EveryCheckBindsToItsReferenceClause) {
  const std::map<std::string, std::string> expected = {
      {"docker/approved-base-image", "Base images MUST be from official repositories or approved internal registry"},
      {"docker/base-image-tag", "latest tag is PROHIBITED in production"},
      {"docker/healthcheck", "Health checks MUST be implemented via HEALTHCHECK instruction"},
      {"docker/minimal-final-image", "Image size MUST be minimized (Alpine Linux preferred for production)"},
      {"docker/multi-stage-build", "Multi-stage builds MUST be used for optimization"},
      {"docker/no-secrets-in-build-args", "Build arguments MUST NOT contain secrets"},
      {"docker/no-secrets-in-env", "Secrets MUST NEVER be committed to version control"},
      {"docker/non-root-user", "Non-root user MUST be specified"},
  };
  const engine::Catalog catalog(checks::docker::docker_checks());
  workspace::StackFacts stack;
  stack.facts = {"docker"};
  auto plan = engine::bind(catalog, reference_constitution(), {}, stack, {});
  ASSERT_TRUE(plan) << plan.error().to_string();
  for (const engine::Binding& binding : plan->bindings) {
    const std::string id(binding.check->info().id);
    ASSERT_NE(binding.clause, nullptr) << id;
    EXPECT_EQ(binding.clause->text, expected.at(id)) << id;
    EXPECT_EQ(binding.status, engine::BindingStatus::active) << id;
  }
}

TEST(DockerCheckCatalog, GoodExamplesPassAndBadExamplesFire) {
  for (const engine::CheckFactory factory : checks::docker::docker_checks()) {
    const auto check = factory();
    const engine::CheckInfo& info = check->info();
    SCOPED_TRACE(std::string(info.id));
    const TestFileContext good("Dockerfile", std::string(info.good_example));
    EXPECT_TRUE(good.dockerfile().errors.empty());
    for (const Emitted& e : run_checks(checks::docker::docker_checks(), good).emitted) {
      ADD_FAILURE() << "good example fires " << e.check_id << ": " << e.emission.message;
    }
    const TestFileContext bad("Dockerfile", std::string(info.bad_example));
    EXPECT_TRUE(bad.dockerfile().errors.empty());
    bool fired = false;
    for (const Emitted& e : run_checks({factory}, bad).emitted) fired = fired || e.check_id == info.id;
    EXPECT_TRUE(fired) << "bad example does not fire";
  }
}

TEST(DockerCheckCatalog, EveryCheckHasFireAndSilentFixtures) {
  std::set<std::string> fired;
  for (const engine::CheckFactory factory : checks::docker::docker_checks()) {
    const auto check = factory();
    const std::string id(check->info().id);
    const fs::path dir = fixtures_dir() / "docker" / name_part(id);
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    int fire = 0;
    int silent = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (!name.ends_with(".Dockerfile")) continue;
      if (name.starts_with("silent")) ++silent;
      if (!name.starts_with("fire")) continue;
      ++fire;
      const std::string text = read_file(entry.path());
      const TestFileContext file(name, text);
      for (const Emitted& e : run_checks({factory}, file).emitted) fired.insert(e.check_id);
    }
    EXPECT_GE(fire, 1) << id << " has no fire fixture";
    EXPECT_GE(silent, 1) << id << " has no silent fixture";
    EXPECT_TRUE(fired.contains(id)) << id << " fires in none of its fire fixtures";
  }
}

std::unique_ptr<engine::Check> minimal_check() {
  for (const engine::CheckFactory factory : checks::docker::docker_checks()) {
    auto check = factory();
    if (check->info().id == "docker/minimal-final-image") return check;
  }
  return nullptr;
}

constitution::Clause clause_with(std::string text) {
  constitution::Clause clause;
  clause.section_path = {"Docker Standards", "Dockerfile Requirements"};
  clause.text = std::move(text);
  return clause;
}

constitution::Constitution constitution_with(const std::string& clause_text) {
  return constitution_from("# C\n## Docker Standards\n### Dockerfile Requirements\n- " + clause_text + "\n");
}

std::vector<std::string> minimal_messages(const std::string& clause_text, const std::string& dockerfile) {
  const auto constitution = constitution_with(clause_text);
  const TestFileContext file("Dockerfile", dockerfile);
  std::vector<std::string> out;
  const auto factory = +[]() { return minimal_check(); };
  const CheckRun run = run_checks({factory}, file, &constitution);
  EXPECT_TRUE(run.errors.empty()) << run.errors.front();
  for (const Emitted& e : run.emitted) out.push_back(e.emission.message);
  return out;
}

TEST(DockerCheckMinimalFinalImage, CapturesThePreferredFamilyFromTheClause) {
  auto check = minimal_check();
  ASSERT_NE(check, nullptr);
  ASSERT_TRUE(check->bind(clause_with("Image size MUST be minimized (Alpine Linux preferred for production)"), {}));
  EXPECT_EQ(check->bound_parameters(), "preferred: alpine");
  ASSERT_TRUE(check->bind(clause_with("Image size MUST be minimized (Debian slim preferred)"), {}));
  EXPECT_EQ(check->bound_parameters(), "preferred: debian slim");
  ASSERT_TRUE(check->bind(clause_with("Image size MUST be minimized (Alpine/distroless preferred)"), {}));
  EXPECT_EQ(check->bound_parameters(), "preferred: alpine, distroless");
  ASSERT_TRUE(check->bind(clause_with("Image size MUST be minimized"), {}));
  EXPECT_EQ(check->bound_parameters(), "");
}

TEST(DockerCheckMinimalFinalImage, MessageAndAcceptedSetFollowTheClause) {
  const std::string dockerfile = "FROM golang:1.22 AS build\nFROM python:3.12\nCOPY --from=build /a /a\n";
  EXPECT_EQ(minimal_messages("Image size MUST be minimized (Alpine Linux preferred for production)", dockerfile),
            std::vector<std::string>{"final image 'python:3.12' is not minimal; prefer alpine, distroless or a -slim "
                                     "variant (the constitution prefers alpine)"});
  EXPECT_EQ(minimal_messages("Image size MUST be minimized (Debian slim preferred)", dockerfile),
            std::vector<std::string>{"final image 'python:3.12' is not minimal; prefer debian slim, alpine, distroless or "
                                     "a -slim variant (the constitution prefers debian slim)"});
  // A family the clause names is accepted even without a built-in marker.
  const std::string ubuntu = "FROM golang:1.22 AS build\nFROM ubuntu:24.04\nCOPY --from=build /a /a\n";
  EXPECT_EQ(minimal_messages("Image size MUST be minimized (Ubuntu preferred)", ubuntu).size(), 0U);
  EXPECT_EQ(minimal_messages("Image size MUST be minimized (Alpine preferred)", ubuntu).size(), 1U);
}

}  // namespace
}  // namespace constable::testing

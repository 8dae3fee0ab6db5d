// `constable check FILE...` (pre-commit's staged files): the repository is
// found from the files, only their findings are reported, and the
// repository-scope checks run only with --all.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cli/cli_support.hpp"
#include "engine/catalog.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kConstitution =
    "# C\n## Cloud-Native Deployment\n### Docker Standards\n#### Dockerfile Requirements\n"
    "- Multi-stage builds MUST be used for optimization\n"
    "- Non-root user MUST be specified\n"
    "- Health checks MUST be implemented via HEALTHCHECK instruction\n"
    "#### Image Tagging\n- latest tag is PROHIBITED in production\n"
    "## Development Workflow\n### Version Control\n#### Git Workflow\n"
    "- Branch naming: feature/, bugfix/, hotfix/\n";

// Two non-compliant Dockerfiles in different directories, on a branch whose
// name breaks the constitution (a repository-scope finding).
void make_repository(const TempDir& repo) {
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write("services/a/Dockerfile", "FROM node:latest\nRUN npm ci\n");
  repo.write("services/b/Dockerfile", "FROM python:3.12\nCMD [\"python\"]\n");
  repo.write(".gitignore", "generated/\n");
  repo.write("generated/Dockerfile", "FROM node:latest\n");
  git(repo, {"init", "-q"});
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "feat: services"});
  git(repo, {"checkout", "-q", "-b", "my-experiment"});
}

bool repository_scope(const std::string& check) {
  const auto* info = engine::Catalog::builtin().find(check);
  return info != nullptr && info->scope == engine::Scope::repository;
}

Json report_of(const CommandResult& r) {
  EXPECT_NE(r.exit_code, 2) << r.err;
  auto json = Json::parse(r.out, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << r.out << r.err;
  return json;
}

std::set<std::string> paths_of(const Json& report) {
  std::set<std::string> paths;
  for (const auto& f : report["findings"]) paths.insert(f["location"].value("path", ""));
  return paths;
}

// What identifies a finding, whichever run found it.
using Identity = std::tuple<std::string, std::string, int, int, std::string, std::string>;
std::multiset<Identity> identities(const Json& report, const std::string& path, bool with_repository_scope) {
  std::multiset<Identity> out;
  for (const auto& f : report["findings"]) {
    const auto& location = f["location"];
    if (location.value("path", "") != path) continue;
    if (!with_repository_scope && repository_scope(f.value("check", ""))) continue;
    out.insert({location.value("path", ""), f.value("check", ""), location.value("line", 0),
                location.value("column", 0), f.value("message", ""), f.value("fingerprint", "")});
  }
  return out;
}

TEST(CliFileList, OnlyTheNamedFilesFindingsAreReported) {
  TempDir repo;
  make_repository(repo);
  const Json whole = report_of(constable({"check", repo.path().string(), "--format", "json"}));
  ASSERT_TRUE(paths_of(whole).contains("services/b/Dockerfile")) << whole.dump(2);

  // As pre-commit runs it: from the top, with relative paths.
  const auto one = constable({"check", "services/a/Dockerfile", "--format", "json"}, repo.path());
  EXPECT_EQ(one.exit_code, 1) << one.err;
  const Json named = report_of(one);
  EXPECT_EQ(paths_of(named), std::set<std::string>{"services/a/Dockerfile"}) << named.dump(2);
  EXPECT_EQ(identities(named, "services/a/Dockerfile", false), identities(whole, "services/a/Dockerfile", false));
  EXPECT_FALSE(identities(named, "services/a/Dockerfile", false).empty());

  // A compliant file named alone: exit 0, whatever the rest of the repository holds.
  repo.write("services/c/Dockerfile",
             "FROM golang:1.22-alpine AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\n"
             "COPY --from=build /out/app /app\nUSER 10001\nHEALTHCHECK CMD [\"/app\", \"health\"]\n");
  const auto clean = constable({"check", "services/c/Dockerfile"}, repo.path());
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
}

TEST(CliFileList, RepositoryScopeFindingsOnlyWithAll) {
  TempDir repo;
  make_repository(repo);
  const Json whole = report_of(constable({"check", repo.path().string(), "--format", "json"}));
  std::set<std::string> repository_checks;
  for (const auto& f : whole["findings"])
    if (repository_scope(f.value("check", ""))) repository_checks.insert(f.value("check", ""));
  ASSERT_TRUE(repository_checks.contains("git/branch-naming")) << whole.dump(2);

  const Json without = report_of(constable({"check", "services/a/Dockerfile", "--format", "json"}, repo.path()));
  for (const auto& f : without["findings"]) EXPECT_FALSE(repository_scope(f.value("check", ""))) << f.dump();

  const Json with = report_of(constable({"check", "services/a/Dockerfile", "--all", "--format", "json"}, repo.path()));
  std::set<std::string> reported;
  for (const auto& f : with["findings"])
    if (repository_scope(f.value("check", ""))) reported.insert(f.value("check", ""));
  EXPECT_EQ(reported, repository_checks);
  // --all adds the repository's findings, not the other files'.
  EXPECT_FALSE(paths_of(with).contains("services/b/Dockerfile")) << with.dump(2);

  // Options about the whole repository say they need --all.
  const auto commits = constable({"check", "services/a/Dockerfile", "--commits", "HEAD~1..HEAD"}, repo.path());
  EXPECT_EQ(commits.exit_code, 2);
  EXPECT_NE(commits.err.find("add --all"), std::string::npos) << commits.err;
}

TEST(CliFileList, FilesInDifferentDirectoriesAndFromAnywhere) {
  TempDir repo;
  make_repository(repo);
  const fs::path a = repo.path() / "services" / "a" / "Dockerfile";
  const fs::path b = repo.path() / "services" / "b" / "Dockerfile";
  TempDir elsewhere;
  const Json both = report_of(constable({"check", a.string(), b.string(), "--format", "json"}, elsewhere.path()));
  EXPECT_EQ(paths_of(both), (std::set<std::string>{"services/a/Dockerfile", "services/b/Dockerfile"}))
      << both.dump(2);
  // Relative to a subdirectory, through "..".
  const Json relative =
      report_of(constable({"check", "Dockerfile", "../b/Dockerfile", "--format", "json"}, repo.path() / "services" / "a"));
  EXPECT_EQ(paths_of(relative), paths_of(both));
  // A directory among the paths stands for the files below it.
  const Json directory =
      report_of(constable({"check", "services/a/Dockerfile", "services/b", "--format", "json"}, repo.path()));
  EXPECT_EQ(paths_of(directory), paths_of(both));
}

TEST(CliFileList, APathOutsideTheRepositoryIsAClearError) {
  TempDir repo;
  make_repository(repo);
  TempDir other;
  other.write("Dockerfile", "FROM node:latest\n");
  const auto outside =
      constable({"check", (repo.path() / "services/a/Dockerfile").string(), (other.path() / "Dockerfile").string()});
  EXPECT_EQ(outside.exit_code, 2);
  EXPECT_NE(outside.err.find((other.path() / "Dockerfile").string()), std::string::npos) << outside.err;
  EXPECT_NE(outside.err.find("outside the repository " + fs::canonical(repo.path()).string()), std::string::npos)
      << outside.err;
  EXPECT_TRUE(outside.out.empty());

  const auto missing = constable({"check", "services/a/Dockerfile", "services/z/Dockerfile"}, repo.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("services/z/Dockerfile: no such file or directory"), std::string::npos) << missing.err;

  // Neither git nor a constitution above it: nothing says where the repository is.
  const auto lost = constable({"check", (other.path() / "Dockerfile").string(), "Dockerfile"}, other.path());
  EXPECT_EQ(lost.exit_code, 2);
  EXPECT_NE(lost.err.find("cannot tell which repository"), std::string::npos) << lost.err;
}

TEST(CliFileList, WithoutGitTheRootHoldsTheConstitution) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write("deep/er/Dockerfile", "FROM node:latest\n");
  const Json r = report_of(constable({"check", "Dockerfile", "--format", "json"}, repo.path() / "deep" / "er"));
  EXPECT_EQ(paths_of(r), std::set<std::string>{"deep/er/Dockerfile"}) << r.dump(2);
  // A constitution named on the command line makes the files' own directory the root.
  TempDir bare;
  bare.write("x/Dockerfile", "FROM node:latest\n");
  const Json named = report_of(constable({"check", (bare.path() / "x/Dockerfile").string(), "--constitution",
                                          (repo.path() / "CONSTITUTION.md").string(), "--format", "json"}));
  EXPECT_EQ(paths_of(named), std::set<std::string>{"Dockerfile"}) << named.dump(2);
}

TEST(CliFileList, ANamedFileTheRepositoryIgnoresIsANote) {
  TempDir repo;
  make_repository(repo);
  const Json r = report_of(
      constable({"check", "services/a/Dockerfile", "generated/Dockerfile", "--format", "json"}, repo.path()));
  EXPECT_EQ(paths_of(r), std::set<std::string>{"services/a/Dockerfile"});
  bool noted = false;
  for (const auto& note : r["notes"])
    noted = noted || (note.value("path", "") == "generated/Dockerfile" &&
                      note.value("message", "").find("named but not checked: ignored") != std::string::npos);
  EXPECT_TRUE(noted) << r["notes"].dump(2);
}

TEST(CliFileList, BaselineFixesAreOnlyThoseOfTheNamedFiles) {
  TempDir repo;
  make_repository(repo);
  const fs::path baseline = repo.path() / "baseline.json";
  ASSERT_EQ(constable({"baseline", "write", baseline.string(), repo.path().string()}).exit_code, 0);
  repo.write("services/b/Dockerfile", "FROM python:3.12 AS build\nFROM python:3.12-slim\nUSER 10001\n"
                                      "HEALTHCHECK CMD [\"python\", \"-c\", \"1\"]\n");
  const Json r = report_of(constable(
      {"check", "services/a/Dockerfile", "--baseline", baseline.string(), "--format", "json"}, repo.path()));
  EXPECT_TRUE(r["findings"].empty()) << r.dump(2);
  for (const auto& note : r["notes"])
    EXPECT_EQ(note.value("message", "").find("fixed since the baseline"), std::string::npos) << note.dump();
  const Json b = report_of(constable(
      {"check", "services/b/Dockerfile", "--baseline", baseline.string(), "--format", "json"}, repo.path()));
  bool fixed = false;
  for (const auto& note : b["notes"])
    fixed = fixed || (note.value("path", "").starts_with("services/b/Dockerfile") &&
                      note.value("message", "").find("fixed since the baseline") != std::string::npos);
  EXPECT_TRUE(fixed) << b["notes"].dump(2);
}

// For any file, naming it reports exactly what a whole-repository run reports
// about it, Kubernetes relations between files included (a Deployment judged
// with the PodDisruptionBudget and quota in other files).
TEST(CliFileList, ANamedFileGetsTheFindingsTheWholeRunGivesIt) {
  for (const char* example : {"k8s-platform", "demo-repo"}) {
    SCOPED_TRACE(example);
    TempDir repo;
    fs::copy(source_dir() / "examples" / example, repo.path(), fs::copy_options::recursive);
    const Json whole = report_of(constable({"check", repo.path().string(), "--format", "json"}));
    std::set<std::string> files;
    for (const auto& f : whole["findings"]) {
      const std::string path = f["location"].value("path", "");
      if (!repository_scope(f.value("check", "")) && !path.ends_with("/") && fs::is_regular_file(repo.path() / path))
        files.insert(path);
    }
    ASSERT_GE(files.size(), 2u) << whole.dump(2);
    std::size_t compared = 0;
    for (const auto& path : files) {
      if (++compared > 10) break;
      const Json named = report_of(constable({"check", path, "--format", "json"}, repo.path()));
      EXPECT_EQ(paths_of(named), std::set<std::string>{path});
      EXPECT_EQ(identities(named, path, false), identities(whole, path, false)) << path;
    }
  }
}

}  // namespace
}  // namespace constable::testing

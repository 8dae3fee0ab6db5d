// Finding the constitution where projects keep it: at the root, or one or two
// directories down in a monorepo (spec-kit's .specify/memory/constitution.md
// per project), and reading past a footer constable cannot parse.

#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSpecKit = ".specify/memory/constitution.md";

// A hackathon constitution: one Docker clause, so a single-stage Dockerfile
// is a finding and shows which constitution the run used.
std::string constitution(std::string_view title, std::string_view footer = "**Version**: 1.0.0") {
  return fmt::format("# {} Constitution\n\n## Docker Standards\n\n- Multi-stage builds MUST be used\n\n{} | "
                     "**Ratified**: 2025-09-01 | **Last Amended**: 2025-09-20\n",
                     title, footer);
}

std::string used_constitution(const CommandResult& r) {
  const auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded() || !doc.contains("constitution")) return "<no report: " + r.err + ">";
  return doc["constitution"]["path"].get<std::string>();
}

// A monorepo from a hackathon: the backend was specified with spec-kit, the
// frontend has its dependencies committed, one of them shipping spec-kit files.
TEST(CliDiscovery, ConstitutionOneDirectoryDownIsUsed) {
  TempDir repo;
  repo.write(fmt::format("backend/{}", kSpecKit), constitution("Backend"));
  repo.write("backend/Dockerfile", "FROM python:3.12-slim\nCMD [\"python\", \"-m\", \"app\"]\n");
  repo.write("frontend/package.json", "{\"name\": \"web\"}\n");
  repo.write(fmt::format("frontend/node_modules/spec-kit-demo/{}", kSpecKit), constitution("Vendored"));
  repo.write(fmt::format("node_modules/other/{}", kSpecKit), constitution("Vendored"));
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(used_constitution(r), (repo.path() / "backend" / kSpecKit).string());
  auto text = constable({"check", repo.path().string(), "--fail-on", "none"});
  EXPECT_NE(text.out.find("backend/Dockerfile"), std::string::npos) << text.out;
}

// Two directories down (apps/api), next to example projects that carry their
// own spec-kit constitution and are not the project's.
TEST(CliDiscovery, ConstitutionTwoDirectoriesDownIsUsedAndExamplesAreNot) {
  TempDir repo;
  repo.write(fmt::format("apps/api/{}", kSpecKit), constitution("API"));
  repo.write("apps/api/Dockerfile", "FROM golang:1.23\n");
  repo.write(fmt::format("examples/todo/{}", kSpecKit), constitution("Example"));
  repo.write(fmt::format("tests/fixture-project/{}", kSpecKit), constitution("Fixture"));
  repo.write(fmt::format(".github/{}", kSpecKit), constitution("Hidden"));
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(used_constitution(r), (repo.path() / "apps/api" / kSpecKit).string());
}

// The root's own constitution wins over any below it.
TEST(CliDiscovery, RootConstitutionWinsOverNestedOnes) {
  TempDir repo;
  repo.write(kSpecKit, constitution("Root"));
  repo.write(fmt::format("api/{}", kSpecKit), constitution("API"));
  repo.write(fmt::format("web/{}", kSpecKit), constitution("Web"));
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(used_constitution(r), (repo.path() / kSpecKit).string()) << r.err;
}

// Two projects, two constitutions: constable does not pick one; the error
// lists both and says how to choose, and each way of choosing works.
TEST(CliDiscovery, SeveralNestedConstitutionsAreListedWithHowToChoose) {
  TempDir repo;
  repo.write(fmt::format("services/payments/{}", kSpecKit), constitution("Payments"));
  repo.write(fmt::format("services/ledger/{}", kSpecKit), constitution("Ledger"));
  repo.write("services/payments/Dockerfile", "FROM node:22\n");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  for (const std::string& expected :
       {(repo.path() / "services/ledger" / kSpecKit).string(), (repo.path() / "services/payments" / kSpecKit).string(),
        std::string("--constitution PATH"), std::string("'constitution: PATH'")})
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << " not in: " << r.err;
  EXPECT_LT(r.err.find("services/ledger"), r.err.find("services/payments")) << "listed in order: " << r.err;

  repo.write(".constable.yaml", fmt::format("constitution: services/payments/{}\n", kSpecKit));
  auto configured = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(used_constitution(configured), (repo.path() / "services/payments" / kSpecKit).string());
  fs::remove(repo.path() / ".constable.yaml");
  const auto chosen = (repo.path() / "services/ledger" / kSpecKit).string();
  auto flag = constable({"check", repo.path().string(), "--format", "json", "--constitution", chosen});
  EXPECT_EQ(used_constitution(flag), chosen);
  auto coverage = constable({"coverage", repo.path().string()});
  EXPECT_EQ(coverage.exit_code, 2) << "coverage finds the constitution the same way";
}

// Deeper than two directories is not searched, nor is a symlinked directory
// followed (it may lead out of the repository); the error says where it looked.
TEST(CliDiscovery, DeeperOrSymlinkedConstitutionsAreNotFound) {
  TempDir repo, outside;
  repo.write(fmt::format("a/b/c/{}", kSpecKit), constitution("Deep"));
  outside.write(fmt::format("project/{}", kSpecKit), constitution("Outside"));
  fs::create_directory_symlink(outside.path() / "project", repo.path() / "linked");
  fs::create_directories(repo.path() / "level1");
  fs::create_directory_symlink(outside.path() / "project", repo.path() / "level1" / "linked");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no constitution found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((repo.path() / "*" / "*" / kSpecKit).string()), std::string::npos) << r.err;
}

// A constitution found below the root is read like the root's: confined to
// the repository, so a link from it to a file outside is refused.
TEST(CliDiscovery, NestedConstitutionLinkedOutsideIsRefused) {
  TempDir repo, outside;
  const auto target = outside.write("constitution.md", constitution("Outside"));
  fs::create_directories(repo.path() / "api/.specify/memory");
  fs::create_symlink(target, repo.path() / "api" / kSpecKit);
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("api/.specify/memory/constitution.md"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Outside Constitution"), std::string::npos) << r.err;
}

// A constitution amended by hand to "**Version**: 5.0": the run goes on, and
// every report says where the footer is wrong and what was expected.
TEST(CliConstitutionFooter, MalformedVersionIsANoteInEveryFormat) {
  TempDir repo;
  repo.write(kSpecKit, constitution("Hackathon", "**Version**: 5.0"));
  repo.write("Dockerfile", "FROM python:3.12-slim\n");
  const std::string where = ".specify/memory/constitution.md:7";
  auto text = constable({"check", repo.path().string()});
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_NE(text.out.find("docker/multi-stage-build"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(fmt::format("note: {}: malformed version '5.0' in the version footer: expected "
                                      "MAJOR.MINOR.PATCH",
                                      where)),
            std::string::npos)
      << text.out;
  for (const char* format : {"json", "sarif", "markdown"}) {
    auto r = constable({"check", repo.path().string(), "--format", format});
    EXPECT_EQ(r.exit_code, 1) << format << ": " << r.err;
    // SARIF gives the note's file as its artifact and the line as a region.
    const std::string located =
        std::string(format) == "sarif" ? "\"uri\": \".specify/memory/constitution.md\"" : where;
    if (std::string(format) == "sarif") {
      EXPECT_NE(r.out.find("\"startLine\": 7"), std::string::npos) << r.out;
    }
    EXPECT_NE(r.out.find(located), std::string::npos) << format << ":\n" << r.out;
    EXPECT_NE(r.out.find("malformed version '5.0'"), std::string::npos) << format << ":\n" << r.out;
  }
  auto json = nlohmann::json::parse(constable({"check", repo.path().string(), "--format", "json"}).out);
  EXPECT_EQ(json["constitution"]["version"], "") << "no version is made up";
  auto coverage = constable({"coverage", repo.path().string()});
  EXPECT_EQ(coverage.exit_code, 0) << coverage.err;
  EXPECT_NE(coverage.out.find(fmt::format("note: {}: malformed version '5.0'", where)), std::string::npos)
      << coverage.out;
}

}  // namespace
}  // namespace constable::testing

// Pull-request gates: --diff BASE and --baseline FILE report only what a
// change introduced, following moved code and renamed files.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kConstitution =
    "# C\n## Docker Standards\n- Multi-stage builds MUST be used\n- Non-root user MUST be specified\n"
    "- Health checks MUST be implemented via HEALTHCHECK instruction\n- latest tag is PROHIBITED in production\n"
    "- Build arguments MUST NOT contain secrets\n";

// Five findings: single stage, latest, root, no health check, a secret build argument.
std::string five_findings(int i) {
  return fmt::format("FROM node:latest\nARG SERVICE_{}_PASSWORD\nRUN echo service {}\n", i, i);
}

constexpr std::string_view kCompliant =
    "FROM alpine:3.20 AS build\nRUN make\n\nFROM alpine:3.20\nCOPY --from=build /out /app\nUSER app\n"
    "HEALTHCHECK CMD [\"/app/health\"]\n";

// A committed repository with 50 findings in 10 Dockerfiles and one compliant one.
void make_repository(const TempDir& repo) {
  repo.write("CONSTITUTION.md", kConstitution);
  for (int i = 0; i < 10; ++i) repo.write(fmt::format("svc{}/Dockerfile", i), five_findings(i));
  repo.write("good/Dockerfile", kCompliant);
  git(repo, {"init", "-q"});
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "feat: services"});
}

std::vector<std::string> finding_lines(const CommandResult& r) {
  // "path:line check" for each finding in the JSON report, via python for robust parsing.
  TempDir out;
  out.write("r.json", r.out);
  auto listed = run_command({"/usr/bin/python3", "-c",
                             "import json,sys\n"
                             "for f in json.load(open(sys.argv[1]))['findings']:\n"
                             "  print(f\"{f['location']['path']}:{f['location']['line']} {f['check']}\")\n",
                             (out.path() / "r.json").string()});
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < listed.out.size(); ++i)
    if (listed.out[i] == '\n') {
      lines.push_back(listed.out.substr(start, i - start));
      start = i + 1;
    }
  return lines;
}

TEST(CliGate, FiftyExistingFindingsAndOneNew) {
  TempDir repo;
  make_repository(repo);
  const auto all = constable({"check", repo.path().string(), "--format", "json"});
  ASSERT_EQ(finding_lines(all).size(), 50u) << all.out << all.err;
  const auto baseline = repo.path() / ".constable-baseline.json";
  auto wrote = constable({"baseline", "write", baseline.string(), repo.path().string()});
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  EXPECT_NE(wrote.out.find("wrote 50 finding(s)"), std::string::npos) << wrote.out;

  // The change: one new violation in an otherwise compliant file.
  repo.write("good/Dockerfile", std::string(kCompliant) + "USER root\n");
  const std::vector<std::string> expected = {"good/Dockerfile:8 docker/non-root-user"};

  auto diff = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(diff.exit_code, 1) << diff.err;
  EXPECT_EQ(finding_lines(diff), expected) << diff.out;

  auto gated = constable({"check", repo.path().string(), "--format", "json", "--baseline", baseline.string()});
  EXPECT_EQ(gated.exit_code, 1) << gated.err;
  EXPECT_EQ(finding_lines(gated), expected) << gated.out;
  EXPECT_NE(gated.out.find("50 known finding(s) not reported, 0 fixed"), std::string::npos) << gated.out;

  // Nothing changed: both gates pass.
  repo.write("good/Dockerfile", kCompliant);
  EXPECT_EQ(constable({"check", repo.path().string(), "--diff", "HEAD"}).exit_code, 0);
  EXPECT_EQ(constable({"check", repo.path().string(), "--baseline", baseline.string()}).exit_code, 0);
}

TEST(CliGate, BaselineSurvivesMovedCodeAndRenamedFiles) {
  TempDir repo;
  make_repository(repo);
  const auto baseline = repo.path() / "baseline.json";
  ASSERT_EQ(constable({"baseline", "write", baseline.string(), repo.path().string()}).exit_code, 0);
  // Rename a file, and move its lines down in another.
  git(repo, {"mv", "svc3", "renamed-service"});
  repo.write("svc5/Dockerfile", "# a new header\n# explaining the service\n\n" + five_findings(5));
  auto gated = constable({"check", repo.path().string(), "--format", "json", "--baseline", baseline.string()});
  EXPECT_EQ(gated.exit_code, 0) << gated.out << gated.err;
  EXPECT_TRUE(finding_lines(gated).empty()) << gated.out;
  EXPECT_NE(gated.out.find("50 known finding(s) not reported, 0 fixed"), std::string::npos) << gated.out;

  // Fixing one is listed as fixed.
  repo.write("svc7/Dockerfile", "FROM node:latest\nRUN echo service 7\n");
  auto fixed = constable({"check", repo.path().string(), "--format", "json", "--baseline", baseline.string()});
  EXPECT_NE(fixed.out.find("1 fixed"), std::string::npos) << fixed.out;
  EXPECT_NE(fixed.out.find("fixed since the baseline: docker/no-secrets-in-build-args"), std::string::npos) << fixed.out;
}

TEST(CliGate, DiffReportsAFileAChangeMadeNonCompliant) {
  TempDir repo;
  make_repository(repo);
  // Removing the HEALTHCHECK line: the finding lands on the unchanged FROM line.
  std::string changed(kCompliant);
  changed.erase(changed.find("HEALTHCHECK"));
  repo.write("good/Dockerfile", changed);
  auto diff = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(finding_lines(diff), (std::vector<std::string>{"good/Dockerfile:4 docker/healthcheck"})) << diff.out;

  // A renamed and edited file: only the edit's finding is new.
  git(repo, {"mv", "svc1/Dockerfile", "svc1/Dockerfile.prod"});
  repo.write("svc1/Dockerfile.prod", five_findings(1) + "USER root\n");
  auto renamed = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(finding_lines(renamed), (std::vector<std::string>{"good/Dockerfile:4 docker/healthcheck",
                                                               "svc1/Dockerfile.prod:4 docker/non-root-user"}))
      << renamed.out;
}

// A finding about a construct (the final stage has no HEALTHCHECK) keeps its
// identity when the line it points at is edited: not "fixed" and "new" at once.
TEST(CliGate, EditingTheLineAFindingPointsAtKeepsItsIdentity) {
  TempDir repo;
  make_repository(repo);
  std::string no_healthcheck(kCompliant);
  no_healthcheck.erase(no_healthcheck.find("HEALTHCHECK"));
  repo.write("good/Dockerfile", no_healthcheck);
  git(repo, {"commit", "-q", "-am", "chore: drop the health check"});
  const auto baseline = repo.path() / "baseline.json";
  ASSERT_EQ(constable({"baseline", "write", baseline.string(), repo.path().string()}).exit_code, 0);

  std::string bumped = no_healthcheck;
  bumped.replace(bumped.rfind("FROM alpine:3.20"), 16, "FROM alpine:3.21 AS runtime");
  repo.write("good/Dockerfile", bumped);
  auto gated = constable({"check", repo.path().string(), "--format", "json", "--baseline", baseline.string()});
  EXPECT_EQ(gated.exit_code, 0) << gated.out << gated.err;
  EXPECT_TRUE(finding_lines(gated).empty()) << gated.out;
  EXPECT_NE(gated.out.find("51 known finding(s) not reported, 0 fixed"), std::string::npos) << gated.out;

  auto diff = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
  EXPECT_TRUE(finding_lines(diff).empty()) << diff.out;
}

// Repository-level findings (a missing document, a missing specification)
// are compared with the base too: a change that adds nothing new reports
// nothing, and one that removes a required document reports just that.
TEST(CliGate, RepositoryFindingsAreComparedWithTheBase) {
  TempDir repo;
  make_repository(repo);
  repo.write("CONSTITUTION.md", read_file(source_dir() / "tests/fixtures/constitution/reference-excerpt.md"));
  repo.write("README.md", "# Service\n\n## Quick start\n\n```sh\nmake run\n```\n");
  repo.write("docs/notes.md", "# Notes\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "docs: readme"});
  const auto all = constable({"check", repo.path().string(), "--format", "json"});
  ASSERT_NE(all.out.find("\"path\": \".\""), std::string::npos) << "expected repository-level findings:\n" << all.out;

  auto unchanged = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(unchanged.exit_code, 0) << unchanged.out << unchanged.err;
  EXPECT_TRUE(finding_lines(unchanged).empty()) << unchanged.out;

  // A change elsewhere (a new note) still adds nothing.
  repo.write("docs/more.md", "# More notes\n");
  auto unrelated = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(unrelated.exit_code, 0) << unrelated.out << unrelated.err;
  EXPECT_TRUE(finding_lines(unrelated).empty()) << unrelated.out;

  // Deleting the README makes the repository lack it: that, and only that, is new.
  std::filesystem::remove(repo.path() / "README.md");
  auto removed = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(removed.exit_code, 1) << removed.out << removed.err;
  const auto lines = finding_lines(removed);
  ASSERT_FALSE(lines.empty()) << removed.out;
  for (const auto& line : lines) EXPECT_NE(line.find("README.md"), std::string::npos) << line << "\n" << removed.out;
}

// What the base reads from the repository it reads as the head does: a
// tag off the SemVer convention and a chart whose appVersion lags the latest
// release tag were there before the change (external-dns, microservices-demo
// with --diff HEAD reported both as new).
TEST(CliGate, FindingsFromTheRepositorysTagsAreComparedWithTheBase) {
  TempDir repo;
  make_repository(repo);
  repo.write("CONSTITUTION.md", read_file(source_dir() / "tests/fixtures/constitution/reference-excerpt.md") +
                                    "\n## Release Management\n### Versioning\n"
                                    "- Semantic Versioning MUST be used: MAJOR.MINOR.PATCH\n");
  repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: \"1.0.0\"\n");
  repo.write("charts/web/values.yaml", "# Replicas\nreplicas: 1\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "feat: chart"});
  git(repo, {"tag", "v1.1.0"});
  git(repo, {"tag", "Phase-1"});
  const auto all = constable({"check", repo.path().string(), "--format", "json"});
  ASSERT_NE(all.out.find("helm/app-version"), std::string::npos) << all.out;
  ASSERT_NE(all.out.find("git/semver-tags"), std::string::npos) << all.out;

  const auto unchanged = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(unchanged.exit_code, 0) << unchanged.out << unchanged.err;
  EXPECT_TRUE(finding_lines(unchanged).empty()) << unchanged.out;
}

// Objects relate across files: podinfo's release bumps the image tag in
// deploy/bases/*, and the unchanged production overlay is what makes those
// Deployments production (and asks them for a PodDisruptionBudget). The
// base must read the overlay too, or a version bump is four "new" findings.
TEST(CliGate, AnUnchangedOverlayStillPlacesAChangedBaseAtTheBase) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(source_dir() / "tests/fixtures/constitution/reference-excerpt.md"));
  repo.write("k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n");
  repo.write("k8s/base/deployment.yaml",
             "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
             "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
             "    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:6.14.0\n");
  repo.write("k8s/overlays/prod/kustomization.yaml", "namespace: shop-prod\nresources: [../../base]\n");
  git(repo, {"init", "-q"});
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "feat: web"});
  const auto all = constable({"check", repo.path().string(), "--format", "json"});
  ASSERT_NE(all.out.find("kubernetes/pod-disruption-budget"), std::string::npos) << all.out;

  repo.write("k8s/base/deployment.yaml",
             read_file(repo.path() / "k8s/base/deployment.yaml").replace(
                 read_file(repo.path() / "k8s/base/deployment.yaml").find("6.14.0"), 6, "6.14.1"));
  const auto bump = constable({"check", repo.path().string(), "--format", "json", "--diff", "HEAD"});
  EXPECT_EQ(bump.exit_code, 0) << bump.out << bump.err;
  EXPECT_TRUE(finding_lines(bump).empty()) << bump.out;
}

TEST(CliGate, ErrorsAreUsageErrors) {
  TempDir plain;
  plain.write("CONSTITUTION.md", kConstitution);
  plain.write("Dockerfile", kCompliant);
  auto not_git = constable({"check", plain.path().string(), "--diff", "HEAD"});
  EXPECT_EQ(not_git.exit_code, 2);
  EXPECT_NE(not_git.err.find("git repository"), std::string::npos) << not_git.err;
  auto missing = constable({"check", plain.path().string(), "--baseline", (plain.path() / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 2);
  TempDir repo;
  make_repository(repo);
  auto bad_rev = constable({"check", repo.path().string(), "--diff", "no-such-branch"});
  EXPECT_EQ(bad_rev.exit_code, 2);
  EXPECT_NE(bad_rev.err.find("no-such-branch"), std::string::npos) << bad_rev.err;
}

}  // namespace
}  // namespace constable::testing

// Files a repository names (its .constable.yaml, its constitution, a chart's
// values.yaml) and what the user pipes in are untrusted input: constable
// never follows them out of the repository, never blocks on them, never
// reads them without bound, and says exactly what is wrong with them.

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kConstitution =
    "# C\n## Docker Standards\n- Multi-stage builds MUST be used\n- Non-root user MUST be specified\n";

// Something that, printed, would be a leak: the line of a shadow file.
constexpr std::string_view kShadowLine =
    "root:$6$Qm3xT9vL$Zp0aW7sK2dF5gH8jL1qR4tY6uI9oP3aS6dF8gH0jK2lZ4xC6vB8nM1q:19700:0:99999:7:::";
constexpr std::string_view kShadowMarker = "Qm3xT9vL";

void write_bad_dockerfile(const TempDir& repo) {
  repo.write("app/Dockerfile", "FROM alpine:3.20\nRUN make\n");  // one stage, runs as root
}

// Runs constable with a deadline shorter than the harness default: a test of
// something that used to hang fails in a minute rather than hanging the suite.
CommandResult run_bounded(std::vector<std::string> args) {
  args.insert(args.begin(), CONSTABLE_BINARY);
  return run_command(args, {}, {"CONSTABLE_TODAY=2026-11-22", "NO_COLOR=1"}, 60);
}

void expect_no_leak(const CommandResult& r) {
  EXPECT_EQ(r.out.find(kShadowMarker), std::string::npos) << "stdout leaks the file outside:\n" << r.out;
  EXPECT_EQ(r.err.find(kShadowMarker), std::string::npos) << "stderr leaks the file outside:\n" << r.err;
}

TEST(CliUntrustedFiles, ConfigAsAFifoFailsAtOnce) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  write_bad_dockerfile(repo);
  const auto fifo = repo.path() / ".constable.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(".constable.yaml: cannot read the configuration: not a regular file (a FIFO)"),
            std::string::npos)
      << r.err;
}

TEST(CliUntrustedFiles, ConfigLinkedToDevZeroFailsAtOnce) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  fs::create_symlink("/dev/zero", repo.path() / ".constable.yaml");
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  // /dev is outside the repository: refused before its type even matters.
  EXPECT_NE(r.err.find("outside the repository"), std::string::npos) << r.err;
  // Named by the user, it is still no regular file.
  const auto named = run_bounded({"check", repo.path().string(), "--config", "/dev/zero"});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find("not a regular file (a character device)"), std::string::npos) << named.err;
}

TEST(CliUntrustedFiles, SymlinksOutOfTheRepositoryAreNeitherReadNorEchoed) {
  TempDir outside;
  const auto shadow = outside.write("shadow", std::string(kShadowLine) + "\n");
  // Every file constable finds by name in the repository.
  for (const char* name :
       {".constable.yaml", "CONSTITUTION.md", ".specify/memory/constitution.md", "docs/constitution.md"}) {
    SCOPED_TRACE(name);
    TempDir repo;
    if (std::string_view(name) == ".constable.yaml") repo.write("CONSTITUTION.md", kConstitution);
    fs::create_directories((repo.path() / name).parent_path());
    fs::create_symlink(shadow, repo.path() / name);
    const auto r = run_bounded({"check", repo.path().string()});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(fmt::format("{}: cannot read the", (repo.path() / name).string())), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("points outside the repository"), std::string::npos) << r.err;
    expect_no_leak(r);
  }
}

TEST(CliUntrustedFiles, ConstitutionNamedInTheConfigStaysInTheRepository) {
  TempDir outside;
  outside.write("C.md", kConstitution);
  TempDir repo;
  repo.write(".constable.yaml", fmt::format("constitution: {}\n", (outside.path() / "C.md").string()));
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("points outside the repository"), std::string::npos) << r.err;
  // The user may name any file.
  write_bad_dockerfile(repo);
  const auto named = run_bounded({"check", repo.path().string(), "--constitution", (outside.path() / "C.md").string()});
  EXPECT_EQ(named.exit_code, 1) << named.out << named.err;
}

TEST(CliUntrustedFiles, AttestationEvidenceOutsideTheRepositoryIsNoEvidence) {
  TempDir outside;
  const auto elsewhere = outside.write("training.md", "signed\n");
  TempDir repo;
  repo.write("CONSTITUTION.md", "# C\n## Training\n- Team members MUST complete the training\n");
  repo.write(".constable.yaml",
             "attestations:\n  - clause: training/team-members-must-complete-the-training\n"
             "    evidence: docs/training.md\n    owner: people\n    date: 2026-01-01\n    expires: 2027-06-01\n");
  fs::create_directories(repo.path() / "docs");
  fs::create_symlink(elsewhere, repo.path() / "docs/training.md");
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("evidence 'docs/training.md' of the attestation"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("does not exist in the repository"), std::string::npos) << r.out;
  // Pointing inside the repository, the same link is evidence.
  repo.write("records/training.md", "signed\n");
  fs::remove(repo.path() / "docs/training.md");
  fs::create_symlink("../records/training.md", repo.path() / "docs/training.md");
  const auto inside = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(inside.exit_code, 0) << inside.out << inside.err;
}

TEST(CliUntrustedFiles, ManifestsFromAnEndlessStdinStopAtTheLimit) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write(".constable.yaml", "max_file_size: 2MB\n");
  const auto r = run_command({"/bin/sh", "-c", "exec \"$0\" check \"$1\" --manifests - < /dev/zero", CONSTABLE_BINARY,
                              repo.path().string()},
                             {}, {"CONSTABLE_TODAY=2026-11-22"}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("<stdin>: cannot read the manifests: too large (more than the 2.0 MiB limit)"),
            std::string::npos)
      << r.err;
}

TEST(CliUntrustedFiles, ManifestsFileMustBeARegularFile) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  const auto r = run_bounded({"check", repo.path().string(), "--manifests", "/dev/zero"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("/dev/zero: cannot read the manifests: not a regular file"), std::string::npos) << r.err;
}

TEST(CliUntrustedFiles, DeeplyNestedConfigIsALocatedError) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write(".constable.yaml", "exclude: " + std::string(100000, '['));
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(".constable.yaml:1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nesting deeper than"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("bad file"), std::string::npos) << r.err;
}

TEST(CliUntrustedFiles, EveryConfigErrorIsReportedInOneRun) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write(".constable.yaml",
             "exclude: []\nfail_on: sometimes\nwaivers:\n  - check: docker/healthcheck\n    owner: me\n"
             "secrets:\n  allowlist:\n    - path: \"a/**\"\nsprint_dayz: 3\n");
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  for (const char* located : {".constable.yaml:2:10: 'fail_on'", ".constable.yaml:4:5: waiver is missing 'reason'",
                              ".constable.yaml:8:7: an allowlist entry needs a reason",
                              ".constable.yaml:9:1: unknown key 'sprint_dayz'"})
    EXPECT_NE(r.err.find(located), std::string::npos) << located << " in:\n" << r.err;
}

TEST(CliUntrustedFiles, HugeValuesFileIsSaidToBeTooLargeNotMissing) {
  TempDir repo;
  repo.write("Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: \"1.0\"\n");
  const auto values = repo.write("values.yaml", "replicaCount: 1\n");
  fs::resize_file(values, 50ULL * 1024 * 1024);  // sparse
  repo.write("templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");
  write_bad_dockerfile(repo);
  const auto r = run_bounded({"check", repo.path().string(), "--constitution",
                              (source_dir() / "tests/fixtures/constitution/reference-excerpt.md").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.find("has no file 'values.yaml'"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("has no values.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("values.yaml: skipped: 50.0 MiB exceeds the 10.0 MiB file size limit"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("app/Dockerfile"), std::string::npos) << "the rest of the run still happens:\n" << r.out;
}

// Minified JSON is one line: each position on it was counted from the
// line's start, and two megabytes of Kubernetes objects took hours.
TEST(CliUntrustedFiles, MinifiedJsonOfTwoMegabytesIsChecked) {
  TempDir repo;
  std::string json = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[";
  for (int i = 0; i < 11000; ++i)
    json += fmt::format(
        "{}{{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{{\"name\":\"w{}\"}},\"spec\":{{"
        "\"selector\":{{\"matchLabels\":{{\"app\":\"w\"}}}},\"template\":{{\"spec\":{{\"containers\":[{{"
        "\"name\":\"w\",\"image\":\"nginx:1.27\"}}]}}}}}}}}",
        i == 0 ? "" : ",", i);
  json += "]}";
  ASSERT_GT(json.size(), 2'000'000U);
  repo.write("deploy/all.json", json);
  const auto r = run_bounded({"check", repo.path().string(), "--format", "json", "--constitution",
                              (source_dir() / "tests/fixtures/constitution/reference-excerpt.md").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Each Deployment's container is judged, the last one at the end of the line.
  EXPECT_NE(r.out.find("Deployment/w10999"), std::string::npos);
  const std::string last = fmt::format("\"column\": {},", json.rfind("\"w\",\"image\"") + 1);
  EXPECT_NE(r.out.find(last), std::string::npos) << "no finding at " << last;
}

TEST(CliUntrustedFiles, HugeConstitutionIsRefusedWithItsSize) {
  TempDir repo;
  const auto file = repo.write("CONSTITUTION.md", kConstitution);
  fs::resize_file(file, 400ULL * 1024 * 1024);  // sparse
  const auto r = run_bounded({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("CONSTITUTION.md: cannot read the constitution: file is too large (400.0 MiB, limit 10.0 MiB)"),
            std::string::npos)
      << r.err;
}

// End to end, a constitution of 50,000 headings no longer takes seconds per
// ten thousand: the bound only catches a blow-up.
TEST(CliUntrustedFiles, FiftyThousandHeadingConstitutionIsChecked) {
  TempDir repo;
  std::string markdown = std::string(kConstitution);
  for (int i = 0; i < 50000; ++i) markdown += fmt::format("{} Topic {}\n\n", std::string(static_cast<std::size_t>(2 + i % 5), '#'), i);
  repo.write("CONSTITUTION.md", markdown);
  write_bad_dockerfile(repo);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_bounded({"check", repo.path().string()});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("app/Dockerfile"), std::string::npos) << r.out;
  EXPECT_LT(elapsed, std::chrono::duration<double>(30 * kSanitizerSlowdown));
}

// Coverage relates every lead-in ("Every project MUST include:") to its
// items: it did so by scanning every clause for each lead-in.
TEST(CliUntrustedFiles, CoverageOfTwentyThousandLeadInsIsLinear) {
  TempDir repo;
  std::string markdown = "# C\n";
  for (int i = 0; i < 20000; ++i) markdown += fmt::format("## Topic {}\nEvery project MUST include:\n- a\n- b\n", i);
  repo.write("CONSTITUTION.md", markdown);
  const auto r = run_bounded({"coverage", repo.path().string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("60000 clauses"), std::string::npos) << r.out.substr(r.out.size() > 400 ? r.out.size() - 400 : 0);
}

}  // namespace
}  // namespace constable::testing

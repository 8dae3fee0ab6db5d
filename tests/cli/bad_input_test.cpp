// Bad input never crashes or hangs the run: it becomes a finding or a note
// with a location, and everything else is still checked.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kConstitution =
    "# C\n## Docker Standards\n- Multi-stage builds MUST be used\n- Non-root user MUST be specified\n"
    "- Health checks MUST be implemented via HEALTHCHECK instruction\n";

constexpr std::string_view kCompliant =
    "FROM alpine:3.20 AS build\nRUN make\n\nFROM alpine:3.20\nCOPY --from=build /out /app\nUSER app\n"
    "HEALTHCHECK CMD [\"/app/health\"]\n";

// A repository with one known violation, so every test can assert that the
// rest of the run still happened.
void write_base(const TempDir& repo) {
  repo.write("CONSTITUTION.md", kConstitution);
  repo.write("good/Dockerfile", kCompliant);
  repo.write("root/Dockerfile", "FROM alpine:3.20 AS build\n\nFROM alpine:3.20\nCOPY --from=build /a /a\n"
                                "HEALTHCHECK CMD [\"true\"]\n");
}

// Runs `constable check` on the repository as an unprivileged user when the
// tests run as root (root reads anything), so that permissions really bite.
CommandResult check_without_privileges(const TempDir& repo) {
  std::vector<std::string> argv = {CONSTABLE_BINARY, "check", repo.path().string()};
  if (geteuid() == 0) {
    fs::permissions(repo.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    argv.insert(argv.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  }
  return run_command(argv, {}, {"CONSTABLE_TODAY=2026-11-22"});
}

void expect_rest_of_run(const CommandResult& r) {
  EXPECT_NE(r.out.find("root/Dockerfile"), std::string::npos) << "the valid violation must still be reported:\n"
                                                              << r.out << r.err;
}

// Regression: OpenAPI documents were parsed into a vector that moved the
// parsed streams, leaving pointers to freed nodes (SIGSEGV on any repository
// with two or more documents).
TEST(CliBadInput, SeveralOpenApiDocumentsAreAllChecked) {
  TempDir repo;
  write_base(repo);
  for (const char* name : {"a.yaml", "b.yaml", "c.yaml", "api/d.json"})
    repo.write(name, std::string(name).ends_with(".json") ? "{\"openapi\": \"3.1.0\", \"paths\": {}}\n"
                                                          : "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\n");
  auto r = constable({"check", repo.path().string(), "--constitution", (source_dir() / "tests/fixtures/constitution/reference-excerpt.md").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_rest_of_run(r);
}

TEST(CliBadInput, BinaryContentNamedDockerfile) {
  TempDir repo;
  write_base(repo);
  repo.write("bin/Dockerfile", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0garbage\xff\xfe", 20));
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("bin/Dockerfile"), std::string::npos);
  EXPECT_NE(r.out.find("constable/parse-error"), std::string::npos);
  EXPECT_NE(r.out.find("binary"), std::string::npos) << r.out;
  expect_rest_of_run(r);
}

TEST(CliBadInput, HugeFileIsSkippedWithANote) {
  TempDir repo;
  write_base(repo);
  const auto huge = repo.write("big/Dockerfile", "FROM alpine\n");
  fs::resize_file(huge, 200ULL * 1024 * 1024);  // sparse: cheap to make, 200 MB to read
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("big/Dockerfile"), std::string::npos);
  EXPECT_NE(r.out.find("200.0 MiB"), std::string::npos) << r.out;
  expect_rest_of_run(r);
}

TEST(CliBadInput, InvalidUtf8IsANoteWithALocationAndOutputStaysValid) {
  TempDir repo;
  write_base(repo);
  repo.write("latin1/Dockerfile", "FROM alpine:3.20\n# caf\xe9 au lait\nUSER root\n");
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("latin1/Dockerfile:2:6"), std::string::npos) << r.out;
  TempDir out;
  std::ofstream(out.path() / "r.json") << r.out;
  auto parsed = run_command({"/usr/bin/python3", "-c", "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))",
                             (out.path() / "r.json").string()});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
  expect_rest_of_run(r);
}

TEST(CliBadInput, CrlfAndBomAreUnderstood) {
  TempDir repo;
  repo.write("CONSTITUTION.md", "\xEF\xBB\xBF# C\r\n## Docker Standards\r\n- Non-root user MUST be specified\r\n");
  repo.write("ok/Dockerfile", "\xEF\xBB\xBF" "FROM alpine:3.20\r\nUSER app\r\n");
  repo.write("bad/Dockerfile", "\xEF\xBB\xBF" "FROM alpine:3.20\r\nRUN echo \\\r\n  hi\r\nUSER root\r\n");
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.find("ok/Dockerfile"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"line\": 4"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\\r"), std::string::npos) << "no carriage returns in snippets:\n" << r.out;
}

TEST(CliBadInput, UnreadableFileIsAFindingAndTheRunGoesOn) {
  TempDir repo;
  write_base(repo);
  const auto locked = repo.write("locked/Dockerfile", "FROM alpine:3.20\n");
  fs::permissions(locked, fs::perms::none);
  auto r = check_without_privileges(repo);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("constable/unreadable-file"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("Permission denied"), std::string::npos) << r.out;
  expect_rest_of_run(r);
}

TEST(CliBadInput, UnreadableDirectoryIsANoteAndTheRunGoesOn) {
  TempDir repo;
  write_base(repo);
  repo.write("vault/Dockerfile", "FROM alpine:3.20\n");
  fs::permissions(repo.path() / "vault", fs::perms::none);
  auto r = check_without_privileges(repo);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("vault: skipped: cannot read directory"), std::string::npos) << r.out;
  expect_rest_of_run(r);
}

TEST(CliBadInput, SymlinkLoopsAndEscapesNeverHang) {
  TempDir repo;
  write_base(repo);
  fs::create_directories(repo.path() / "links");
  fs::create_directory_symlink("..", repo.path() / "links" / "parent");
  fs::create_symlink(repo.path() / "links" / "b", repo.path() / "links" / "a");
  fs::create_symlink(repo.path() / "links" / "a", repo.path() / "links" / "b");
  fs::create_symlink("/etc/passwd", repo.path() / "links" / "Dockerfile");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("links/Dockerfile"), std::string::npos) << "escaping symlink gets a note:\n" << r.out;
  EXPECT_EQ(r.out.find("root:x:0"), std::string::npos);
  expect_rest_of_run(r);
}

TEST(CliBadInput, FifoNamedDockerfileDoesNotBlock) {
  TempDir repo;
  write_base(repo);
  fs::create_directories(repo.path() / "pipe");
  ASSERT_EQ(mkfifo((repo.path() / "pipe" / "Dockerfile").c_str(), 0644), 0);
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("pipe/Dockerfile"), std::string::npos) << r.out;
  expect_rest_of_run(r);
}

TEST(CliBadInput, MalformedDockerfileIsAParseFindingWithALocation) {
  TempDir repo;
  write_base(repo);
  repo.write("broken/Dockerfile", "FROM alpine:3.20\nUSER app\nFROBNICATE everything\nRUN cat <<EOF\nnever ends\n");
  auto r = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("unknown instruction"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("heredoc"), std::string::npos) << r.out;
  expect_rest_of_run(r);
}

TEST(CliBadInput, BrokenConstitutionContent) {
  TempDir repo;
  repo.write("Dockerfile", "FROM alpine\n");
  repo.write("CONSTITUTION.md", std::string("\0\1\2binary", 9));
  auto binary = constable({"check", repo.path().string()});
  EXPECT_EQ(binary.exit_code, 2);
  EXPECT_NE(binary.err.find("CONSTITUTION.md"), std::string::npos) << binary.err;
  repo.write("CONSTITUTION.md", "# Just a title\n\nSome prose with no rules.\n");
  auto empty = constable({"check", repo.path().string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no clauses"), std::string::npos) << empty.err;
}

}  // namespace
}  // namespace constable::testing

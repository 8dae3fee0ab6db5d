#pragma once
// A small hand-made Report shared by the report tests: four rules (one of
// the engine's own, without a clause), six findings across three files (one
// whole-file, one suppressed by an inline comment and one by a waiver, one
// with non-ASCII text, one with invalid UTF-8 and a control character, one
// full of XML and Markdown special characters) and one note.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"
#include "support/test_support.hpp"

namespace constable::report::testing {

// The redacted form of the secret in the ENV line; the engine already did this.
inline constexpr std::string_view kRedactedToken = "ghp_…(40 chars)";

struct Fixture {
  engine::CheckInfo non_root;
  engine::CheckInfo pinned;
  engine::CheckInfo readme;
  engine::CheckInfo expired_waiver;
  constitution::Clause non_root_clause;
  constitution::Clause pinned_clause;
  constitution::Clause readme_clause;
  engine::RunResult result;
  Report report;

  Fixture() {
    non_root.id = "docker/non-root-user";
    non_root.domain = "docker";
    non_root.nature = Nature::security;
    non_root.summary = "Run containers as a non-root user";
    non_root.rationale = "A process running as root inside a container is root on the host if it escapes.";
    non_root.remediation = "Add a `USER` instruction naming a non-root user after the last `RUN`.";

    pinned.id = "docker/pinned-base-image";
    pinned.domain = "docker";
    pinned.nature = Nature::reliability;
    pinned.summary = "Pin base images by digest";
    pinned.rationale = "Tags move; a digest always names the same image.";
    pinned.remediation = "Use `image@sha256:<digest>` in every FROM line.";

    readme.id = "docs/readme-ownership";
    readme.domain = "docs";
    readme.nature = Nature::documentation;
    readme.summary = "Name the owners in the README";
    readme.rationale = "Someone must be reachable when the service breaks.";
    readme.remediation = "Add an \"Ownership\" section to README.md.";

    expired_waiver.id = "constable/expired-waiver";
    expired_waiver.domain = "constable";
    expired_waiver.nature = Nature::maintainability;
    expired_waiver.summary = "Renew or remove expired waivers";
    expired_waiver.rationale = "A waiver is a time-boxed exception.";
    expired_waiver.remediation = "Fix the waived findings or extend the waiver in .constable.yaml.";

    non_root_clause.id = "security/containers/non-root-user-must-be-specified";
    non_root_clause.section_path = {"Project Constitution", "Security", "Containers"};
    non_root_clause.text = "Non-root user MUST be specified";
    non_root_clause.line = 42;

    pinned_clause.id = "standards/docker/base-images-must-be-pinned";
    pinned_clause.section_path = {"Project Constitution", "Standards", "Docker"};
    pinned_clause.text = "Base images MUST be pinned by digest & never use <latest> or \"floating\" tags";
    pinned_clause.line = 57;

    readme_clause.id = "documentation/readme/owners-must-be-named";
    readme_clause.section_path = {"Project Constitution", "Documentation"};
    readme_clause.text = "The README MUST name the owning team";
    readme_clause.line = 88;

    report.tool_name = "constable";
    report.tool_version = "0.1.0";
    report.root = "/srv/repos/demo app";
    report.constitution_path = ".specify/memory/constitution.md";
    report.constitution_version = "2.1.0";
    report.run_date = Date{2026, 3, 1};
    report.fail_on = Severity::high;
    report.rules = {
        Rule{&expired_waiver, nullptr, Severity::medium, ""},
        Rule{&non_root, &non_root_clause, Severity::critical, ""},
        Rule{&pinned, &pinned_clause, Severity::high, "registries: ghcr.io/acme"},
        Rule{&readme, &readme_clause, Severity::low, ""},
    };

    // Dockerfile
    result.findings.push_back(make(pinned, pinned_clause, Severity::high, "Dockerfile", {1, 6, 1, 22},
                                   "Base image python:3.12-slim is not pinned by digest", "FROM python:3.12-slim",
                                   "1f0e9c2a7b3d4e5f"));
    result.findings.push_back(make(non_root, non_root_clause, Severity::critical, "Dockerfile", {7, 1, 7, 10},
                                   "The container runs as root", "USER root", "a3b4c5d6e7f80912"));
    {
      engine::Finding f = make(pinned, pinned_clause, Severity::high, "Dockerfile", {12, 6, 12, 18},
                               "Base image node:20 is not pinned by digest", "FROM node:20 AS build",
                               "77aa88bb99cc00dd");
      f.suppression = engine::Suppression{engine::Suppression::Kind::inline_comment,
                                          "vendor image <legacy> & 'temporary'", "", std::nullopt, "Dockerfile:11"};
      result.findings.push_back(std::move(f));
    }
    // README.md: a whole-file finding
    result.findings.push_back(make(readme, readme_clause, Severity::low, "README.md", SourceRange::whole_file(),
                                   "README.md has no Ownership section", "", "0011223344556677"));
    // services/api gateway/Dockerfile: non-ASCII, specials, invalid UTF-8
    result.findings.push_back(make(pinned, pinned_clause, Severity::high, "services/api gateway/Dockerfile",
                                   {3, 6, 3, 26},
                                   "Image \"café/ünïcode:latest\" uses <latest> & a | pipe, *stars* and `ticks`",
                                   "FROM café/ünïcode:latest  # née", "5566778899aabbcc"));
    {
      engine::Finding f = make(non_root, non_root_clause, Severity::critical, "services/api gateway/Dockerfile",
                               {9, 5, 9, 0}, std::string("No USER before CMD\x1b[31m; token in ENV line"),
                               "ENV TOKEN=" + std::string(kRedactedToken) + " \xff\xfe", "ddeeff0011223344");
      result.findings.push_back(std::move(f));
    }
    {
      engine::Finding f = make(non_root, non_root_clause, Severity::critical, "services/api gateway/Dockerfile",
                               {20, 1, 20, 10}, "The container runs as root", "USER root", "9988776655443322");
      f.suppression = engine::Suppression{engine::Suppression::Kind::waiver, "migrating to distroless", "team-api",
                                          Date{2026, 6, 30}, ".constable.yaml:14"};
      result.findings.push_back(std::move(f));
    }
    result.notes.push_back({"assets/big.bin", "skipped: larger than max_file_size (10 MiB)"});
    result.stats.files_discovered = 12;
    result.stats.files_checked = 3;
    result.stats.bytes_read = 4096;
    result.stats.documents_parsed = 2;
    result.stats.active_checks = 4;
    result.stats.suppressed = 2;
    result.stats.times.discover = std::chrono::microseconds(1500);
    result.stats.times.bind = std::chrono::microseconds(200);
    result.stats.times.check = std::chrono::microseconds(2500000);
    result.stats.times.repository = std::chrono::microseconds(400000);
    result.stats.times.files = std::chrono::microseconds(300000);
    result.stats.times.charts = std::chrono::microseconds(1700000);
    result.stats.times.manifests = std::chrono::microseconds(100000);
    result.stats.times.report = std::chrono::microseconds(90);
    report.result = &result;
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  static engine::Finding make(const engine::CheckInfo& info, const constitution::Clause& clause, Severity severity,
                              std::string path, SourceRange range, std::string message, std::string snippet,
                              std::string fingerprint) {
    engine::Finding f;
    f.check_id = std::string(info.id);
    f.clause_id = clause.id;
    f.clause_text = clause.text;
    for (const std::string& part : clause.section_path) {
      if (!f.clause_section.empty()) f.clause_section += " > ";
      f.clause_section += part;
    }
    f.clause_line = clause.line;
    f.severity = severity;
    const int days = severity == Severity::critical ? 1 : severity == Severity::high ? 7 : severity == Severity::medium ? 30 : 14;
    f.due = Date{2026, 3, 1}.plus_days(days);
    f.path = std::move(path);
    f.range = range;
    f.message = std::move(message);
    f.remediation = std::string(info.remediation);
    f.snippet = std::move(snippet);
    f.fingerprint = std::move(fingerprint);
    return f;
  }
};

// Compares `actual` with tests/golden/report/<name>, or rewrites the file
// when CONSTABLE_UPDATE_GOLDEN=1.
inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path file = constable::testing::source_dir() / "tests" / "golden" / "report" / name;
  const char* update = std::getenv("CONSTABLE_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    std::filesystem::create_directories(file.parent_path());
    std::FILE* out = std::fopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr) << file;
    std::fwrite(actual.data(), 1, actual.size(), out);
    std::fclose(out);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(file)) << file << " is missing; run with CONSTABLE_UPDATE_GOLDEN=1";
  const std::string expected = constable::testing::read_file(file);
  EXPECT_EQ(expected, actual) << "differs from " << file << "; refresh with CONSTABLE_UPDATE_GOLDEN=1";
}

// Writes `content` to a file in `dir` and returns its path.
inline std::filesystem::path write_temp(const constable::testing::TempDir& dir, std::string_view name,
                                        std::string_view content) {
  return dir.write(name, content);
}

}  // namespace constable::report::testing

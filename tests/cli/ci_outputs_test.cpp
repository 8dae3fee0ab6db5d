// Outputs that fit the CI platforms, end to end: GitHub annotations, GitLab
// Code Quality, the HTML page in headless Chromium, the Markdown and SARIF
// caps, several reports in one run, and the summary line on stderr.

#include <unistd.h>

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <optional>
#include <regex>

#include "cli/cli_support.hpp"
#include "core/text.hpp"
#include "unit/report/code_quality_shape.hpp"

namespace constable::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kConstitution = ".specify/memory/constitution.md";

// A repository that breaks Dockerfile rules and lacks what the constitution
// asks of the repository as a whole (specifications, documents, a CI
// pipeline): findings at ".", at ".github/workflows/" and in files.
void write_repository(const TempDir& repo, std::string_view dockerfile_dir = "") {
  repo.write(kConstitution, read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  std::string dockerfile = "Dockerfile";
  if (!dockerfile_dir.empty()) dockerfile = std::string(dockerfile_dir) + "/Dockerfile";
  repo.write(dockerfile, "FROM python:3.12\nUSER root\n");
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  for (const auto line : text::split_lines(s)) out.emplace_back(line);
  return out;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

TEST(CiOutputs, GithubAnnotations) {
  const TempDir repo;
  write_repository(repo);
  const auto r = constable({"check", ".", "--format", "github"}, repo.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const auto& line : lines_of(r.out)) {
    EXPECT_TRUE(std::regex_match(line, std::regex("^::(error|warning|notice) file=[^,:]+(,line=[0-9]+)?[^:]*::.+$")) ||
                line.starts_with("constable: "))
        << line;
    EXPECT_EQ(line.find("file=.,"), std::string::npos) << line;
    EXPECT_EQ(line.find("file=.github/workflows/,"), std::string::npos) << "never a directory: " << line;
  }
  EXPECT_LE(count(r.out, "::error "), 10U);
  EXPECT_LE(count(r.out, "::warning "), 10U);
  EXPECT_EQ(count(r.out, "::notice "), 10U) << "more than 10 low findings: the first 10";
  EXPECT_NE(r.out.find("::error file=Dockerfile,line=2,"), std::string::npos) << r.out;
  // A finding about the repository points at its clause in the constitution.
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("::notice file=\\.specify/memory/constitution\\.md,line=[0-9]+,title=spec/gherkin-scenarios")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nconstable: [0-9]+ more findings? not annotated, as GitHub shows 10 "
                                                  "annotations of each level per step: [0-9]+ low; ")))
      << r.out;
  EXPECT_TRUE(r.out.ends_with(" at or above the fail-on threshold (low).\n")) << r.out;
}

TEST(CiOutputs, GitlabCodeQuality) {
  const TempDir repo;
  write_repository(repo);
  const auto first = constable({"check", ".", "--format", "gitlab"}, repo.path());
  EXPECT_EQ(first.exit_code, 1) << first.err;
  const json doc = json::parse(first.out);
  report::testing::expect_code_quality_shape(doc);
  ASSERT_GT(doc.size(), 10U);
  std::string root_user;
  for (const auto& issue : doc) {
    if (issue["check_name"] == "docker/non-root-user") root_user = issue["fingerprint"];
  }
  ASSERT_FALSE(root_user.empty()) << first.out;

  // Stable: lines added above the finding keep its fingerprint.
  repo.write("Dockerfile", "# build\n\nFROM python:3.12\nUSER root\n");
  const json moved = json::parse(constable({"check", ".", "--format", "gitlab"}, repo.path()).out);
  bool found = false;
  for (const auto& issue : moved) {
    if (issue["check_name"] != "docker/non-root-user") continue;
    EXPECT_EQ(issue["fingerprint"], root_user);
    EXPECT_EQ(issue["location"]["lines"]["begin"], 4);
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(CiOutputs, DemoGoldenPlatformReports) {
  for (auto [format, name] : {std::pair{"github", "demo/report.github.txt"},
                              std::pair{"gitlab", "demo/report.gitlab.json"}}) {
    const auto r = constable({"check", "examples/demo-repo", "--format", format}, source_dir());
    EXPECT_EQ(r.exit_code, 1) << format << ": " << r.err;
    expect_golden(name, r.out);
  }
}

TEST(CiOutputs, SarifPointsEveryResultAtAFile) {
  const TempDir repo;
  write_repository(repo);
  const auto r = constable({"check", ".", "--format", "sarif"}, repo.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json doc = json::parse(r.out);
  std::size_t at_constitution = 0;
  for (const auto& result : doc["runs"][0]["results"]) {
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.empty() || uri == "." || uri.ends_with('/')) << uri;
    // A file of the repository, or one a check says should exist (CHANGELOG.md).
    EXPECT_TRUE(fs::is_regular_file(repo.path() / uri) || !fs::exists(repo.path() / uri)) << uri;
    if (uri == kConstitution) {
      ++at_constitution;
      EXPECT_GT(result["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>(), 0);
      EXPECT_TRUE(result["properties"].contains("path"));
    }
  }
  EXPECT_GE(at_constitution, 8U) << "the spec findings (.) and the CI ones (.github/workflows/)";
}

TEST(CiOutputs, SarifMaxResults) {
  const TempDir repo;
  write_repository(repo);
  const auto r = constable({"check", ".", "--format", "sarif", "--max-results", "3"}, repo.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json doc = json::parse(r.out);
  const auto& run = doc["runs"][0];
  ASSERT_EQ(run["results"].size(), 3U);
  for (const auto& result : run["results"]) EXPECT_EQ(result["level"], "error") << "the most severe";
  const auto& notifications = run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_FALSE(notifications.empty());
  EXPECT_EQ(notifications.back()["descriptor"]["id"], "constable/results-truncated");
  EXPECT_EQ(constable({"check", ".", "--max-results", "-1"}, repo.path()).exit_code, 2);
}

TEST(CiOutputs, MarkdownMaxBytes) {
  const TempDir repo;
  write_repository(repo);
  const auto r = constable({"check", ".", "--format", "markdown", "--max-bytes", "2500"}, repo.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LE(r.out.size(), 2500U);
  EXPECT_TRUE(r.out.starts_with("## Constable report\n"));
  EXPECT_NE(r.out.find("| **Total** |"), std::string::npos) << "the summary first";
  EXPECT_NE(r.out.find("**Truncated** to stay under 2500 bytes, not shown: "), std::string::npos) << r.out;
  // The default fits a PR comment and leaves the demo's report whole.
  const auto demo = constable({"check", "examples/demo-repo", "--format", "markdown"}, source_dir());
  EXPECT_EQ(demo.out.find("Truncated"), std::string::npos);
}

TEST(CiOutputs, SeveralOutputsInOneRun) {
  const TempDir dir;
  const auto sarif = dir.path() / "out.sarif";
  const auto markdown = dir.path() / "summary.md";
  const auto r = constable({"check", "examples/demo-repo", "--output-format", "sarif=" + sarif.string(),
                            "--output-format", "markdown=" + markdown.string()},
                           source_dir());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("docker/non-root-user"), std::string::npos) << "the terminal report is still written";
  const json doc = json::parse(read_file(sarif));
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_FALSE(doc["runs"][0]["results"].empty());
  EXPECT_TRUE(read_file(markdown).starts_with("## Constable report\n"));
  EXPECT_TRUE(std::regex_match(r.err, std::regex("constable: [0-9]+ violations \\([0-9a-z, ]+\\) in [0-9]+ files; "
                                                 "reports written to " +
                                                 std::regex_replace(sarif.string(), std::regex("[.]"), "\\.") + ", " +
                                                 std::regex_replace(markdown.string(), std::regex("[.]"), "\\.") +
                                                 "\n")))
      << r.err;
}

TEST(CiOutputs, OutputFileLeavesASummaryLineOnStderr) {
  const TempDir dir;
  const auto file = dir.path() / "report.json";
  const auto r = constable({"check", "examples/demo-repo", "--format", "json", "--output", file.string()}, source_dir());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  const json doc = json::parse(read_file(file));
  const std::size_t total = doc["summary"]["total"];
  EXPECT_TRUE(r.err.starts_with(fmt::format("constable: {} violations (", total))) << r.err;
  EXPECT_TRUE(r.err.ends_with(fmt::format("; report written to {}\n", file.string()))) << r.err;
  EXPECT_EQ(count(r.err, "\n"), 1U) << "one line";

  // No violation: said as plainly.
  const TempDir clean;
  const auto quiet = constable({"check", "examples/compliant-repo", "--output", (clean.path() / "r.txt").string()},
                               source_dir());
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_TRUE(std::regex_match(quiet.err, std::regex("constable: no violations in [0-9]+ files; report written to .*"
                                                     "r\\.txt\n")))
      << quiet.err;
}

TEST(CiOutputs, UnwritableReportFilesAreUsageErrors) {
  const TempDir dir;
  const auto demo = std::string("examples/demo-repo");
  // Found before the run: no such directory, a directory, the same file twice, a bad spec.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--output-format", "sarif=" + (dir.path() / "no/such/dir/out.sarif").string()},
        std::vector<std::string>{"--output", dir.path().string()},
        std::vector<std::string>{"--output-format", "json=" + (dir.path() / "a").string(), "--output-format",
                                 "sarif=" + (dir.path() / "a").string()},
        std::vector<std::string>{"--output-format", "sarif"}, std::vector<std::string>{"--output-format", "pdf=x.pdf"},
        std::vector<std::string>{"--format", "yaml"}}) {
    std::vector<std::string> argv{"check", demo};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = constable(argv, source_dir());
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.out << r.err;
    EXPECT_TRUE(r.err.starts_with("constable: ")) << r.err;
    EXPECT_EQ(r.out, "") << "no run";
  }
  // Found when writing (a full device): the other reports are still written.
  if (fs::exists("/dev/full")) {
    const auto markdown = dir.path() / "summary.md";
    const auto r = constable(
        {"check", demo, "--output-format", "sarif=/dev/full", "--output-format", "markdown=" + markdown.string()},
        source_dir());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("constable: /dev/full: cannot write the report: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("report written to " + markdown.string()), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(markdown));
    EXPECT_NE(r.out.find("docker/non-root-user"), std::string::npos);
  }
}

// --- The HTML page in a real browser -------------------------------------


// puppeteer-core from npm, installed once into the build tree's test cache.
// Pinned: 24.x still runs on Debian 12's Node 18/20 (25.x needs Node 22).
constexpr std::string_view kPuppeteer = "puppeteer-core@24.37.5";

TEST(CiOutputs, HtmlInHeadlessChromium) {
  const auto node = find_program({"node", "nodejs"});
  const auto npm = find_program({"npm"});
  const auto chromium = find_program({"chromium", "chromium-browser", "google-chrome"});
  if (!node || !npm) GTEST_SKIP() << "node and npm are needed to drive Chromium (Debian: nodejs npm)";
  if (!chromium) GTEST_SKIP() << "no Chromium to open the HTML report in (Debian: chromium; scripts/install-deps.sh)";
  const auto modules = npm_install(CONSTABLE_TEST_CACHE_DIR, "puppeteer", {std::string(kPuppeteer)}, 180);
  if (!modules) GTEST_SKIP() << "cannot install " << kPuppeteer << " from npm (offline?)";

  // Findings whose text an attacker controls: a directory named like markup.
  const TempDir repo;
  const std::string evil = "<img src=x onerror=alert(1)>";
  write_repository(repo, evil);
  const auto report = repo.path() / "report.html";
  const auto r = constable({"check", ".", "--format", "html", "--output", report.string()}, repo.path());
  ASSERT_EQ(r.exit_code, 1) << r.err;
  ASSERT_NE(read_file(report).find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);

  const fs::path screenshot = fs::path(CONSTABLE_TEST_CACHE_DIR) / "html-report.png";
  fs::remove(screenshot);
  const auto browser = run_command({*node, (source_dir() / "tests" / "cli" / "html_in_chromium.js").string(),
                                    *chromium, report.string(), screenshot.string(), "non-root"},
                                   repo.path(), {"NODE_PATH=" + modules->string()}, 60);
  ASSERT_EQ(browser.exit_code, 0) << browser.err;
  const json seen = json::parse(browser.out);
  EXPECT_TRUE(seen["console"].empty()) << seen["console"].dump();
  EXPECT_TRUE(seen["pageErrors"].empty()) << seen["pageErrors"].dump();
  EXPECT_TRUE(seen["dialogs"].empty()) << "injected script ran: " << seen["dialogs"].dump();
  EXPECT_TRUE(seen["requests"].empty()) << "no network: " << seen["requests"].dump();
  EXPECT_TRUE(seen["failedRequests"].empty()) << seen["failedRequests"].dump();
  EXPECT_EQ(seen["before"]["images"], 0) << "the directory name stayed text";
  EXPECT_EQ(seen["before"]["scripts"], 1);
  const int findings = seen["before"]["findings"];
  EXPECT_GT(findings, 10);
  // The filter ran (the page's script is allowed by its CSP hash) and narrows the list.
  EXPECT_EQ(seen["before"]["shown"], fmt::format("{0} of {0} shown", findings));
  EXPECT_EQ(seen["after"]["shown"], fmt::format("1 of {} shown", findings)) << seen.dump();
  EXPECT_EQ(seen["after"]["visible"], 1);
  ASSERT_TRUE(fs::exists(screenshot));
  EXPECT_GT(fs::file_size(screenshot), 10'000U) << "a blank page?";
}

}  // namespace
}  // namespace constable::testing

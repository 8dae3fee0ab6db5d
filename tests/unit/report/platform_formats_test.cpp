// The formats made for CI platforms (GitHub annotations, GitLab Code Quality,
// HTML) and the platform limits of Markdown and SARIF: escaping, limits,
// what is kept when something must be cut, and where findings about the
// repository as a whole are shown.

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <regex>

#include "core/text.hpp"
#include "report/common.hpp"
#include "unit/report/code_quality_shape.hpp"
#include "unit/report/report_fixture.hpp"

namespace constable::report {
namespace {

using nlohmann::json;
using testing::Fixture;

constexpr std::string_view kConstitution = ".specify/memory/constitution.md";

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

std::vector<std::string> lines_of(std::string_view s) {
  std::vector<std::string> out;
  for (const auto line : text::split_lines(s)) out.emplace_back(line);
  return out;
}

// The fixture's report with `n` more findings of each severity, one per
// file, each message carrying multi-byte text.
struct ManyFindings {
  Fixture fx;
  explicit ManyFindings(std::size_t n) {
    fx.report.constitution_in_root = std::string(kConstitution);
    for (Severity severity : kAllSeverities) {
      for (std::size_t i = 0; i < n; ++i) {
        engine::Finding f = Fixture::make(fx.non_root, fx.non_root_clause, severity,
                                          fmt::format("svc/{}-{:03}/Dockerfile", to_string(severity), i), {4, 1, 4, 10},
                                          fmt::format("ünïcödé → finding {} of {} — 日本語", i, to_string(severity)),
                                          "USER root", fmt::format("{:016x}", i));
        fx.result.findings.push_back(std::move(f));
      }
    }
    std::sort(fx.result.findings.begin(), fx.result.findings.end(), engine::report_order);
  }
};

// A finding about the repository as a whole (`path` "." or a directory).
engine::Finding repository_finding(const Fixture& fx, std::string path) {
  return Fixture::make(fx.readme, fx.readme_clause, Severity::low, std::move(path), SourceRange::whole_file(),
                       "the repository has no threat model", "", "feedfacecafebeef");
}

TEST(PlatformFormats, ParsesNames) {
  EXPECT_EQ(parse_format("github"), Format::github);
  EXPECT_EQ(parse_format("GitLab"), Format::gitlab);
  EXPECT_EQ(parse_format("html"), Format::html);
  EXPECT_EQ(parse_format("gitlab-ci"), std::nullopt);
  EXPECT_NE(format_names().find("html"), std::string_view::npos);
}

TEST(PlatformFormats, FileLocationNeverADirectory) {
  Fixture fx;
  fx.report.constitution_in_root = std::string(kConstitution);
  EXPECT_TRUE(detail::names_a_file("CHANGELOG.md"));
  EXPECT_TRUE(detail::names_a_file(".github/workflows/ci.yml"));
  for (const char* path : {"", ".", "services/", ".git", ".git/refs/heads/feature"}) {
    EXPECT_FALSE(detail::names_a_file(path)) << path;
    const auto location = detail::file_location(fx.report, repository_finding(fx, path));
    ASSERT_TRUE(location.has_value()) << path;
    EXPECT_EQ(location->path, kConstitution);
    EXPECT_EQ(location->range.line, fx.readme_clause.line) << "the clause's line";
    EXPECT_TRUE(location->at_clause);
  }
  fx.report.constitution_in_root.clear();
  EXPECT_FALSE(detail::file_location(fx.report, repository_finding(fx, ".")).has_value());
  const auto own = detail::file_location(fx.report, fx.result.findings[0]);
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->path, "Dockerfile");
  EXPECT_FALSE(own->at_clause);
}

TEST(PlatformFormats, Utf8PrefixNeverCutsACharacter) {
  const std::string s = "a→b";  // → is 3 bytes
  EXPECT_EQ(detail::utf8_prefix(s, 1), "a");
  EXPECT_EQ(detail::utf8_prefix(s, 2), "a");
  EXPECT_EQ(detail::utf8_prefix(s, 3), "a");
  EXPECT_EQ(detail::utf8_prefix(s, 4), "a→");
  EXPECT_EQ(detail::utf8_prefix(s, 99), s);
  EXPECT_EQ(detail::severity_counts_text({0, 2, 10, 0}), "2 high, 10 medium");
  EXPECT_EQ(detail::violations_text({}), "no violations");
}

// --- GitHub ---------------------------------------------------------------

TEST(GithubFormat, OneAnnotationPerUnsuppressedFindingMostSevereFirst) {
  const Fixture fx;
  const auto lines = lines_of(render_github(fx.report));
  std::vector<std::string> annotations;
  for (const auto& line : lines)
    if (line.starts_with("::")) annotations.push_back(line);
  ASSERT_EQ(annotations.size(), 5U);  // 7 findings, 2 suppressed
  EXPECT_TRUE(annotations[0].starts_with("::error file=Dockerfile,line=7,col=1,endColumn=10,"
                                         "title=docker/non-root-user (critical)::The container runs as root%0A"))
      << annotations[0];
  EXPECT_TRUE(annotations[1].starts_with("::error file=services/api gateway/Dockerfile,line=9,col=5,"))
      << annotations[1];
  EXPECT_TRUE(annotations[2].starts_with("::error file=Dockerfile,line=1,col=6,endColumn=22,"
                                         "title=docker/pinned-base-image (high)::"))
      << annotations[2];
  // A whole-file finding has a file but no line.
  EXPECT_TRUE(annotations[4].starts_with("::notice file=README.md,title=docs/readme-ownership (low)::"))
      << annotations[4];
  EXPECT_NE(annotations[0].find("%0Aclause: security/containers/non-root-user-must-be-specified — "
                                "\"Non-root user MUST be specified\"%0Adue: 2026-03-02%0Afix: "),
            std::string::npos);
  EXPECT_EQ(lines.back(), "constable: 5 violations (2 critical, 2 high, 1 low), 2 suppressed; "
                          "4 at or above the fail-on threshold (high).");
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "constable: note: assets/big.bin: skipped: larger than max_file_size (10 MiB)"),
            lines.end());
}

TEST(GithubFormat, EscapesPropertiesAndData) {
  Fixture fx;
  engine::Finding& f = fx.result.findings[1];  // the critical one in Dockerfile
  f.path = "dir,x/a:b%c.yaml";
  f.message = "100% wrong\r\nsecond line ::error::injected";
  f.remediation = "";
  const std::string out = render_github(fx.report);
  EXPECT_NE(out.find("::error file=dir%2Cx/a%3Ab%25c.yaml,line=7,"), std::string::npos) << out;
  EXPECT_NE(out.find("title=docker/non-root-user (critical)::100%25 wrong%0D%0Asecond line ::error::injected%0A"),
            std::string::npos)
      << out;
  // Every line is a command or a plain "constable:" line: nothing from the
  // repository starts a line of its own.
  for (const auto& line : lines_of(out)) {
    EXPECT_TRUE(line.starts_with("::error ") || line.starts_with("::warning ") || line.starts_with("::notice ") ||
                line.starts_with("constable: "))
        << line;
  }
  // Properties may hold no raw ':' or ',' (they delimit them).
  const std::regex command("^::(error|warning|notice) ([^:]*)::.*$");
  for (const auto& line : lines_of(out)) {
    if (!line.starts_with("::")) continue;
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, command)) << line;
  }
}

TEST(GithubFormat, KeepsWithinGithubsLimitsAndCountsTheRest) {
  const ManyFindings many(12);  // 12 + fixture's of each severity
  const std::string out = render_github(many.fx.report);
  EXPECT_EQ(count(out, "::error "), 10U);
  EXPECT_EQ(count(out, "::warning "), 10U);
  EXPECT_EQ(count(out, "::notice "), 10U);
  // Errors: the 14 critical (12 + 2) come before any high one.
  const auto lines = lines_of(out);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_NE(lines[i].find("(critical)::"), std::string::npos) << lines[i];
  // Left out: 4 critical + 14 high, 2 medium, 3 low (13 - 10).
  EXPECT_NE(out.find("constable: 23 more findings not annotated, as GitHub shows 10 annotations of each level per "
                     "step: 4 critical, 14 high, 2 medium, 3 low; the other formats list them all\n"),
            std::string::npos)
      << out;
}

TEST(GithubFormat, RepositoryFindingsPointAtTheirClause) {
  Fixture fx;
  fx.report.constitution_in_root = std::string(kConstitution);
  fx.result.findings.push_back(repository_finding(fx, "."));
  fx.result.findings.push_back(repository_finding(fx, "services/"));
  const std::string out = render_github(fx.report);
  EXPECT_NE(out.find("::notice file=.specify/memory/constitution.md,line=88,title=docs/readme-ownership (low)::"
                     "the repository has no threat model%0Aclause:"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("the repository has no threat model%0Apath: services/%0Aclause:"), std::string::npos) << out;
  EXPECT_EQ(out.find("file=.,"), std::string::npos);
  EXPECT_EQ(out.find("file=services/,"), std::string::npos);
  // Without a constitution in the root: an annotation on the run, no file.
  fx.report.constitution_in_root.clear();
  EXPECT_NE(render_github(fx.report).find("::notice title=docs/readme-ownership (low)::the repository has no threat"),
            std::string::npos);
}

// --- GitLab ---------------------------------------------------------------

TEST(GitlabFormat, DocumentedShape) {
  Fixture fx;
  fx.report.constitution_in_root = std::string(kConstitution);
  fx.result.findings.push_back(repository_finding(fx, "."));
  const json doc = json::parse(render_gitlab(fx.report));
  testing::expect_code_quality_shape(doc);
  ASSERT_EQ(doc.size(), 6U);  // 5 unsuppressed + the repository's
  const json& first = doc[0];
  EXPECT_EQ(first["check_name"], "docker/pinned-base-image");
  EXPECT_EQ(first["severity"], "critical");  // high
  EXPECT_EQ(first["location"]["path"], "Dockerfile");
  EXPECT_EQ(first["location"]["lines"]["begin"], 1);
  EXPECT_EQ(first["description"], "Base image python:3.12-slim is not pinned by digest "
                                  "(clause standards/docker/base-images-must-be-pinned)");
  // The engine's fingerprint, qualified by the path.
  EXPECT_TRUE(first["fingerprint"].get<std::string>().starts_with("1f0e9c2a7b3d4e5f-"));
  EXPECT_EQ(doc[1]["severity"], "blocker");  // critical
  EXPECT_EQ(doc[2]["location"]["lines"]["begin"], 1) << "a whole-file finding is at line 1";
  EXPECT_EQ(doc[2]["severity"], "minor");  // low
  EXPECT_EQ(doc[5]["location"]["path"], kConstitution);
  EXPECT_EQ(doc[5]["location"]["lines"]["begin"], 88);
}

TEST(GitlabFormat, FingerprintsStableAndUnique) {
  Fixture fx;
  // The same offending line in two files: one engine fingerprint.
  engine::Finding copy = fx.result.findings[1];
  copy.path = "other/Dockerfile";
  fx.result.findings.push_back(copy);
  fx.result.findings.push_back(copy);  // and, should it ever happen, twice in one file
  const json doc = json::parse(render_gitlab(fx.report));
  testing::expect_code_quality_shape(doc);
  // Stable: a later run gives the same fingerprints, and moving the finding
  // within its file does not change its fingerprint.
  const json again = json::parse(render_gitlab(fx.report));
  EXPECT_EQ(doc, again);
  fx.result.findings[1].range = {30, 1, 30, 10};
  const json moved = json::parse(render_gitlab(fx.report));
  EXPECT_EQ(doc[1]["fingerprint"], moved[1]["fingerprint"]);
}

TEST(GitlabFormat, EmptyReportIsAnEmptyArray) {
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  EXPECT_EQ(render_gitlab(fx.report), "[]\n");
}

// --- HTML -----------------------------------------------------------------

TEST(HtmlFormat, GroupedBySeverityThenClause) {
  const Fixture fx;
  const std::string html = render_html(fx.report);
  const auto critical = html.find("<h2>Critical (2)</h2>");
  const auto high = html.find("<h2>High (2)</h2>");
  const auto low = html.find("<h2>Low (1)</h2>");
  ASSERT_NE(critical, std::string::npos) << html;
  ASSERT_NE(high, std::string::npos);
  ASSERT_NE(low, std::string::npos);
  EXPECT_LT(critical, high);
  EXPECT_LT(high, low);
  EXPECT_EQ(html.find("<h2>Medium"), std::string::npos) << "no empty severity";
  EXPECT_EQ(count(html, "<article class=\"finding\">"), 5U);
  EXPECT_EQ(count(html, "<section class=\"clause\">"), 3U);
  EXPECT_NE(html.find("<h2>Summary</h2>"), std::string::npos);
  EXPECT_LT(low, html.find("<h2>Summary</h2>")) << "the summary tables come below the findings";
  EXPECT_NE(html.find("<input id=\"filter\" type=\"search\""), std::string::npos);
  EXPECT_NE(html.find("<summary>Suppressed (2)</summary>"), std::string::npos);
}

TEST(HtmlFormat, SelfContained) {
  const Fixture fx;
  const std::string html = render_html(fx.report);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find(" href="), std::string::npos);
  EXPECT_NE(html.find("content=\"default-src 'none'; style-src 'sha256-"), std::string::npos);
  EXPECT_EQ(count(html, "<script>"), 1U);
  EXPECT_EQ(count(html, "<style>"), 1U);
  EXPECT_EQ(text::first_invalid_utf8(html), std::nullopt);
}

TEST(HtmlFormat, EscapesAttackerControlledText) {
  Fixture fx;
  engine::Finding& f = fx.result.findings[1];
  f.path = "\"><img src=x onerror=alert(1)>.yaml";
  f.message = "<script>alert('message')</script>";
  f.snippet = "</pre><script>alert(2)</script>";
  f.remediation = "<iframe src=javascript:alert(3)>";
  f.check_id = "x/<b>bold</b>";
  f.clause_id = "</h3><style>body{display:none}</style>";
  f.clause_text = "\" onmouseover=\"alert(4)";
  fx.result.notes.push_back({"<svg onload=alert(5)>", "</li><script>alert(6)</script>"});
  fx.report.root = "</title><script>alert(7)</script>";
  fx.report.constitution_path = "<a href=//evil>";
  const std::string html = render_html(fx.report);
  EXPECT_EQ(count(html, "<script"), 1U) << "only the page's own script";
  EXPECT_EQ(count(html, "<style"), 1U);
  for (const char* tag : {"<img", "<iframe", "<svg", "<a ", "<b>"}) EXPECT_EQ(html.find(tag), std::string::npos) << tag;
  EXPECT_EQ(html.find("onmouseover=\""), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;message&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.yaml"), std::string::npos);
}

// --- Markdown size cap ----------------------------------------------------

TEST(MarkdownCap, FitsAsIsWhenSmall) {
  const Fixture fx;
  EXPECT_EQ(render_markdown(fx.report, {}), render_markdown(fx.report, {.markdown_max_bytes = 0}));
  EXPECT_EQ(render_markdown(fx.report, {}).find("Truncated"), std::string::npos);
}

TEST(MarkdownCap, CutsAtAFindingBoundaryMostSevereFirst) {
  const ManyFindings many(400);  // 1,600 findings, far over 60,000 bytes
  const std::string full = render_markdown(many.fx.report, {.markdown_max_bytes = 0});
  ASSERT_GT(full.size(), 60'000U);
  const std::string md = render_markdown(many.fx.report, {});
  EXPECT_LE(md.size(), 60'000U);
  EXPECT_GT(md.size(), 55'000U) << "uses the room it has";
  EXPECT_EQ(text::first_invalid_utf8(md), std::nullopt);
  EXPECT_TRUE(md.starts_with("## Constable report\n")) << "the summary first";
  EXPECT_NE(md.find("| **Total** | **1605** |"), std::string::npos);

  // Whole rows only, in severity order, and the rest counted by severity.
  std::array<std::size_t, 4> shown{};
  int last = -1;
  for (const auto& line : lines_of(md)) {
    for (Severity severity : kAllSeverities) {
      if (line.starts_with(fmt::format("| {} | `", to_string(severity)))) {
        EXPECT_TRUE(line.ends_with(" |")) << line;
        EXPECT_GE(static_cast<int>(severity), last) << "most severe first";
        last = static_cast<int>(severity);
        ++shown[static_cast<std::size_t>(severity)];
      }
    }
  }
  const std::array<std::size_t, 4> total{402, 402, 400, 401};
  std::string left;
  std::size_t left_total = 0;
  for (Severity severity : kAllSeverities) {
    const auto i = static_cast<std::size_t>(severity);
    if (total[i] == shown[i]) continue;
    left += fmt::format("{}{} {}", left.empty() ? "" : ", ", total[i] - shown[i], to_string(severity));
    left_total += total[i] - shown[i];
  }
  EXPECT_NE(md.find(fmt::format("**Truncated** to stay under 60000 bytes, not shown: {} findings ({}), 2 "
                                "suppressed, 1 note; the SARIF and JSON reports list everything.\n",
                                left_total, left)),
            std::string::npos)
      << md.substr(md.size() - 400);
}

TEST(MarkdownCap, SmallLimitsAndMultiByteText) {
  const ManyFindings many(30);
  for (std::size_t limit : {1200U, 1500U, 2001U, 2002U, 2003U, 4096U}) {
    const std::string md = render_markdown(many.fx.report, {.markdown_max_bytes = limit});
    EXPECT_LE(md.size(), limit);
    EXPECT_EQ(text::first_invalid_utf8(md), std::nullopt) << limit;
    EXPECT_NE(md.find("**Truncated**"), std::string::npos) << limit;
  }
  // Below the size of the summary itself: cut, but never inside a character.
  const std::string tiny = render_markdown(many.fx.report, {.markdown_max_bytes = 100});
  EXPECT_LE(tiny.size(), 100U);
  EXPECT_EQ(text::first_invalid_utf8(tiny), std::nullopt);
}

// --- SARIF limits and locations -------------------------------------------

TEST(SarifLimits, RepositoryFindingsPointAtAFile) {
  Fixture fx;
  fx.report.constitution_in_root = std::string(kConstitution);
  fx.result.findings.push_back(repository_finding(fx, "."));
  fx.result.findings.push_back(repository_finding(fx, "docs/"));
  fx.result.findings.push_back(repository_finding(fx, ".git"));
  fx.result.notes.push_back({".git", "git checks not run"});
  const json doc = json::parse(render_sarif(fx.report));
  const json& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), 10U);
  for (const json& result : results) {
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_NE(uri, ".");
    EXPECT_FALSE(uri.empty());
    EXPECT_NE(uri.back(), '/') << uri;
    EXPECT_FALSE(uri.starts_with(".git")) << uri;
  }
  const json& repository = results[7];
  EXPECT_EQ(repository["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], kConstitution);
  EXPECT_EQ(repository["locations"][0]["physicalLocation"]["region"]["startLine"], 88);
  EXPECT_EQ(repository["properties"]["path"], ".");
  EXPECT_EQ(results[8]["properties"]["path"], "docs/");
  EXPECT_FALSE(results[0]["properties"].contains("path")) << "only where the location stands in";
  // A note about a directory has no location.
  for (const json& notification : doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]) {
    if (notification["message"]["text"] == "git checks not run") {
      EXPECT_FALSE(notification.contains("locations"));
    }
  }
}

TEST(SarifLimits, MaxResultsKeepsTheMostSevere) {
  const ManyFindings many(10);  // 47 findings: 12 critical, 12 high, 10 medium, 11 low, 2 suppressed
  const json doc = json::parse(render_sarif(many.fx.report, {.sarif_max_results = 20}));
  const json& run = doc["runs"][0];
  ASSERT_EQ(run["results"].size(), 20U);
  std::size_t critical = 0;
  std::size_t high = 0;
  for (const json& result : run["results"]) {
    EXPECT_FALSE(result.contains("suppressions")) << "unsuppressed findings first";
    const std::string severity = result["properties"]["severity"];
    critical += severity == "critical";
    high += severity == "high";
  }
  EXPECT_EQ(critical, 12U);
  EXPECT_EQ(high, 8U);
  const json& notifications = run["invocations"][0]["toolExecutionNotifications"];
  const json& cut = notifications.back();
  EXPECT_EQ(cut["level"], "warning");
  EXPECT_EQ(cut["descriptor"]["id"], "constable/results-truncated");
  EXPECT_EQ(cut["message"]["text"],
            "27 of 47 results left out to stay within code scanning's limits (at most 20 results, at most 10000000 "
            "bytes): 1 critical, 5 high, 10 medium, 11 low; the most severe were kept. The JSON report lists every "
            "finding.");
  // Results stay in report order.
  std::vector<std::string> uris;
  for (const json& result : run["results"])
    uris.push_back(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
  EXPECT_TRUE(std::is_sorted(uris.begin(), uris.end()));
}

TEST(SarifLimits, StaysUnderTheByteLimit) {
  const ManyFindings many(50);
  const std::string whole = render_sarif(many.fx.report, {.sarif_max_bytes = 0});
  const std::size_t limit = whole.size() / 3;
  const std::string cut = render_sarif(many.fx.report, {.sarif_max_bytes = limit});
  EXPECT_LE(cut.size(), limit);
  EXPECT_GT(cut.size(), limit * 9 / 10) << "uses the room it has";
  const json doc = json::parse(cut);
  const std::size_t kept = doc["runs"][0]["results"].size();
  EXPECT_GT(kept, 0U);
  EXPECT_LT(kept, 207U);
  const std::string text = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"].back()["message"]["text"];
  EXPECT_TRUE(text.starts_with(fmt::format("{} of 207 results left out", 207 - kept))) << text;
  // Nothing is cut when it all fits.
  EXPECT_EQ(render_sarif(many.fx.report, {}), whole);
  EXPECT_EQ(whole.find("results-truncated"), std::string::npos);
}

TEST(PlatformFormats, NewFormatsValidUtf8AndNoSecret) {
  Fixture fx;
  fx.result.findings[0].path = "bad\xc3(path";
  fx.result.findings[0].message = "msg \xed\xa0\x80 surrogate ghp_0123";
  fx.result.notes[0].message = "\xff";
  for (Format format : {Format::github, Format::gitlab, Format::html}) {
    const std::string out = render(fx.report, format, {});
    EXPECT_EQ(text::first_invalid_utf8(out), std::nullopt) << static_cast<int>(format);
    // The ESC in a message (the fixture's) never reaches a log viewer or a page.
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << static_cast<int>(format);
  }
  // The redacted token in the snippet reaches HTML, as the engine left it.
  EXPECT_NE(render_html(Fixture().report).find(testing::kRedactedToken), std::string::npos);
}

}  // namespace
}  // namespace constable::report

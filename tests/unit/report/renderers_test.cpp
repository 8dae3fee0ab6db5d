// Behaviour of the individual renderers, beyond the golden files.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "report/common.hpp"
#include "unit/report/report_fixture.hpp"

namespace constable::report {
namespace {

using nlohmann::json;
using testing::Fixture;

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

const Format kAllFormats[] = {Format::text, Format::json, Format::sarif, Format::junit, Format::markdown};

TEST(ReportFormat, ParsesNames) {
  EXPECT_EQ(parse_format("text"), Format::text);
  EXPECT_EQ(parse_format("JSON"), Format::json);
  EXPECT_EQ(parse_format("sarif"), Format::sarif);
  EXPECT_EQ(parse_format("junit"), Format::junit);
  EXPECT_EQ(parse_format("markdown"), Format::markdown);
  EXPECT_EQ(parse_format("md"), Format::markdown);
  EXPECT_EQ(parse_format("html"), Format::html);
  EXPECT_EQ(parse_format("xml"), std::nullopt);
  EXPECT_EQ(parse_format(""), std::nullopt);
}

TEST(ReportText, NoEscapeCodesWithoutColour) {
  const Fixture fx;
  const std::string plain = render(fx.report, Format::text, {.colour = false, .stats = false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << "an escape code, even the one inside a message";
  const std::string coloured = render(fx.report, Format::text, {.colour = true, .stats = false});
  EXPECT_NE(coloured.find("\x1b[1;31mcritical\x1b[0m"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[1mDockerfile\x1b[0m"), std::string::npos);
  // The ESC in the finding's message never reaches the terminal.
  EXPECT_EQ(coloured.find("\x1b[31m;"), std::string::npos);
}

TEST(ReportText, ShowsFindingsWithSnippetCaretClauseAndDue) {
  const Fixture fx;
  const std::string out = render_text(fx.report, {});
  EXPECT_NE(out.find("  7:1  critical  docker/non-root-user  The container runs as root\n"
                     "    7 | USER root\n"
                     "      | ^^^^^^^^^\n"
                     "      clause: security/containers/non-root-user-must-be-specified — "
                     "\"Non-root user MUST be specified\"\n"
                     "      due: 2026-03-02\n"),
            std::string::npos)
      << out;
  // Whole-file finding: no snippet, no caret.
  EXPECT_NE(out.find("  file  low       docs/readme-ownership  README.md has no Ownership section\n"
                     "      clause:"),
            std::string::npos)
      << out;
  // Non-ASCII: the caret counts code points, not bytes.
  EXPECT_NE(out.find("    3 | FROM café/ünïcode:latest  # née\n"
                     "      |      ^^^^^^^^^^^^^^^^^^^^\n"),
            std::string::npos)
      << out;
}

TEST(ReportText, SuppressedAreCountedNotShown) {
  const Fixture fx;
  const std::string out = render_text(fx.report, {});
  EXPECT_EQ(out.find("node:20"), std::string::npos);
  EXPECT_EQ(out.find("migrating to distroless"), std::string::npos);
  EXPECT_NE(out.find("5 violations (2 critical, 2 high, 0 medium, 1 low), 2 suppressed; "
                     "4 at or above the fail-on threshold (high).\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("note: assets/big.bin: skipped: larger than max_file_size (10 MiB)\n"), std::string::npos);
}

TEST(ReportText, NoViolations) {
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  EXPECT_EQ(render_text(fx.report, {}),
            "No violations found in /srv/repos/demo app against .specify/memory/constitution.md v2.1.0.\n");
  fx.report.result = nullptr;
  EXPECT_NE(render_text(fx.report, {}).find("No violations found"), std::string::npos);
}

TEST(ReportText, StatsOnlyWhenAsked) {
  const Fixture fx;
  EXPECT_EQ(render_text(fx.report, {}).find("stats:"), std::string::npos);
  const std::string out = render_text(fx.report, {.colour = false, .stats = true});
  EXPECT_NE(out.find("stats:\n  constitution  0 µs\n  discover      1.5 ms\n  bind          200 µs\n  check         2.50 s\n"
                     "    repository  400.0 ms\n    files       300.0 ms\n    charts      1.70 s\n    manifests   100.0 ms\n"
                     "  report        90 µs\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("files discovered: 12, files checked: 3, bytes read: 4096, documents parsed: 2, "
                     "active checks: 4"),
            std::string::npos);
}

TEST(ReportText, FailOnNone) {
  Fixture fx;
  fx.report.fail_on_none = true;
  EXPECT_NE(render_text(fx.report, {}).find("fail-on none"), std::string::npos);
  EXPECT_EQ(detail::summarize(fx.report).failing, 0U);
}

TEST(ReportJson, SummaryAndFindings) {
  const Fixture fx;
  const json doc = json::parse(render_json(fx.report, {}));
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["summary"]["total"], 5);
  EXPECT_EQ(doc["summary"]["by_severity"]["critical"], 2);
  EXPECT_EQ(doc["summary"]["suppressed"], 2);
  EXPECT_EQ(doc["summary"]["failing"], 4);
  EXPECT_EQ(doc["summary"]["fail_on"], "high");
  ASSERT_EQ(doc["findings"].size(), 7U);
  EXPECT_EQ(doc["findings"][2]["suppression"]["kind"], "inline_comment");
  EXPECT_TRUE(doc["findings"][2]["suppression"]["expires"].is_null());
  EXPECT_EQ(doc["findings"][6]["suppression"]["expires"], "2026-06-30");
  EXPECT_FALSE(doc["findings"][0].contains("suppression"));
  // Invalid UTF-8 in the snippet became U+FFFD.
  EXPECT_EQ(doc["findings"][5]["snippet"], "ENV TOKEN=ghp_…(40 chars) \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_FALSE(doc.contains("stats"));
  EXPECT_EQ(doc["rules"][0]["id"], "constable/expired-waiver");
  EXPECT_FALSE(doc["rules"][0].contains("clause_id"));
  EXPECT_EQ(doc["rules"][2]["parameters"], "registries: ghcr.io/acme");
}

TEST(ReportJson, KeysInFixedOrder) {
  const Fixture fx;
  const std::string out = render_json(fx.report, {});
  const char* keys[] = {"\"version\"", "\"tool\"", "\"root\"", "\"constitution\"", "\"run_date\"",
                        "\"summary\"", "\"findings\"", "\"notes\"", "\"rules\""};
  std::size_t last = 0;
  for (const char* key : keys) {
    const auto pos = out.find(key);
    ASSERT_NE(pos, std::string::npos) << key;
    EXPECT_GE(pos, last) << key;
    last = pos;
  }
  EXPECT_EQ(out.rfind("{\n  \"version\": 1,\n", 0), 0U) << "2-space indent";
}

TEST(ReportJson, EngineFindingHasNullClause) {
  Fixture fx;
  engine::RunResult result;
  engine::Finding f = Fixture::make(fx.expired_waiver, fx.non_root_clause, Severity::medium, ".constable.yaml",
                                    SourceRange::at_line(14), "waiver expired on 2026-02-01", "", "ff");
  f.clause_id.clear();
  result.findings.push_back(f);
  fx.report.result = &result;
  const json doc = json::parse(render_json(fx.report, {}));
  EXPECT_TRUE(doc["findings"][0]["clause"].is_null());
  const json sarif = json::parse(render_sarif(fx.report));
  EXPECT_EQ(sarif["runs"][0]["results"][0]["message"]["text"], "waiver expired on 2026-02-01");
}

TEST(ReportSarif, StructureAndMapping) {
  const Fixture fx;
  const json doc = json::parse(render_sarif(fx.report));
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_EQ(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  const json& run = doc["runs"][0];
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///srv/repos/demo%20app/");
  const json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 4U);
  EXPECT_EQ(rules[1]["id"], "docker/non-root-user");
  EXPECT_EQ(rules[1]["name"], "NonRootUser");
  EXPECT_EQ(rules[1]["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rules[1]["properties"]["security-severity"], "9.0");
  EXPECT_EQ(rules[1]["properties"]["clause"]["section"], "Project Constitution > Security > Containers");
  EXPECT_FALSE(rules[2]["properties"].contains("security-severity")) << "reliability is not security";
  EXPECT_EQ(rules[3]["defaultConfiguration"]["level"], "note");
  EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "warning");

  const json& results = run["results"];
  ASSERT_EQ(results.size(), 7U);
  EXPECT_EQ(results[1]["ruleId"], "docker/non-root-user");
  EXPECT_EQ(results[1]["ruleIndex"], 1);
  EXPECT_EQ(results[1]["message"]["text"],
            "The container runs as root (clause security/containers/non-root-user-must-be-specified)");
  EXPECT_EQ(results[1]["partialFingerprints"]["constable/v1"], "a3b4c5d6e7f80912");
  const json& region = results[1]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startLine"], 7);
  EXPECT_EQ(region["startColumn"], 1);
  EXPECT_EQ(region["endColumn"], 10);
  EXPECT_EQ(region["snippet"]["text"], "USER root");
  // Whole file: no region.
  EXPECT_FALSE(results[3]["locations"][0]["physicalLocation"].contains("region"));
  // Spaces are percent-encoded.
  EXPECT_EQ(results[4]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "services/api%20gateway/Dockerfile");
  // endColumn 0 is omitted.
  EXPECT_FALSE(results[5]["locations"][0]["physicalLocation"]["region"].contains("endColumn"));
  EXPECT_EQ(results[2]["suppressions"][0]["kind"], "inSource");
  EXPECT_EQ(results[6]["suppressions"][0]["kind"], "external");
  EXPECT_EQ(results[6]["suppressions"][0]["justification"], "migrating to distroless");
  EXPECT_FALSE(results[0].contains("suppressions"));
  const json& notification = run["invocations"][0]["toolExecutionNotifications"][0];
  EXPECT_EQ(notification["level"], "note");
  EXPECT_EQ(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "assets/big.bin");
  EXPECT_EQ(run["properties"]["constitution"]["version"], "2.1.0");
}

TEST(ReportSarif, ANoteAboutAPlaceInAFileHasARegion) {
  Fixture fx;
  fx.result.notes = {{"docs/constitution.md:45", "malformed version '1.0'"},
                     {"values.yaml:4:7", "invalid UTF-8"},
                     {"weird:name.txt", "binary content: not checked"}};
  const json doc = json::parse(render_sarif(fx.report));
  const json& notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 3U);
  EXPECT_EQ(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "docs/constitution.md");
  EXPECT_EQ(notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 45);
  EXPECT_EQ(notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "values.yaml");
  EXPECT_EQ(notes[1]["locations"][0]["physicalLocation"]["region"]["startColumn"], 7);
  EXPECT_EQ(notes[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "weird%3Aname.txt");
  EXPECT_FALSE(notes[2]["locations"][0]["physicalLocation"].contains("region"));
}

TEST(ReportSarif, RelativeRootHasNoBaseUri) {
  Fixture fx;
  fx.report.root = ".";
  const json doc = json::parse(render_sarif(fx.report));
  EXPECT_FALSE(doc["runs"][0].contains("originalUriBaseIds"));
}

TEST(ReportJunit, SuitesCasesAndEscaping) {
  const Fixture fx;
  const std::string xml = render_junit(fx.report);
  EXPECT_NE(xml.find("<testsuites name=\"constable\" tests=\"8\" failures=\"5\" errors=\"0\" skipped=\"2\">"),
            std::string::npos)
      << xml;
  // A rule without findings passes.
  EXPECT_NE(xml.find("<testcase classname=\"constable\" name=\"constable/expired-waiver\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"vendor image &lt;legacy&gt; &amp; &apos;temporary&apos;\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"services/api gateway/Dockerfile:3 docker/pinned-base-image\""), std::string::npos);
  EXPECT_NE(xml.find("type=\"high\""), std::string::npos);
  EXPECT_NE(xml.find("Due: 2026-03-08"), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos) << "control characters are illegal in XML 1.0";
  EXPECT_EQ(xml.find("\xff"), std::string::npos);
  EXPECT_EQ(count(xml, "<failure "), 5U);
}

TEST(ReportMarkdown, TablesAndEscaping) {
  const Fixture fx;
  const std::string md = render_markdown(fx.report);
  EXPECT_NE(md.find("| Critical | 2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| high | `Dockerfile:1` | `docker/pinned-base-image` | "
                    "`standards/docker/base-images-must-be-pinned` | "
                    "Base image python:3.12-slim is not pinned by digest | 2026-03-08 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("uses \\<latest\\> \\& a \\| pipe, \\*stars\\* and \\`ticks\\`"), std::string::npos) << md;
  EXPECT_NE(md.find("### Notes\n\n- `assets/big.bin`: skipped: larger than max\\_file\\_size (10 MiB)\n"),
            std::string::npos)
      << md;
  // Each table row has exactly the right number of unescaped pipes.
  for (const auto line : text::split_lines(md)) {
    if (line.starts_with("| high") || line.starts_with("| critical") || line.starts_with("| low")) {
      std::size_t pipes = 0;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
      }
      EXPECT_EQ(pipes, 7U) << line;
    }
  }
}

TEST(ReportMarkdown, NoViolations) {
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  const std::string md = render_markdown(fx.report);
  EXPECT_NE(md.find("No violations found."), std::string::npos);
  EXPECT_EQ(md.find("### Findings"), std::string::npos);
}

TEST(ReportSecrets, RenderersNeverReadTheSources) {
  // The engine redacted the secret; the file on disk still holds it. No
  // renderer may print anything but what the Report holds.
  const constable::testing::TempDir dir;
  const std::string secret = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
  dir.write("Dockerfile", "FROM python:3.12-slim\nENV TOKEN=" + secret + "\nUSER root\n");
  dir.write("services/api gateway/Dockerfile", "FROM x\nENV TOKEN=" + secret + "\n");
  Fixture fx;
  fx.report.root = dir.path().string();
  for (Format format : kAllFormats) {
    for (bool stats : {false, true}) {
      const std::string out = render(fx.report, format, {.colour = true, .stats = stats});
      EXPECT_EQ(out.find(secret), std::string::npos) << static_cast<int>(format);
      EXPECT_EQ(out.find("ghp_0123"), std::string::npos) << static_cast<int>(format);
      if (format != Format::markdown) {
        EXPECT_NE(out.find(testing::kRedactedToken), std::string::npos) << static_cast<int>(format);
      }
    }
  }
}

TEST(ReportSecrets, OutputIsAlwaysValidUtf8) {
  Fixture fx;
  fx.result.findings[0].path = "bad\xc3(path";
  fx.result.findings[0].message = "msg \xed\xa0\x80 surrogate";
  fx.result.notes[0].message = "\xff";
  for (Format format : kAllFormats) {
    const std::string out = render(fx.report, format, {.colour = true, .stats = true});
    EXPECT_EQ(text::first_invalid_utf8(out), std::nullopt) << static_cast<int>(format);
  }
}

TEST(ReportCommon, Helpers) {
  EXPECT_EQ(detail::pascal_case("docker/non-root-user"), "NonRootUser");
  EXPECT_EQ(detail::pascal_case("k8s/resource_limits"), "ResourceLimits");
  EXPECT_EQ(detail::percent_encode_path("a b/c#d%é"), "a%20b/c%23d%25%C3%A9");
  EXPECT_EQ(detail::file_uri_for_root("/a b"), "file:///a%20b/");
  EXPECT_EQ(detail::file_uri_for_root("/a/"), "file:///a/");
  EXPECT_EQ(detail::file_uri_for_root("rel"), "");
  EXPECT_EQ(detail::xml_escape("a<b>&\"'\x01\t\n", true), "a&lt;b&gt;&amp;&quot;&apos;&#9;&#10;");
  EXPECT_EQ(detail::xml_escape("x\x1f\ty\n", false), "x\ty\n");
  EXPECT_EQ(detail::xml_escape("\xEF\xBF\xBF!", false), "!");
  EXPECT_EQ(detail::markdown_escape("a|b\nc*d"), "a\\|b<br>c\\*d");
  EXPECT_EQ(detail::markdown_code("a|b"), "`a\\|b`");
  EXPECT_EQ(detail::markdown_code("a`b"), "``a`b``");
  EXPECT_EQ(detail::markdown_code("`x"), "`` `x ``");
  EXPECT_EQ(detail::format_micros(999), "999 µs");
  EXPECT_EQ(detail::format_micros(1234), "1.2 ms");
}

}  // namespace
}  // namespace constable::report

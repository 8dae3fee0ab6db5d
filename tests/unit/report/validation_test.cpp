// Outputs validated by external parsers: SARIF and JSON against their JSON
// Schemas, JUnit by an XML parser.

#include <gtest/gtest.h>

#include "unit/report/report_fixture.hpp"

namespace constable::report {
namespace {

namespace ct = constable::testing;
using testing::Fixture;

constexpr const char* kPython = "/usr/bin/python3";

// Validates `document` against `schema`, with the validator the schema's
// $schema names (draft-04 for SARIF, 2020-12 for ours) unless `force_2020`.
void expect_valid(const std::filesystem::path& schema, const std::string& document, bool force_2020) {
  const ct::TempDir dir;
  const auto file = dir.write("document.json", document);
  const std::string script = std::string(R"PY(
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
if sys.argv[3] == "2020":
    cls = jsonschema.Draft202012Validator
else:
    cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors:
    print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
sys.exit(1 if errors else 0)
)PY");
  const auto result =
      ct::run_command({kPython, "-c", script, schema.string(), file.string(), force_2020 ? "2020" : "auto"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

std::filesystem::path report_schema() {
  return ct::source_dir() / "docs" / "schema" / "constable-report.schema.json";
}

TEST(ReportSchema, SarifValidatesAgainstTheOfficialSchema) {
  const auto schema = ct::shared_file("data/sarif-schema-2.1.0.json");
  if (!schema) GTEST_SKIP() << "../shared/data/sarif-schema-2.1.0.json not present";
  const Fixture fx;
  expect_valid(*schema, render(fx.report, Format::sarif, {}), false);
}

TEST(ReportSchema, EmptySarifValidates) {
  const auto schema = ct::shared_file("data/sarif-schema-2.1.0.json");
  if (!schema) GTEST_SKIP() << "../shared/data/sarif-schema-2.1.0.json not present";
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  fx.report.root = "relative/dir";  // no originalUriBaseIds
  fx.report.tool_version = "";
  expect_valid(*schema, render(fx.report, Format::sarif, {}), false);
}

TEST(ReportSchema, CutSarifWithRepositoryFindingsValidates) {
  // Past --max-results, with a run-level notification, and findings about
  // the repository pointing at the constitution.
  const auto schema = ct::shared_file("data/sarif-schema-2.1.0.json");
  if (!schema) GTEST_SKIP() << "../shared/data/sarif-schema-2.1.0.json not present";
  Fixture fx;
  fx.report.constitution_in_root = fx.report.constitution_path;
  for (const char* path : {".", "docs/", ".git"}) {
    fx.result.findings.push_back(Fixture::make(fx.readme, fx.readme_clause, Severity::low, path,
                                               SourceRange::whole_file(), "missing", "", "0011223344556677"));
  }
  const std::string sarif = render(fx.report, Format::sarif, {.sarif_max_results = 4});
  ASSERT_NE(sarif.find("constable/results-truncated"), std::string::npos);
  expect_valid(*schema, sarif, false);
}

TEST(ReportSchema, JsonValidatesAgainstOurSchema) {
  const Fixture fx;
  expect_valid(report_schema(), render(fx.report, Format::json, {}), true);
}

TEST(ReportSchema, JsonWithStatsValidates) {
  const Fixture fx;
  const std::string json = render(fx.report, Format::json, {.colour = false, .stats = true});
  EXPECT_NE(json.find("\"times_us\""), std::string::npos);
  EXPECT_NE(json.find("\"check_charts\": 1700000"), std::string::npos) << json;
  expect_valid(report_schema(), json, true);
}

TEST(ReportSchema, EmptyJsonValidates) {
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  fx.report.fail_on_none = true;
  fx.report.rules.clear();
  expect_valid(report_schema(), render(fx.report, Format::json, {}), true);
}

TEST(ReportSchema, SchemaRejectsAMalformedDocument) {
  // The validation above can fail: a document missing "findings" is rejected.
  const ct::TempDir dir;
  const auto file = dir.write("bad.json", R"({"version": 1})");
  const auto result = ct::run_command(
      {kPython, "-c",
       "import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))"
       ".validate(json.load(open(sys.argv[2])))",
       report_schema().string(), file.string()});
  EXPECT_NE(result.exit_code, 0);
}

TEST(ReportSchema, JunitParsesAsXml) {
  const Fixture fx;
  const ct::TempDir dir;
  const auto file = dir.write("junit.xml", render(fx.report, Format::junit, {}));
  const auto result = ct::run_command(
      {kPython, "-c",
       "import sys, xml.dom.minidom as m\n"
       "d = m.parse(sys.argv[1])\n"
       "root = d.documentElement\n"
       "assert root.tagName == 'testsuites', root.tagName\n"
       "cases = d.getElementsByTagName('testcase')\n"
       "assert int(root.getAttribute('tests')) == len(cases), (root.getAttribute('tests'), len(cases))\n"
       "assert int(root.getAttribute('failures')) == len(d.getElementsByTagName('failure'))\n"
       "assert int(root.getAttribute('skipped')) == len(d.getElementsByTagName('skipped'))\n"
       "print(len(cases))\n",
       file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace constable::report

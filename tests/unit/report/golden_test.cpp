// Every format against a golden file in tests/golden/report/.

#include <gtest/gtest.h>

#include "unit/report/report_fixture.hpp"

namespace constable::report {
namespace {

using testing::expect_golden;
using testing::Fixture;

TEST(ReportGolden, Text) {
  const Fixture fx;
  expect_golden("text.txt", render(fx.report, Format::text, {.colour = false, .stats = false}));
}

TEST(ReportGolden, TextColour) {
  const Fixture fx;
  expect_golden("text-colour.txt", render(fx.report, Format::text, {.colour = true, .stats = false}));
}

TEST(ReportGolden, Json) {
  const Fixture fx;
  expect_golden("report.json", render(fx.report, Format::json, {}));
}

TEST(ReportGolden, Sarif) {
  const Fixture fx;
  expect_golden("report.sarif", render(fx.report, Format::sarif, {}));
}

TEST(ReportGolden, Junit) {
  const Fixture fx;
  expect_golden("report.junit.xml", render(fx.report, Format::junit, {}));
}

TEST(ReportGolden, Markdown) {
  const Fixture fx;
  expect_golden("report.md", render(fx.report, Format::markdown, {}));
}

TEST(ReportGolden, Github) {
  const Fixture fx;
  expect_golden("report.github.txt", render(fx.report, Format::github, {}));
}

TEST(ReportGolden, Gitlab) {
  const Fixture fx;
  expect_golden("report.gitlab.json", render(fx.report, Format::gitlab, {}));
}

TEST(ReportGolden, Html) {
  const Fixture fx;
  expect_golden("report.html", render(fx.report, Format::html, {}));
}

// Findings about the repository as a whole, where formats that need a file
// point them: at their clause's line in the constitution.
TEST(ReportGolden, RepositoryFindings) {
  Fixture fx;
  fx.report.constitution_in_root = fx.report.constitution_path;
  fx.result.findings = {Fixture::make(fx.readme, fx.readme_clause, Severity::low, ".", SourceRange::whole_file(),
                                      "the repository has no threat model", "", "feedfacecafebeef"),
                        Fixture::make(fx.readme, fx.readme_clause, Severity::low, "services/", SourceRange::whole_file(),
                                      "services/ has no README", "", "0badc0dedeadbeef")};
  expect_golden("repository.sarif", render(fx.report, Format::sarif, {}));
  expect_golden("repository.github.txt", render(fx.report, Format::github, {}));
  expect_golden("repository.gitlab.json", render(fx.report, Format::gitlab, {}));
}

TEST(ReportGolden, EmptyReportSaysNoViolations) {
  engine::RunResult empty;
  Fixture fx;
  fx.report.result = &empty;
  expect_golden("empty.txt", render(fx.report, Format::text, {}));
  expect_golden("empty.md", render(fx.report, Format::markdown, {}));
}

TEST(ReportGolden, EmptyReportPlatformFormats) {
  engine::RunResult empty;
  Fixture fx;
  fx.report.result = &empty;
  expect_golden("empty.github.txt", render(fx.report, Format::github, {}));
  expect_golden("empty.html", render(fx.report, Format::html, {}));
}

TEST(ReportGolden, RenderingIsDeterministic) {
  const Fixture a;
  const Fixture b;
  for (Format format : {Format::text, Format::json, Format::sarif, Format::junit, Format::markdown, Format::github,
                        Format::gitlab, Format::html}) {
    EXPECT_EQ(render(a.report, format, {}), render(b.report, format, {}));
  }
}

}  // namespace
}  // namespace constable::report

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

TEST(ReportGolden, EmptyReportSaysNoViolations) {
  engine::RunResult empty;
  Fixture fx;
  fx.report.result = &empty;
  expect_golden("empty.txt", render(fx.report, Format::text, {}));
  expect_golden("empty.md", render(fx.report, Format::markdown, {}));
}

TEST(ReportGolden, RenderingIsDeterministic) {
  const Fixture a;
  const Fixture b;
  for (Format format : {Format::text, Format::json, Format::sarif, Format::junit, Format::markdown}) {
    EXPECT_EQ(render(a.report, format, {}), render(b.report, format, {}));
  }
}

}  // namespace
}  // namespace constable::report

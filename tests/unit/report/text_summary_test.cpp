// The text report as a person triages it: the summary block (totals, checks,
// the most severe findings, how much was checked) first or last, findings by
// severity, --quiet, --min-severity's hidden findings, and the note for a
// constitution constable enforces little of.

#include <gtest/gtest.h>

#include "report/common.hpp"
#include "unit/report/report_fixture.hpp"

namespace constable::report {
namespace {

using testing::Fixture;

TEST(TextSummary, TotalsChecksAndMostSevereComeLastByDefault) {
  Fixture fx;
  fx.report.coverage = {.known = true, .clauses = 40, .enforced = 12, .attested = 3};
  const std::string out = render_text(fx.report, {});
  const auto summary = out.find("Summary\n");
  ASSERT_NE(summary, std::string::npos) << out;
  EXPECT_LT(out.find("services/api gateway/Dockerfile\n"), summary);  // findings first
  EXPECT_NE(out.find("  Totals:      2 critical, 2 high, 0 medium, 1 low; 2 suppressed\n"), std::string::npos) << out;
  // The table: most severe first, then the most findings.
  EXPECT_NE(out.find("  By check:\n"
                     "        2  critical  docker/non-root-user\n"
                     "        2  high      docker/pinned-base-image\n"
                     "        1  low       docs/readme-ownership\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  Most severe:\n    critical  Dockerfile:7:1  docker/non-root-user  The container runs as root\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  Checked:     12 of 40 clauses enforced (3 more attested), 3 files checked.\n"),
            std::string::npos)
      << out;
  EXPECT_TRUE(out.ends_with("5 violations (2 critical, 2 high, 0 medium, 1 low), 2 suppressed; "
                            "4 at or above the fail-on threshold (high).\n"))
      << out;
}

TEST(TextSummary, CanComeFirst) {
  Fixture fx;
  const std::string out = render_text(fx.report, {.summary_first = true});
  ASSERT_TRUE(out.starts_with("Summary\n")) << out;
  EXPECT_LT(out.find("at or above the fail-on threshold (high).\n"), out.find("Dockerfile\n  1:6"));
  EXPECT_NE(out.find("note: assets/big.bin"), std::string::npos);
}

TEST(TextSummary, SortsBySeverity) {
  Fixture fx;
  const std::string out = render_text(fx.report, {.sort = SortOrder::severity});
  const auto critical = out.find("CRITICAL (2)\n");
  const auto high = out.find("HIGH (2)\n");
  const auto low = out.find("LOW (1)\n");
  ASSERT_NE(critical, std::string::npos) << out;
  ASSERT_NE(high, std::string::npos) << out;
  ASSERT_NE(low, std::string::npos) << out;
  EXPECT_LT(critical, high);
  EXPECT_LT(high, low);
  // Within a severity, files keep report order; every group names its file.
  EXPECT_LT(out.find("Dockerfile\n  7:1  critical"), out.find("services/api gateway/Dockerfile\n  9:5  critical"));
  EXPECT_LT(high, out.find("Dockerfile\n  1:6  high"));
}

TEST(TextSummary, QuietIsOneLineWithTheFigures) {
  Fixture fx;
  fx.report.coverage = {.known = true, .clauses = 40, .enforced = 12, .attested = 0};
  EXPECT_EQ(render_text(fx.report, {.quiet = true}),
            "5 violations (2 critical, 2 high, 0 medium, 1 low), 2 suppressed; 4 at or above the fail-on threshold "
            "(high). 12 of 40 clauses enforced, 3 files checked.\n");
}

TEST(TextSummary, HiddenFindingsAreCountedAndStillFail) {
  Fixture fx;
  fx.report.hidden = {.below = Severity::high, .findings = 3, .failing = 1};
  const std::string out = render_text(fx.report, {.quiet = true});
  EXPECT_EQ(out,
            "5 violations (2 critical, 2 high, 0 medium, 1 low), 2 suppressed, 3 below high not shown; 5 at or above "
            "the fail-on threshold (high).\n");

  const engine::RunResult empty;
  fx.report.result = &empty;
  EXPECT_EQ(render_text(fx.report, {.quiet = true}),
            "No violations at or above high in /srv/repos/demo app against .specify/memory/constitution.md v2.1.0 "
            "(3 below high not shown, 0 suppressed); 1 at or above the fail-on threshold (high).\n");
}

TEST(TextSummary, LowCoverageSaysSoInsteadOfABareNoViolations) {
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  fx.report.coverage = {.known = true, .clauses = 40, .enforced = 3, .attested = 0};
  const std::string out = render_text(fx.report, {});
  EXPECT_NE(out.find("Checked:     3 of 40 clauses enforced, 0 files checked.\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Note:        Only 3 of 40 clauses (7%) are enforced"), std::string::npos) << out;
  EXPECT_NE(out.find("No violations found in /srv/repos/demo app against .specify/memory/constitution.md v2.1.0, "
                     "which constable enforces little of (3 of 40 clauses).\n"),
            std::string::npos)
      << out;

  fx.report.coverage.enforced = 4;  // 10%: enough to say nothing more
  const std::string enough = render_text(fx.report, {});
  EXPECT_EQ(enough.find("Note:"), std::string::npos) << enough;
  EXPECT_NE(enough.find("No violations found in /srv/repos/demo app against .specify/memory/constitution.md v2.1.0.\n"),
            std::string::npos)
      << enough;
}

TEST(TextSummary, AConstitutionWithoutClausesProvesNothing) {
  Fixture fx;
  const engine::RunResult empty;
  fx.report.result = &empty;
  fx.report.coverage = {.known = true, .clauses = 0, .enforced = 0, .attested = 0};
  EXPECT_NE(render_text(fx.report, {}).find("no clause constable recognises"), std::string::npos);
}

TEST(TextSummary, SummaryFiguresAreSharedByEveryFormat) {
  Fixture fx;
  fx.report.coverage = {.known = true, .clauses = 20, .enforced = 1, .attested = 0};
  fx.report.hidden = {.below = Severity::medium, .findings = 2, .failing = 2};
  const detail::Summary summary = detail::summarize(fx.report);
  EXPECT_EQ(summary.clauses, 20u);
  EXPECT_EQ(summary.clauses_enforced, 1u);
  EXPECT_EQ(summary.files_checked, 3u);
  EXPECT_EQ(summary.hidden, 2u);
  EXPECT_EQ(summary.failing, 6u);  // 4 shown at or above high, 2 hidden
  EXPECT_TRUE(summary.low_coverage);
  EXPECT_EQ(detail::checked_sentence(summary), "1 of 20 clauses enforced, 3 files checked");
  const auto counts = detail::counts_by_check(fx.report);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].check_id, "docker/non-root-user");
  EXPECT_EQ(counts[0].count, 2u);
  EXPECT_EQ(counts[0].severity, Severity::critical);
}

TEST(TextSummary, TerminalSafeShowsControlCharactersAsQuestionMarks) {
  EXPECT_EQ(detail::terminal_safe("a\x1b[31mb\tc\x7f\xc2\x9b"), "a?[31mb\tc??");
}

}  // namespace
}  // namespace constable::report

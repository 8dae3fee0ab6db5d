// A deprecation warning (a finding of a clause in its transition period) in
// every format: shown with "warning until", counted apart from violations,
// never failing a run.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/report.hpp"
#include "unit/report/report_fixture.hpp"

namespace constable::report {
namespace {

using nlohmann::json;

constexpr std::string_view kReason =
    "clause added in 2.1.0; the 6-month transition period counts from Last Amended 2025-12-01";
constexpr std::string_view kWhen =
    "warning until 2026-06-01 (clause added in 2.1.0; the 6-month transition period counts from Last Amended "
    "2025-12-01), then due 2026-06-15";

// The fixture with its README finding (low) in transition.
struct InTransition : testing::Fixture {
  InTransition() {
    for (auto& f : result.findings) {
      if (f.check_id != "docs/readme-ownership") continue;
      f.transition = engine::TransitionNotice{Date{2026, 6, 1}, std::string(kReason)};
      f.due = Date{2026, 6, 15};
    }
  }
};

bool has(const std::string& out, std::string_view needle) { return out.find(needle) != std::string::npos; }

TEST(TransitionRendering, TextShowsTheDateAndCountsWarningsApart) {
  const InTransition fx;
  const std::string out = render_text(fx.report, {});
  EXPECT_TRUE(has(out, std::string("      ") + std::string(kWhen) + "\n")) << out;
  EXPECT_TRUE(has(out, "4 violations (2 critical, 2 high, 0 medium, 0 low), 2 suppressed; 1 deprecation warning "
                       "(clauses in their transition period); 4 at or above the fail-on threshold (high)."))
      << out;
  EXPECT_FALSE(has(out, "        1  low       docs/readme-ownership")) << out;  // not among the violations by check
}

TEST(TransitionRendering, JsonAndSarifCarryTheTransition) {
  const InTransition fx;
  const json doc = json::parse(render_json(fx.report, {}));
  EXPECT_EQ(doc["summary"]["total"], 4);
  EXPECT_EQ(doc["summary"]["in_transition"], 1);
  EXPECT_EQ(doc["summary"]["by_severity"]["low"], 0);
  bool seen = false;
  for (const auto& f : doc["findings"]) {
    if (f["check"] != "docs/readme-ownership") {
      EXPECT_FALSE(f.contains("transition")) << f;
      continue;
    }
    seen = true;
    EXPECT_EQ(f["transition"]["until"], "2026-06-01");
    EXPECT_EQ(f["transition"]["reason"], kReason);
    EXPECT_EQ(f["due"], "2026-06-15");
  }
  EXPECT_TRUE(seen);
  const json sarif = json::parse(render_sarif(fx.report));
  for (const auto& r : sarif["runs"][0]["results"]) {
    if (r["ruleId"] != "docs/readme-ownership") continue;
    EXPECT_EQ(r["level"], "warning");  // a low finding is a "note"; a deprecation warning is a warning
    EXPECT_EQ(r["properties"]["transition"]["until"], "2026-06-01");
    EXPECT_TRUE(has(r["message"]["text"].get<std::string>(), kWhen)) << r;
  }
}

TEST(TransitionRendering, CiFormatsWarnAndNeverFail) {
  const InTransition fx;
  const std::string github = render_github(fx.report);
  EXPECT_TRUE(has(github, "::warning file=README.md,title=docs/readme-ownership (low)::")) << github;
  EXPECT_TRUE(has(github, std::string("%0A") + std::string(kWhen))) << github;
  const json gitlab = json::parse(render_gitlab(fx.report));
  bool seen = false;
  for (const auto& issue : gitlab) {
    if (issue["check_name"] != "docs/readme-ownership") continue;
    seen = true;
    EXPECT_EQ(issue["severity"], "info");
  }
  EXPECT_TRUE(seen);
  const std::string junit = render_junit(fx.report);
  EXPECT_TRUE(has(junit, std::string("<skipped message=\"deprecation ") + std::string(kWhen) + "\"/>")) << junit;
  EXPECT_TRUE(has(junit, "failures=\"4\"")) << junit;
  const std::string markdown = render_markdown(fx.report);
  EXPECT_TRUE(has(markdown, "⏳ 1 deprecation warning (clauses in their transition period)")) << markdown;
  EXPECT_TRUE(has(markdown, std::string("| ") + std::string(kWhen) + " |")) << markdown;
  const std::string html = render_html(fx.report);
  EXPECT_TRUE(has(html, std::string("<p class=\"due\">") + std::string(kWhen) + "</p>")) << html;
  EXPECT_TRUE(has(html, "<tr><td>Deprecation warnings (in transition)</td><td class=\"number\">1</td></tr>")) << html;
}

}  // namespace
}  // namespace constable::report

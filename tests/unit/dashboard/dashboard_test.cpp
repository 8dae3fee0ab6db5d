// The audit dashboard's pages and JSON from a real SQLite store: the figures
// on each page are the report's, every link resolves to a page of the site,
// and text from the store (a repository named like markup) stays text.

#include "dashboard/dashboard.hpp"

#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/store.hpp"
#include "support/test_support.hpp"

namespace constable::dashboard {
namespace {

namespace ct = constable::testing;

const std::string kEvil = "<script>alert(1)</script>";
constexpr std::string_view kRootClause = "docker-standards/non-root-user";
constexpr std::string_view kProbeClause = "kubernetes/probes";
const Date kToday = *Date::parse("2026-11-22");

store::Run run_on(std::string_view date) {
  store::Run run;
  run.started_at = std::string(date) + "T02:00:00Z";
  run.run_date = *Date::parse(date);
  run.constitution_path = "CONSTITUTION.md";
  run.constitution_version = "2.0.0";
  run.constitution_sha256 = std::string(64, 'a');
  run.constable_version = "test";
  return run;
}

store::Violation violation(std::string_view repository, std::string_view clause, Severity severity,
                           std::string_view fingerprint, std::int64_t run, std::string_view first_seen,
                           std::string_view due, std::string message = "final stage runs as root") {
  store::Violation v;
  v.repository = std::string(repository);
  v.check_id = clause == kRootClause ? "docker/non-root-user" : "kubernetes/probes";
  v.clause_id = std::string(clause);
  v.fingerprint = std::string(fingerprint);
  v.severity = severity;
  v.path = "services/api/Dockerfile";
  v.line = 7;
  v.message = std::move(message);
  v.first_seen_run = run;
  v.first_seen = *Date::parse(first_seen);
  v.last_seen_run = run;
  v.due = *Date::parse(due);
  return v;
}

store::RepositoryRun audited(std::int64_t run, std::string_view name, std::string_view team) {
  store::RepositoryRun r;
  r.run = run;
  r.repository = std::string(name);
  r.team = std::string(team);
  r.source = "https://git.example.com/acme/" + std::string(name) + ".git";
  r.commit = "0123456789abcdef0123456789abcdef01234567";
  r.clauses = 40;
  r.clauses_enforced = 30;
  r.clauses_attested = 2;
  return r;
}

// Two runs into a real store:
//   run 1 (2026-11-01): payments breaks the root clause (critical) and the
//     probe clause (high); the markup-named repository breaks the root clause.
//   run 2 (2026-11-10): payments fixes its probe violation and breaks the
//     root clause a second time (medium, seen first in run 2).
class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store((dir_.path() / "audit.db").string());
    ASSERT_TRUE(opened) << opened.error().to_string();
    auto& store = **opened;
    const auto first = store.begin_run(run_on("2026-11-01"));
    ASSERT_TRUE(first);
    ASSERT_TRUE(store.record(audited(*first, "payments", "pay"),
                             {violation("payments", kRootClause, Severity::critical, "f1", *first, "2026-11-01",
                                        "2026-11-02"),
                              violation("payments", kProbeClause, Severity::high, "f2", *first, "2026-11-01",
                                        "2026-11-08")}));
    ASSERT_TRUE(store.record(audited(*first, kEvil, ""),
                             {violation(kEvil, kRootClause, Severity::critical, "f3", *first, "2026-11-01",
                                        "2026-11-02", "image " + kEvil + " runs as root")}));
    ASSERT_TRUE(store.finish_run(*first));
    const auto second = store.begin_run(run_on("2026-11-10"));
    ASSERT_TRUE(second);
    auto known = store.violations_of("payments");
    ASSERT_TRUE(known);
    std::vector<store::Violation> changed;
    for (auto v : *known) {
      v.last_seen_run = *second;
      if (v.fingerprint == "f2") {
        v.status = store::Status::fixed;
        v.fixed_run = *second;
        v.fixed_on = *Date::parse("2026-11-10");
      }
      changed.push_back(v);
    }
    changed.push_back(
        violation("payments", kRootClause, Severity::medium, "f4", *second, "2026-11-10", "2026-12-10"));
    ASSERT_TRUE(store.record(audited(*second, "payments", "pay"), changed));
    auto evil = store.violations_of(kEvil);
    ASSERT_TRUE(evil);
    for (auto& v : *evil) v.last_seen_run = *second;
    ASSERT_TRUE(store.record(audited(*second, kEvil, ""), *evil));
    ASSERT_TRUE(store.finish_run(*second));
    auto report = audit::build_report(store, kToday);
    ASSERT_TRUE(report) << report.error().to_string();
    report_ = std::move(*report);
  }

  const audit::RepositoryStatus& repository(std::string_view name) const {
    for (const auto& r : report_.repositories)
      if (r.name == name) return r;
    throw std::runtime_error("no repository");
  }

  ct::TempDir dir_;
  audit::AuditReport report_;
};

// data-metric="NAME">VALUE of the page, outside table rows, in order.
std::map<std::string, std::string> page_metrics(const std::string& html) {
  std::map<std::string, std::string> out;
  static const std::regex metric(R"re(<(span|div)[^>]* data-metric="([a-z_]+)">([^<]*)<)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), metric); it != std::sregex_iterator(); ++it)
    out.emplace((*it)[2].str(), (*it)[3].str());
  return out;
}

// The cells of the row data-row="ROW": metric -> value.
std::map<std::string, std::string> row_metrics(const std::string& html, std::string_view row) {
  std::map<std::string, std::string> out;
  const auto start = html.find(fmt::format("data-row=\"{}\"", row));
  if (start == std::string::npos) return out;
  const auto end = html.find("</tr>", start);
  const std::string cells = html.substr(start, end - start);
  static const std::regex metric(R"re(data-metric="([a-z_]+)">([^<]*)<)re");
  for (auto it = std::sregex_iterator(cells.begin(), cells.end(), metric); it != std::sregex_iterator(); ++it)
    out.emplace((*it)[1].str(), (*it)[2].str());
  return out;
}

TEST_F(DashboardTest, TheModelFollowsClausesAndTheFleetAcrossRuns) {
  // The trend: 3 open after run 1; after run 2 the probe is fixed and f4 is new.
  ASSERT_EQ(report_.fleet_trend.size(), 2u);
  EXPECT_EQ(report_.fleet_trend[0].open, 3u);
  EXPECT_EQ(report_.fleet_trend[0].open_by_severity[static_cast<std::size_t>(Severity::critical)], 2u);
  EXPECT_EQ(report_.fleet_trend[0].overdue, 0u) << "nothing was due before 2026-11-01";
  EXPECT_EQ(report_.fleet_trend[1].open, 3u);
  EXPECT_EQ(report_.fleet_trend[1].open_by_severity[static_cast<std::size_t>(Severity::high)], 0u);
  EXPECT_EQ(report_.fleet_trend[1].overdue, 2u) << "both critical ones were due on 2026-11-02";

  // Only the root clause is broken now: by both repositories, since run 1.
  ASSERT_EQ(report_.clauses.size(), 1u);
  const audit::ClauseStatus& clause = report_.clauses.front();
  EXPECT_EQ(clause.clause, kRootClause);
  EXPECT_EQ(clause.severity, Severity::critical);
  EXPECT_EQ(clause.open, 3u);
  EXPECT_EQ(clause.overdue, 2u);
  ASSERT_EQ(clause.repositories.size(), 2u);
  for (const auto& breach : clause.repositories) {
    EXPECT_EQ(breach.since, *Date::parse("2026-11-01")) << breach.repository;
    EXPECT_EQ(breach.since_run, 1);
  }
  EXPECT_EQ(repository("payments").violations.size(), 2u);
  EXPECT_EQ(repository("payments").fixed_since_last, 1u);
}

TEST_F(DashboardTest, TheOverviewShowsTheReportsFigures) {
  const std::string html = render_page(report_, {PageKind::overview, {}});
  const auto metrics = page_metrics(html);
  std::size_t open = 0, overdue = 0, fixed = 0;
  for (const auto& r : report_.repositories) {
    open += r.open;
    overdue += r.overdue;
    fixed += r.fixed_since_last;
  }
  EXPECT_EQ(metrics.at("repositories"), std::to_string(report_.repositories.size()));
  EXPECT_EQ(metrics.at("open"), std::to_string(open));
  EXPECT_EQ(metrics.at("overdue"), std::to_string(overdue));
  EXPECT_EQ(metrics.at("fixed"), std::to_string(fixed));
  EXPECT_EQ(metrics.at("run"), "2");
  EXPECT_EQ(row_metrics(html, "severity:critical").at("open"), "2");
  EXPECT_EQ(row_metrics(html, "severity:critical").at("overdue"), "2");
  EXPECT_EQ(row_metrics(html, "severity:medium").at("open"), "1");
  EXPECT_EQ(row_metrics(html, "repository:payments").at("open"), std::to_string(repository("payments").open));
  EXPECT_EQ(row_metrics(html, "team:pay").at("repositories"), "1");
  EXPECT_EQ(row_metrics(html, "remediation:high").at("fixed"), "1");
  // The charts are inline SVG: one bar per severity and run, an overdue line.
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(html.find("<polyline points="), std::string::npos);
  EXPECT_NE(html.find("run 2 on 2026-11-10: 3 open (2 critical, 0 high, 1 medium, 0 low), 2 overdue"),
            std::string::npos);

  const auto json = page_json(report_, {PageKind::overview, {}});
  EXPECT_EQ(json["totals"]["open"], open);
  EXPECT_EQ(json["totals"]["overdue"], overdue);
  EXPECT_EQ(json["trend"][1]["overdue"], 2);
  EXPECT_EQ(json["page"], "index.html");
}

TEST_F(DashboardTest, RepositoryAndClausePagesGroupByClauseWithFileAndLine) {
  const std::string html = render_page(report_, {PageKind::repository, "payments"});
  EXPECT_EQ(page_metrics(html).at("open"), "2");
  EXPECT_EQ(page_metrics(html).at("coverage"), "32/40");
  EXPECT_NE(html.find("data-row=\"clause:docker-standards/non-root-user\""), std::string::npos);
  EXPECT_EQ(html.find("data-row=\"clause:kubernetes/probes\""), std::string::npos) << "fixed: not listed";
  // file:line, linked at the audited commit.
  EXPECT_NE(html.find("<a href=\"https://git.example.com/acme/payments/blob/"
                      "0123456789abcdef0123456789abcdef01234567/services/api/Dockerfile#L7\"><code>"
                      "services/<wbr>api/<wbr>Dockerfile:7</code></a>"),
            std::string::npos);
  EXPECT_NE(html.find("20 days late"), std::string::npos) << "due 2026-11-02, today 2026-11-22";

  const std::string clause = render_page(report_, {PageKind::clause, std::string(kRootClause)});
  EXPECT_EQ(page_metrics(clause).at("repositories"), "2");
  EXPECT_EQ(page_metrics(clause).at("open"), "3");
  EXPECT_EQ(row_metrics(clause, "repository:payments").at("since"), "2026-11-01");
  EXPECT_EQ(row_metrics(clause, "repository:payments").at("open"), "2");
  const auto json = page_json(report_, {PageKind::clause, std::string(kRootClause)});
  EXPECT_EQ(json["broken_by"].size(), 2u);
  EXPECT_EQ(json["broken_by"][0]["since"], "2026-11-01");

  const std::string overdue = render_page(report_, {PageKind::overdue, {}});
  EXPECT_EQ(page_metrics(overdue).at("overdue"), std::to_string(report_.overdue.size()));
  EXPECT_EQ(page_json(report_, {PageKind::overdue, {}})["items"].size(), report_.overdue.size());
}

TEST_F(DashboardTest, MarkupFromTheStoreStaysText) {
  const auto written = write_site(report_, dir_.path() / "site");
  ASSERT_TRUE(written) << written.error().to_string();
  EXPECT_EQ(*written, all_pages(report_).size());
  std::size_t pages_with_name = 0;
  for (const PageRef& page : all_pages(report_)) {
    const std::string html = ct::read_file(dir_.path() / "site" / page_path(page));
    EXPECT_EQ(html.find("<script"), std::string::npos) << page_path(page);
    EXPECT_EQ(html.find("alert(1)</"), std::string::npos) << page_path(page);
    if (html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos) ++pages_with_name;
    // Nothing loads from elsewhere: no src attribute at all, a policy that forbids it.
    EXPECT_EQ(html.find(" src="), std::string::npos) << page_path(page);
    EXPECT_NE(html.find("content=\"default-src 'none'; style-src 'sha256-"), std::string::npos) << page_path(page);
  }
  EXPECT_GE(pages_with_name, 4u) << "overview, overdue, coverage, its own page, its clause's";
  // Its page's file name has no markup or slash in it.
  const std::string file = page_path({PageKind::repository, kEvil});
  EXPECT_EQ(file, "repositories/~3cscript~3ealert~281~29~3c~2fscript~3e.html");
  EXPECT_TRUE(ct::read_file(dir_.path() / "site" / file).find("image &lt;script&gt;") != std::string::npos);
}

TEST_F(DashboardTest, EveryLinkResolvesToAPageOfTheSite) {
  ASSERT_TRUE(write_site(report_, dir_.path() / "site"));
  static const std::regex href(R"re(href="([^"]*)")re");
  std::size_t links = 0;
  for (const PageRef& page : all_pages(report_)) {
    const auto file = dir_.path() / "site" / page_path(page);
    const std::string html = ct::read_file(file);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1].str();
      if (target.starts_with("https://git.example.com/")) continue;  // the file:line links
      ++links;
      EXPECT_TRUE(std::filesystem::exists(file.parent_path() / target)) << page_path(page) << " -> " << target;
      EXPECT_TRUE(find_page(report_, std::filesystem::path(page_path(page)).parent_path().empty()
                                         ? target
                                         : target.substr(3)))
          << target;
    }
  }
  EXPECT_GT(links, 40u);
}

TEST(DashboardSlug, IsSafeStableAndUnique) {
  std::set<std::string> seen;
  const std::vector<std::string> names = {"payments", "acme/payments", "..", ".", "", "a b", "a~20b", "~none",
                                          std::string(300, 'x'), std::string(299, 'x') + "y", "é"};
  for (const auto& name : names) {
    const std::string s = slug(name);
    EXPECT_TRUE(seen.insert(s).second) << name << " -> " << s;
    EXPECT_EQ(s, slug(name));
    EXPECT_LE(s.size(), 120u);
    EXPECT_EQ(s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~"),
              std::string::npos)
        << s;
  }
  EXPECT_EQ(slug(""), "~none");
  EXPECT_EQ(slug("acme/payments"), "acme~2fpayments");
}

TEST(DashboardEmptyStore, SaysThereIsNoAuditYet) {
  const ct::TempDir dir;
  auto opened = store::open_store((dir.path() / "audit.db").string());
  ASSERT_TRUE(opened);
  auto report = audit::build_report(**opened, kToday);
  ASSERT_TRUE(report);
  EXPECT_NE(render_page(*report, {PageKind::overview, {}}).find("No audit recorded yet"), std::string::npos);
  EXPECT_TRUE(page_json(*report, {PageKind::overview, {}})["latest_run"].is_null());
  EXPECT_EQ(find_page(*report, "repositories/x.html"), std::nullopt);
}

}  // namespace
}  // namespace constable::dashboard

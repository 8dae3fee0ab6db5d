// `constable audit report --format html --output DIR`: the dashboard as
// static files, linked relatively, from a store filled by two real audits.

#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kConstitution =
    "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n- Non-root user MUST be specified\n"
    "- Multi-stage builds MUST be used for optimization\n";
constexpr std::string_view kRootImage = "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\n";
constexpr std::string_view kNonRootImage =
    "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\nUSER 10001\n";

TEST(AuditDashboard, WritesLinkedStaticPagesWithEveryFigureOfTheReport) {
  const TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  dir.write("fleet/payments/Dockerfile", kRootImage);
  dir.write("fleet/shop/Dockerfile", kNonRootImage);
  const auto fleet = dir.write("fleet.yaml",
                               "repositories:\n  - path: fleet/payments\n    team: pay\n"
                               "  - path: fleet/shop\n    name: \"shop<img src=x onerror=alert(1)>\"\n    team: web\n");
  const std::string store = (dir.path() / "audit.db").string();
  for (const auto& [day, image] : {std::pair{"2026-11-01", kRootImage}, std::pair{"2026-11-10", kNonRootImage}}) {
    dir.write("fleet/payments/Dockerfile", image);
    dir.write("fleet/shop/Dockerfile", image == kRootImage ? kNonRootImage : kRootImage);
    const auto r = constable({"audit", fleet.string(), "--constitution", constitution.string(), "--store", store,
                              "--today", day});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  const fs::path site = dir.path() / "site";
  const auto r = constable({"audit", "report", "--store", store, "--format", "html", "--output", site.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("dashboard pages written to " + site.string()), std::string::npos) << r.err;

  const auto json_report = constable({"audit", "report", "--store", store, "--format", "json"});
  const auto report = nlohmann::json::parse(json_report.out);
  const std::string index = read_file(site / "index.html");
  std::size_t open = 0;
  for (const auto& repository : report["repositories"]) open += repository["open"].get<std::size_t>();
  EXPECT_NE(index.find(fmt::format("class=\"figure\" data-metric=\"open\">{}<", open)), std::string::npos);
  EXPECT_NE(index.find(fmt::format("class=\"figure\" data-metric=\"overdue\">{}<", report["overdue"].size())), std::string::npos);
  EXPECT_NE(index.find("shop&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(index.find("<img"), std::string::npos);

  // Every page's relative links lead to a file of the site.
  static const std::regex href(R"re(href="([^"]*)")re");
  std::size_t pages = 0, links = 0;
  for (const auto& entry : fs::recursive_directory_iterator(site)) {
    if (!entry.is_regular_file()) continue;
    ++pages;
    const std::string html = read_file(entry.path());
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it) {
      ++links;
      EXPECT_TRUE(fs::exists(entry.path().parent_path() / (*it)[1].str())) << entry.path() << " -> " << (*it)[1];
    }
  }
  EXPECT_GE(pages, 4u + 2u + 2u + 1u);  // fixed pages, teams, repositories, the root clause
  EXPECT_GT(links, 30u);
  EXPECT_TRUE(fs::exists(site / "repositories" / "shop~3cimg~20src~3dx~20onerror~3dalert~281~29~3e.html"));
  EXPECT_TRUE(fs::exists(site / "teams" / "pay.html"));

  // --team narrows the pages as it narrows the report.
  const fs::path narrowed = dir.path() / "pay";
  ASSERT_EQ(constable({"audit", "report", "--store", store, "--format", "html", "--output", narrowed.string(),
                       "--team", "pay"})
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(narrowed / "repositories" / "payments.html"));
  EXPECT_FALSE(fs::exists(narrowed / "teams" / "web.html"));
}

TEST(AuditDashboard, HtmlNeedsAnOutputDirectory) {
  const TempDir dir;
  const std::string store = (dir.path() / "audit.db").string();
  dir.write("audit.db", "");
  const auto r = constable({"audit", "report", "--store", store, "--format", "html"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format html writes a directory of linked pages: give --output DIR"), std::string::npos)
      << r.err;
  const auto bad = constable({"audit", "report", "--store", store, "--format", "pdf"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--format must be text, markdown, json or html, got 'pdf'"), std::string::npos) << bad.err;
  // Text into a file instead of stdout.
  const auto file = dir.path() / "report.txt";
  const auto text = constable({"audit", "report", "--store", store, "--output", file.string()});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.out.empty());
  EXPECT_NE(read_file(file).find("No audit recorded yet"), std::string::npos);
}

}  // namespace
}  // namespace constable::testing

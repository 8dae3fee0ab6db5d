// The nextjs domain's project checks where the finding sits in a JSON file
// (package.json, tsconfig.json) that fixtures cannot annotate: strict mode,
// the @/ alias, the state libraries and the bundle budget, with monorepo
// roots and tsconfig's JSONC and `extends` chains.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

using Found = std::tuple<std::string, int, std::string>;  // path, line, check

constexpr const char* kCompliantPackage = R"({
  "name": "web",
  "dependencies": {
    "next": "15.0.3",
    "@tanstack/react-query": "^5.59.0",
    "zustand": "^5.0.1"
  },
  "size-limit": [{ "path": ".next/static/chunks/**/*.js", "limit": "200 KB" }]
}
)";

constexpr const char* kCompliantTsconfig = R"({
  // comments and trailing commas, as tsc accepts
  "compilerOptions": {
    "strict": true,
    "paths": { "@/*": ["./src/*"], },
  },
}
)";

constexpr const char* kNextConfig =
    "module.exports = { async headers() { return [{ source: \"/(.*)\", headers: [{ key: "
    "\"Content-Security-Policy\", value: \"default-src 'self'\" }] }] } }\n";

std::multiset<Found> nextjs_findings(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id.starts_with("nextjs/")) out.insert({f.path, f.range.line, f.check_id});
  return out;
}

void write_project(const TempDir& repo, const std::string& root, const std::string& package,
                   const std::string& tsconfig) {
  repo.write(root + "package.json", package);
  repo.write(root + "tsconfig.json", tsconfig);
  repo.write(root + "next.config.js", kNextConfig);
  repo.write(root + "src/app/page.tsx", "export default function Page() {\n  return <main>Home</main>\n}\n");
}

TEST(NextjsRepository, CompliantProjectHasNoFinding) {
  TempDir repo;
  write_project(repo, "", kCompliantPackage, kCompliantTsconfig);
  EXPECT_TRUE(nextjs_findings(repo).empty());
}

TEST(NextjsRepository, StrictFalseIsReportedWhereItIsSet) {
  TempDir repo;
  write_project(repo, "", kCompliantPackage,
                "{\n  \"compilerOptions\": {\n    \"strict\": false,\n    \"paths\": { \"@/*\": [\"./src/*\"] }\n  }\n}\n");
  EXPECT_EQ(nextjs_findings(repo), (std::multiset<Found>{{"tsconfig.json", 3, "nextjs/typescript-strict"}}));
}

TEST(NextjsRepository, MissingStrictAndAliasAreReportedOnTheProjectsConfig) {
  TempDir repo;
  write_project(repo, "apps/web/", kCompliantPackage, "{\n  \"compilerOptions\": {\n    \"jsx\": \"preserve\"\n  }\n}\n");
  repo.write("package.json", "{ \"name\": \"acme\", \"private\": true }\n");
  EXPECT_EQ(nextjs_findings(repo), (std::multiset<Found>{{"apps/web/tsconfig.json", 2, "nextjs/typescript-strict"},
                                                         {"apps/web/tsconfig.json", 2, "nextjs/path-aliases"}}));
}

TEST(NextjsRepository, StrictAndAliasAreInheritedFromTheMonoreposSharedConfig) {
  TempDir repo;
  write_project(repo, "apps/web/", kCompliantPackage,
                "{ \"extends\": \"@acme/tsconfig/nextjs.json\", \"compilerOptions\": { \"jsx\": \"preserve\" } }\n");
  repo.write("packages/tsconfig/package.json", "{ \"name\": \"@acme/tsconfig\" }\n");
  repo.write("packages/tsconfig/nextjs.json", "{ \"extends\": \"./base.json\", \"compilerOptions\": { \"paths\": { \"@/*\": [\"./*\"] } } }\n");
  repo.write("packages/tsconfig/base.json", "{\n  /* shared */\n  \"compilerOptions\": { \"strict\": true, },\n}\n");
  EXPECT_TRUE(nextjs_findings(repo).empty());
}

TEST(NextjsRepository, ConfigExtendingAPackageOutsideTheRepositoryIsNotJudged) {
  TempDir repo;
  write_project(repo, "", kCompliantPackage,
                "{ \"extends\": \"@tsconfig/next/tsconfig.json\", \"compilerOptions\": { \"jsx\": \"preserve\" } }\n");
  EXPECT_TRUE(nextjs_findings(repo).empty());
}

TEST(NextjsRepository, CompetingStateLibrariesAreReportedAtTheirDependency) {
  TempDir repo;
  write_project(repo, "",
                R"({
  "dependencies": {
    "next": "15.0.3",
    "@tanstack/react-query": "^4.36.1",
    "swr": "^2.2.5",
    "@reduxjs/toolkit": "^2.3.0",
    "nuqs": "^2.0.0",
    "formik": "^2.4.6",
    "zod": "^3.23.0"
  },
  "size-limit": [{ "path": ".next/static/chunks/**/*.js", "limit": "200 KB" }]
}
)",
                kCompliantTsconfig);
  EXPECT_EQ(nextjs_findings(repo), (std::multiset<Found>{{"package.json", 4, "nextjs/state-management"},
                                                         {"package.json", 5, "nextjs/state-management"},
                                                         {"package.json", 6, "nextjs/state-management"},
                                                         {"package.json", 8, "nextjs/state-management"}}));
}

TEST(NextjsRepository, BundleSizeWithoutBudgetIsReported) {
  TempDir repo;
  write_project(repo, "", "{\n  \"dependencies\": {\n    \"next\": \"15.0.3\"\n  }\n}\n", kCompliantTsconfig);
  EXPECT_EQ(nextjs_findings(repo), (std::multiset<Found>{{"package.json", 3, "nextjs/bundle-budget"}}));
  TempDir analyzer;
  write_project(analyzer, "",
                "{\n  \"dependencies\": { \"next\": \"15.0.3\" },\n  \"devDependencies\": {\n    \"@next/bundle-analyzer\": \"^15.0.3\"\n  }\n}\n",
                kCompliantTsconfig);
  EXPECT_EQ(nextjs_findings(analyzer), (std::multiset<Found>{{"package.json", 4, "nextjs/bundle-budget"}}));
}

TEST(NextjsRepository, BudgetAboveTheClausesIsReportedAndOneWithinIsNot) {
  TempDir repo;
  write_project(repo, "", "{\n  \"dependencies\": { \"next\": \"15.0.3\" }\n}\n", kCompliantTsconfig);
  repo.write(".size-limit.json", "[\n  { \"path\": \"a.js\", \"limit\": \"150 KB\" },\n  { \"path\": \"b.js\", \"limit\": \"350 KB\" }\n]\n");
  EXPECT_EQ(nextjs_findings(repo), (std::multiset<Found>{{".size-limit.json", 3, "nextjs/bundle-budget"}}));
  TempDir analysis;
  write_project(analysis, "",
                "{\n  \"dependencies\": { \"next\": \"15.0.3\" },\n  \"nextBundleAnalysis\": { \"budget\": 204800 }\n}\n",
                kCompliantTsconfig);
  EXPECT_TRUE(nextjs_findings(analysis).empty());
}

TEST(NextjsRepository, ProjectWithoutNextConfigGetsTheHeaderFindingOnItsPackage) {
  TempDir repo;
  repo.write("package.json", kCompliantPackage);
  repo.write("tsconfig.json", kCompliantTsconfig);
  repo.write("src/app/page.tsx", "export default function Page() {\n  return <main>Home</main>\n}\n");
  EXPECT_EQ(nextjs_findings(repo), (std::multiset<Found>{{"package.json", 1, "nextjs/content-security-policy"}}));
}

TEST(NextjsRepository, ClientModuleIsJudgedWithWhatItsImportsNeedThroughTheLongestAlias) {
  TempDir repo;
  write_project(repo, "", kCompliantPackage,
                "{ \"compilerOptions\": { \"strict\": true, \"paths\": { \"@/*\": [\"./src/*\"], "
                "\"@/(ui)/*\": [\"./ui/*\"] } } }\n");
  // The module the longest prefix names needs the client, and only this
  // one's directive makes it a client module; a same-named file the shorter
  // prefix would reach does not.
  repo.write("ui/counter.tsx",
             "import { useState } from \"react\"\nexport function Counter() {\n  const [n] = useState(0)\n  return <b>{n}</b>\n}\n");
  repo.write("src/(ui)/counter.tsx", "export function Counter() {\n  return <b>0</b>\n}\n");
  repo.write("src/components/panel.tsx",
             "\"use client\"\nimport { Counter } from \"@/(ui)/counter\"\nexport function Panel() {\n  return <Counter />\n}\n");
  EXPECT_TRUE(nextjs_findings(repo).empty());
  repo.write("ui/counter.tsx", "export function Counter() {\n  return <b>0</b>\n}\n");
  EXPECT_EQ(nextjs_findings(repo),
            (std::multiset<Found>{{"src/components/panel.tsx", 1, "nextjs/server-components-default"}}));
}

TEST(NextjsRepository, RepositoryWithoutNextIsNotJudged) {
  TempDir repo;
  repo.write("package.json", "{ \"dependencies\": { \"react\": \"19.0.0\", \"redux\": \"^5.0.0\" } }\n");
  repo.write("src/pages/index.tsx", "export default function Page() {\n  return <img src=\"/a.png\" />\n}\n");
  EXPECT_TRUE(nextjs_findings(repo).empty());
}

}  // namespace
}  // namespace constable::testing

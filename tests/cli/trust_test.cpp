// Findings a reviewer trusts: only the project's own files are judged (the
// rest is counted), and a rule broken at many places of a file is one
// finding that lists every place, in every output format and for baselines.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

using nlohmann::json;

// A chart whose values.yaml leaves `uncommented` top-level keys without a
// comment, the way real charts grow (podinfo's has 125 such keys).
void write_chart(const TempDir& repo, int uncommented) {
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: \"1.0.0\"\n");
  std::string values = "# Number of pod replicas\nreplicaCount: 1\n";
  for (int i = 0; i < uncommented; ++i) values += "key" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  repo.write("charts/web/values.yaml", values);
  repo.write("charts/web/templates/configmap.yaml",
             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  replicas: \"{{ .Values.replicaCount }}\"\n");
}

std::vector<json> findings_of(const std::string& out, std::string_view check) {
  std::vector<json> found;
  const json report = json::parse(out);
  for (const auto& f : report["findings"])
    if (f["check"] == check && !f.contains("suppression")) found.push_back(f);
  return found;
}

TEST(CliTrust, ARuleBrokenOnManyLinesOfAFileIsOneFindingWithEveryPlace) {
  TempDir repo;
  write_chart(repo, 7);

  const auto as_json = constable({"check", repo.path().string(), "--format", "json"});
  ASSERT_EQ(as_json.exit_code, 1) << as_json.err;
  const auto values = findings_of(as_json.out, "helm/values-comments");
  ASSERT_EQ(values.size(), 1u) << as_json.out;
  EXPECT_EQ(values[0]["count"], 7);
  ASSERT_EQ(values[0]["locations"].size(), 7u);
  EXPECT_EQ(values[0]["locations"][0]["line"], values[0]["location"]["line"]);
  EXPECT_EQ(values[0]["locations"][6]["line"], 9);
  EXPECT_NE(values[0]["message"].get<std::string>().find("(and 6 more places in this file)"), std::string::npos)
      << values[0]["message"];

  const auto sarif = constable({"check", repo.path().string(), "--format", "sarif"});
  std::size_t related = 0;
  const json log = json::parse(sarif.out);
  for (const auto& result : log["runs"][0]["results"])
    if (result["ruleId"] == "helm/values-comments") related += result["relatedLocations"].size();
  EXPECT_EQ(related, 6u) << sarif.out;

  const auto text = constable({"check", repo.path().string()});
  EXPECT_NE(text.out.find("also at: 4:1, 5:1, 6:1, 7:1, 8:1 and 1 more"), std::string::npos) << text.out;
}

TEST(CliTrust, AFurtherPlaceOfTheSameProblemIsNotANewFindingForABaseline) {
  TempDir repo;
  write_chart(repo, 3);
  const auto baseline = repo.path() / "baseline.json";
  ASSERT_EQ(constable({"baseline", "write", baseline.string(), repo.path().string()}).exit_code, 0);
  write_chart(repo, 5);  // two more uncommented keys, and every line below shifted
  const auto after = constable({"check", repo.path().string(), "--baseline", baseline.string(), "--format", "json"});
  EXPECT_TRUE(findings_of(after.out, "helm/values-comments").empty()) << after.out;
}

TEST(CliTrust, VendoredGeneratedAndFixtureFilesAreCountedNotJudged) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  const std::string bad_dockerfile = "FROM python:latest\nRUN pip install flask\n";
  repo.write("Dockerfile", bad_dockerfile);
  repo.write("vendor/github.com/acme/tool/Dockerfile", bad_dockerfile);
  repo.write("node_modules/pkg/Dockerfile", bad_dockerfile);
  repo.write("internal/api/testdata/Dockerfile", bad_dockerfile);
  repo.write("gen/Dockerfile", bad_dockerfile);
  repo.write(".gitattributes", "gen/** linguist-generated\n");
  repo.write("docs/logo.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));

  const auto out = constable({"check", repo.path().string(), "--format", "json"});
  ASSERT_EQ(out.exit_code, 1) << out.err;
  const auto report = json::parse(out.out);
  std::set<std::string> paths;
  for (const auto& f : report["findings"]) paths.insert(f["location"]["path"].get<std::string>());
  EXPECT_TRUE(paths.contains("Dockerfile")) << out.out;
  for (const auto& other : {"vendor/github.com/acme/tool/Dockerfile", "node_modules/pkg/Dockerfile",
                            "internal/api/testdata/Dockerfile", "gen/Dockerfile", "docs/logo.png"})
    EXPECT_FALSE(paths.contains(other)) << other;
  const auto& not_judged = report["summary"]["not_judged"];
  EXPECT_EQ(not_judged["vendored"], 2);
  EXPECT_EQ(not_judged["generated"], 1);
  EXPECT_EQ(not_judged["fixtures"], 1);
  EXPECT_EQ(not_judged["binary"], 1);
  for (const auto& note : report["notes"]) EXPECT_EQ(note["path"].get<std::string>().find("logo"), std::string::npos);

  const auto text = constable({"check", repo.path().string()});
  EXPECT_NE(text.out.find("Not judged (not the project's own): 2 vendored, 1 generated, 1 fixtures and 1 binary "
                          "files; `include:` in .constable.yaml judges them."),
            std::string::npos)
      << text.out;

  // The configuration brings a category, or a path, back.
  repo.write(".constable.yaml", "include:\n  - fixtures\n  - \"node_modules/pkg/**\"\n");
  const auto included = constable({"check", repo.path().string(), "--format", "json"});
  paths.clear();
  const json included_report = json::parse(included.out);
  for (const auto& f : included_report["findings"]) paths.insert(f["location"]["path"].get<std::string>());
  EXPECT_TRUE(paths.contains("internal/api/testdata/Dockerfile")) << included.out;
  EXPECT_TRUE(paths.contains("node_modules/pkg/Dockerfile")) << included.out;
  EXPECT_FALSE(paths.contains("vendor/github.com/acme/tool/Dockerfile")) << included.out;
  // The effective configuration shows what is brought back.
  const auto config = constable({"config", repo.path().string()});
  EXPECT_NE(config.out.find("include: [\"fixtures\", \"node_modules/pkg/**\"]"), std::string::npos) << config.out;
}


// An operator's Go tests carry the keys and passwords they test with
// (external-dns's provider/oci/oci_test.go): test inputs, not committed
// secrets. A provider token is live wherever it sits, tests included.
TEST(CliTrust, KeysAndPasswordsInATestsOwnSourcesAreTestInputs) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  // Built at run time so that no source of constable holds a literal key.
  std::string body;
  for (int line = 0; line < 5; ++line) {
    for (int i = 0; i < 64; ++i) body.push_back("Qx7bK2mZ9pR4vT1wN8cY3hJ6fL5sD0gA"[(line * 64 + i * 7) % 32]);
    body += "\n";
  }
  const std::string key = "-----BEGIN RSA " + std::string("PRIVATE KEY-----\n") + body + "-----END RSA " +
                          std::string("PRIVATE KEY-----");
  const std::string token = "gh" + std::string("p_") + "Zr8kQm2Xw7Lp4Tn9Vb3Hc6Jd1Fs5Gy0Ae2Kq";
  const std::string test_file = "package oci\n\nconst testKey = `" + key + "`\nconst dbPassword = \"Wq9xLz3Rt7Vk2Mp\"\n";
  repo.write("provider/oci/oci_test.go", test_file + "const ghToken = \"" + token + "\"\n");
  repo.write("provider/oci/oci.go", "package oci\n\nconst deployKey = `" + key + "`\n");

  const auto run = constable({"check", repo.path().string(), "--format", "json", "--select", "secrets"});
  const auto found = findings_of(run.out, "secrets/hardcoded-secret");
  std::multiset<std::string> where;
  for (const auto& f : found) {
    const std::string message = f["message"];
    where.insert(f["location"]["path"].get<std::string>() + ": " + message.substr(0, message.find(" committed")));
  }
  EXPECT_EQ(where, (std::multiset<std::string>{"provider/oci/oci.go: Private key",
                                                "provider/oci/oci_test.go: GitHub token"}))
      << run.out;
}

// Documentation shows the configuration it explains (external-dns's
// docs/tutorials/azure.md: `"aadClientSecret": "..."` beside placeholder IDs;
// helm/charts' READMEs: `--set postgresql.postgresPassword=...`): the
// password is an illustration. A provider token in a page, and the same
// password in a file the project deploys, are reported; so is a private key
// in a chart's values, but not in its chart-testing ci/ values.
TEST(CliTrust, PasswordsInDocumentationPagesAreIllustrations) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  const std::string secret = "uKiu" + std::string("Xeiwui4jo9quae9o");
  const std::string token = "gh" + std::string("p_") + "Zr8kQm2Xw7Lp4Tn9Vb3Hc6Jd1Fs5Gy0Ae2Kq";
  const std::string page = "# Azure\n\n```json\n{\n  \"tenantId\": \"01234abc-de56-ff78-abc1-234567890def\",\n"
                           "  \"aadClientSecret\": \"" + secret + "\"\n}\n```\n";
  repo.write("docs/tutorials/azure.md", page + "\nexport GITHUB_TOKEN=" + token + "\n");
  repo.write("README.md", page);
  repo.write("config/azure.json", "{\n  \"aadClientSecret\": \"" + secret + "\"\n}\n");
  repo.write("charts/eth/ci/test-values.yaml", "privateKey: \"" + secret + "\"\n");

  const auto run = constable({"check", repo.path().string(), "--format", "json", "--select", "secrets"});
  std::multiset<std::string> where;
  for (const auto& f : findings_of(run.out, "secrets/hardcoded-secret")) {
    const std::string message = f["message"];
    where.insert(f["location"]["path"].get<std::string>() + ": " + message.substr(0, message.find(" committed")));
  }
  EXPECT_EQ(where, (std::multiset<std::string>{"config/azure.json: Hard-coded secret assignment",
                                                "docs/tutorials/azure.md: GitHub token"}))
      << run.out;
}

}  // namespace
}  // namespace constable::testing

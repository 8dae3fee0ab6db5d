// Kubernetes manifests end to end: a real-world style platform repository,
// rendered manifests on standard input, hostile YAML, and parameters read
// from the constitution.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

fs::path platform_repo() { return source_dir() / "examples" / "k8s-platform"; }

TEST(CliKubernetes, PlatformRepositoryFindingsAreWhatAReviewerWouldList) {
  const auto r = constable({"check", platform_repo().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_golden("k8s-platform/report.txt", r.out);
}

// A chart's Secret is its template's, filled in from values: not "committed".
TEST(CliKubernetes, ASecretAChartRendersIsSaidToBeCreatedByTheChart) {
  const TempDir repo;
  repo.write("CONSTITUTION.md", read_file(platform_repo() / "CONSTITUTION.md"));
  repo.write("charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.0.0\n");
  repo.write("charts/api/values.yaml", "password: change-me\n");
  repo.write("charts/api/templates/secret.yaml",
             "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n"
             "  password: {{ .Values.password | b64enc }}\n");
  repo.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  url: postgres://x\n");
  const auto r = constable({"check", ".", "--format", "json", "--select", "kubernetes/external-secrets"}, repo.path());
  std::map<std::string, std::string> messages;
  const nlohmann::json report = nlohmann::json::parse(r.out);
  for (const auto& finding : report.at("findings"))
    messages[finding.at("location").at("path").get<std::string>()] = finding.at("message").get<std::string>();
  EXPECT_EQ(messages["charts/api/templates/secret.yaml"],
            "Secret/api is created by the chart with 1 key(s) of data; template an ExternalSecret "
            "instead [rendered with values.yaml]")
      << r.out;
  EXPECT_EQ(messages["k8s/secret.yaml"], "Secret/db is committed with 1 key(s) of stringData; use an ExternalSecret");
}

std::string one_line_per_finding(const std::string& report) {
  // "  15:22  high  kubernetes/no-latest-tag  message" lines, under their file headers.
  std::string out, file;
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != ' ') file = line;
    static const std::regex finding(R"(^  (\d+):\d+\s+\S+\s+(\S+)\s)");
    std::smatch m;
    if (std::regex_search(line, m, finding)) out += file + ":" + m[1].str() + " " + m[2].str() + "\n";
  }
  return out;
}

TEST(CliKubernetes, RenderedManifestsOnStandardInputPointIntoTheStream) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(platform_repo() / "CONSTITUTION.md"));
  repo.write("rendered.yaml",
             "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
             "  name: web\n  namespace: production\nspec:\n  template:\n    spec:\n      containers:\n"
             "        - name: web\n          image: nginx:latest\n");
  const std::string command = fmt::format("{} check {} --manifests - --select kubernetes < {}", CONSTABLE_BINARY,
                                          (repo.path() / "empty").string(), (repo.path() / "rendered.yaml").string());
  fs::create_directories(repo.path() / "empty");
  fs::copy_file(repo.path() / "CONSTITUTION.md", repo.path() / "empty" / "CONSTITUTION.md");
  const auto r = run_command({"sh", "-c", command}, {}, {"CONSTABLE_TODAY=2026-11-22", "NO_COLOR=1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string lines = one_line_per_finding(r.out);
  EXPECT_NE(lines.find("<stdin>:13 kubernetes/no-latest-tag"), std::string::npos) << r.out;
  EXPECT_NE(lines.find("<stdin>:4 kubernetes/pod-disruption-budget"), std::string::npos) << r.out;
  EXPECT_NE(lines.find("<stdin>:12 kubernetes/resource-requests-limits"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("production: it is deployed to namespace 'production'"), std::string::npos);

  const auto from_file = constable({"check", (repo.path() / "empty").string(), "--manifests",
                                    (repo.path() / "rendered.yaml").string(), "--select", "kubernetes"});
  EXPECT_NE(from_file.out.find("rendered.yaml"), std::string::npos) << from_file.out;
  const auto directory = constable({"check", (repo.path() / "empty").string(), "--manifests", repo.path().string()});
  EXPECT_EQ(directory.exit_code, 2);
  EXPECT_NE(directory.err.find("--manifests takes a file"), std::string::npos) << directory.err;
}

TEST(CliKubernetes, HostileYamlIsAFindingWithALocationNeverACrashOrAHang) {
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(platform_repo() / "CONSTITUTION.md"));
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev +
            ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
  }
  repo.write("k8s/bomb.yaml", bomb);
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "- ";
  repo.write("k8s/deep.yaml", deep + "x\n");
  repo.write("k8s/template.yaml", "kind: {{ .Values.kind }\nmetadata: [\n");
  repo.write(
      "k8s/pod.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:v1.0.0\n");
  const auto started = std::chrono::steady_clock::now();
  const auto r = constable({"check", repo.path().string(), "--select", "kubernetes"});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LT(seconds, 30.0 * kSanitizerSlowdown);
  const std::string lines = one_line_per_finding(r.out);
  EXPECT_NE(lines.find("k8s/bomb.yaml:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alias bomb"), std::string::npos) << r.out;
  EXPECT_NE(lines.find("k8s/deep.yaml:1 constable/parse-error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nesting deeper than"), std::string::npos) << r.out;
  EXPECT_NE(lines.find("k8s/template.yaml:"), std::string::npos) << r.out;
  // The rest of the run still happened.
  EXPECT_NE(lines.find("k8s/pod.yaml:7 kubernetes/resource-requests-limits"), std::string::npos) << r.out;
}

// The reference constitution when present (else the example's copy of its
// Kubernetes sections), with one standard amended.
std::string amended_constitution(const std::string& from, const std::string& to) {
  const fs::path reference = source_dir().parent_path() / "shared" / "reference-constitution.md";
  std::string text = fs::exists(reference) ? read_file(reference) : read_file(platform_repo() / "CONSTITUTION.md");
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(CliKubernetes, AmendingTheDeploymentPatternsChangesTheFindings) {
  TempDir repo;
  repo.write(
      "deployment.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 10\n"
      "  revisionHistoryLimit: 10\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 20%\n      maxSurge: 1\n");
  auto findings = [&](const std::string& constitution) {
    repo.write("CONSTITUTION.md", constitution);
    const auto r = constable(
        {"check", repo.path().string(), "--select", "kubernetes/max-unavailable,kubernetes/revision-history-limit"});
    return one_line_per_finding(r.out);
  };
  EXPECT_EQ(findings(amended_constitution("Maximum unavailable pods: 25%", "Maximum unavailable pods: 25%")), "");
  EXPECT_EQ(findings(amended_constitution("Maximum unavailable pods: 25%", "Maximum unavailable pods: 10%")),
            "deployment.yaml:10 kubernetes/max-unavailable\n");
  EXPECT_EQ(
      findings(amended_constitution("Deployment history limit: 10 revisions", "Deployment history limit: 5 revisions")),
      "deployment.yaml:7 kubernetes/revision-history-limit\n");
}

}  // namespace
}  // namespace constable::testing

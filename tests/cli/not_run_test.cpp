// What constable could not judge, said plainly: git checks in a tree that is
// not a git repository (a `git archive` export, a CI artifact), and `.yaml`
// files that are not YAML at all.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

constexpr std::string_view kGitConstitution =
    "# C\n## Development Workflow\n### Version Control\n#### Git Workflow\n"
    "- Branch naming: feature/, bugfix/, hotfix/\n"
    "- Commit messages MUST follow Conventional Commits specification\n"
    "### Release Management\n#### Versioning\n- Semantic Versioning MUST be used: MAJOR.MINOR.PATCH\n";

constexpr std::string_view kNote =
    "git checks not run: {} is not in a git repository (3 checks: git/branch-naming, git/conventional-commits, "
    "git/semver-tags)";

// A source export (`git archive HEAD | tar -x`): the files, no .git.
TEST(CliGitChecksNotRun, ExportWithoutGitSaysSoInEveryFormat) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kGitConstitution);
  repo.write("README.md", "# Service\n");
  const std::string note = fmt::format(fmt::runtime(kNote), repo.path().string());
  auto text = constable({"check", repo.path().string()});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("note: .git: " + note), std::string::npos) << text.out;
  for (const char* format : {"json", "sarif", "markdown"}) {
    auto r = constable({"check", repo.path().string(), "--format", format});
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_NE(r.out.find("is not in a git repository (3 checks: git/branch-naming"), std::string::npos)
        << format << ":\n" << r.out;
  }
}

// Coverage does not count the git clauses as enforced there: they are not
// applicable, and it says why. In a clone the same clauses are enforced.
TEST(CliGitChecksNotRun, CoverageDoesNotCountThemAsEnforced) {
  TempDir repo;
  repo.write("CONSTITUTION.md", kGitConstitution);
  auto text = constable({"coverage", repo.path().string()});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("not applicable  L5    version-control/git-workflow/branch-naming"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("not run: no git repository"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("3 clauses: 0 enforced"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("note: .git: git checks not run"), std::string::npos) << text.out;
  const auto json = nlohmann::json::parse(constable({"coverage", repo.path().string(), "--format", "json"}).out);
  EXPECT_EQ(json["totals"]["enforced"], 0);
  EXPECT_EQ(json["totals"]["not_applicable"], 3);
  EXPECT_EQ(json["clauses"][0]["status"], "not applicable");
  EXPECT_EQ(json["clauses"][0]["not_run"], nlohmann::json::array({"no git repository"}));
  EXPECT_EQ(json["notes"].size(), 1U);
  auto markdown = constable({"coverage", repo.path().string(), "--format", "markdown"});
  EXPECT_NE(markdown.out.find("not run: no git repository"), std::string::npos) << markdown.out;

  git(repo, {"init", "-q"});
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "feat: first"});
  auto cloned = constable({"coverage", repo.path().string()});
  EXPECT_NE(cloned.out.find("3 clauses: 3 enforced"), std::string::npos) << cloned.out;
  EXPECT_EQ(cloned.out.find("not run"), std::string::npos) << cloned.out;
  auto checked = constable({"check", repo.path().string()});
  EXPECT_EQ(checked.out.find("git checks not run"), std::string::npos) << checked.out;
}

// Only checks bound to a clause are named: a constitution without a git
// clause gets no note.
TEST(CliGitChecksNotRun, NoGitClauseNoNote) {
  TempDir repo;
  repo.write("CONSTITUTION.md", "# C\n## Docker Standards\n- Multi-stage builds MUST be used\n");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.out.find("git checks not run"), std::string::npos) << r.out;
}

// A README pasted into deploy.yaml and a chart's ConfigMap template kept
// beside the chart rather than in its templates/: each gets one parse error
// that says what the file is; a broken manifest keeps the parser's message.
TEST(CliNotYaml, FilesThatAreNotYamlAreToldWhatTheyLookLike) {
  TempDir repo;
  repo.write("deploy/deploy.yaml",
             "# Payments API deployment\n\nThis directory deploys the payments API to the staging cluster.\n\n"
             "## Usage\n\nRun `kubectl apply -f deploy.yaml` and wait: the pods come up in a minute.\n");
  repo.write("chart/Chart.yaml", "apiVersion: v2\nname: payments\nversion: 1.0.0\n");
  repo.write("chart/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n"
                                     "{{- with .Values.config }}\ndata:\n  {{- toYaml . | nindent 2 }}\n{{- end }}\n");
  repo.write("k8s/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n data:\n  a: b\n");
  auto r = constable({"check", repo.path().string(), "--format", "json", "--constitution",
                      (source_dir() / "tests/fixtures/constitution/reference-excerpt.md").string()});
  const auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out << r.err;
  std::map<std::string, std::vector<nlohmann::json>> errors;
  for (const auto& f : doc["findings"])
    if (f["check"] == "constable/parse-error") errors[f["location"]["path"].get<std::string>()].push_back(f);
  ASSERT_EQ(errors["deploy/deploy.yaml"].size(), 1U) << r.out;
  EXPECT_EQ(errors["deploy/deploy.yaml"][0]["location"]["line"], 1);
  EXPECT_NE(errors["deploy/deploy.yaml"][0]["message"].get<std::string>().find("looks like Markdown, not YAML"),
            std::string::npos)
      << r.out;
  ASSERT_EQ(errors["chart/configmap.yaml"].size(), 1U) << r.out;
  EXPECT_EQ(errors["chart/configmap.yaml"][0]["location"]["line"], 4);
  EXPECT_NE(errors["chart/configmap.yaml"][0]["message"].get<std::string>().find(
                "looks like a Go template (has `{{ ... }}` at line 4), not YAML; constable renders templates only "
                "inside a chart's templates/ directory"),
            std::string::npos)
      << r.out;
  ASSERT_EQ(errors["k8s/broken.yaml"].size(), 1U) << r.out;
  EXPECT_NE(errors["k8s/broken.yaml"][0]["message"].get<std::string>().find("invalid YAML: "), std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace constable::testing

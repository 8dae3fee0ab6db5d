// A team's Rego policies as checks (docs/policies.md): bound to clauses by
// their METADATA, run over the parsed documents (rendered charts included),
// reported with clause, severity, due date and location; load errors with
// file:line:column; `policy eval --cases`.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "formats/yaml/yaml.hpp"
#include "policy/gatekeeper.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

fs::path policy_repo() { return fixtures_dir() / "rego" / "repo"; }
fs::path excerpt() { return fixtures_dir() / "constitution" / "reference-excerpt.md"; }

// The repository fixture copied into a temporary directory, to change one file of it.
void copy_repo(const TempDir& dir) {
  fs::copy(policy_repo(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

nlohmann::json findings_of(const CommandResult& r) {
  auto report = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(report.is_discarded()) << r.out << r.err;
  return report.is_discarded() ? nlohmann::json::array() : report["findings"];
}

TEST(Policies, FindingsCarryTheirClauseSeverityAndPlace) {
  auto r = constable({"check", policy_repo().string(), "--constitution", excerpt().string(), "--select", "policy",
                      "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto findings = findings_of(r);
  ASSERT_EQ(findings.size(), 3U) << findings.dump(2);
  std::map<std::string, nlohmann::json> by_path;
  for (const auto& f : findings) by_path[f["location"]["path"].get<std::string>()] = f;

  const auto& topic = by_path.at("k8s/topics.yaml");
  EXPECT_EQ(topic["check"], "policy/kafka.partitions");
  EXPECT_EQ(topic["clause"]["id"], "kafka-standards/topic-design/topics-must-have-minimum-3-partitions-for-scalability");
  EXPECT_EQ(topic["severity"], "high");  // reliability, as METADATA says
  EXPECT_EQ(topic["due"], "2026-11-29");
  EXPECT_EQ(topic["location"]["line"], 6);  // refined to spec.partitions by the result's path
  EXPECT_EQ(topic["message"],
            "topic orders.order.created has 1 partitions; the constitution asks for at least 3");
  EXPECT_EQ(topic["remediation"], "Set spec.partitions to 3 or more.");

  // The chart's topic is judged as rendered, and located in its template with the value's origin.
  const auto& rendered = by_path.at("charts/events/templates/topic.yaml");
  EXPECT_EQ(rendered["location"]["line"], 6);
  EXPECT_NE(rendered["message"].get<std::string>().find("(value from charts/events/values.yaml:1)"), std::string::npos);

  const auto& docker = by_path.at("Dockerfile");
  EXPECT_EQ(docker["check"], "policy/docker.tags");
  EXPECT_EQ(docker["severity"], "critical");  // security
  EXPECT_EQ(docker["location"]["line"], 1);   // the result's line hint
  EXPECT_EQ(docker["message"], "golang:latest uses the latest tag");
}

TEST(Policies, AConftestExceptionExemptsItsRule) {
  TempDir dir;
  copy_repo(dir);
  // Without the exception, `FROM scratch` has no tag.
  std::string policy = read_file(dir.path() / "policies" / "docker.rego");
  policy = policy.substr(0, policy.find("# conftest's exceptions"));
  dir.write("policies/docker.rego", policy);
  auto r = constable({"check", dir.path().string(), "--constitution", excerpt().string(), "--select",
                      "policy/docker.tags", "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto findings = findings_of(r);
  ASSERT_EQ(findings.size(), 2U) << findings.dump(2);
  EXPECT_TRUE(findings[0]["message"] == "scratch has no tag" || findings[1]["message"] == "scratch has no tag")
      << findings.dump(2);
}

TEST(Policies, CoverageNamesThePolicyAndItsFile) {
  auto r = constable({"coverage", policy_repo().string(), "--constitution", excerpt().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("policy/kafka.partitions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("policy policies/kafka.rego"), std::string::npos) << r.out;
}

TEST(Policies, APackageWithoutItsClauseIsALoadError) {
  TempDir dir;
  dir.write(".constable.yaml", "policies: [p]\n");
  dir.write("p/rule.rego", "package x\n\ndeny[msg] {\n  msg := \"no\"\n}\n");
  auto r = constable({"check", dir.path().string(), "--constitution", excerpt().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p/rule.rego:1:1: policy package x has deny, violation or warn rules but no METADATA"),
            std::string::npos)
      << r.err;
}

TEST(Policies, AClauseThatMatchesNothingSuggestsTheClosest) {
  TempDir dir;
  dir.write(".constable.yaml", "policies: [p]\n");
  dir.write("p/rule.rego",
            "# METADATA\n# custom:\n#   clause: kafka-standards/topic-design/topics-must-have-minimum-3-partitions\n"
            "package x\n\ndeny[msg] {\n  msg := \"no\"\n}\n");
  auto r = constable({"check", dir.path().string(), "--constitution", excerpt().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p/rule.rego:1:1: METADATA custom.clause"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("matches no clause"), std::string::npos) << r.err;
}

// The repository's own configuration cannot make constable read policies
// from outside the repository; one the user names on the command line can.
TEST(Policies, TheRepositorysConfigurationNamesPoliciesInsideItOnly) {
  TempDir outside;
  outside.write("p/rule.rego", "package x\n\ndeny[msg] {\n  msg := \"no\"\n}\n");
  TempDir repo;
  repo.write(".constable.yaml", "policies: [" + (outside.path() / "p").string() + "]\n");
  auto r = constable({"check", repo.path().string(), "--constitution", excerpt().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not inside the repository"), std::string::npos) << r.err;

  // Named by the user, the same directory is read (and here fails for lack of METADATA).
  r = constable({"check", repo.path().string(), "--constitution", excerpt().string(), "--config",
                 (repo.path() / ".constable.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no METADATA block"), std::string::npos) << r.err;
}

TEST(Policies, ParseAndCompileErrorsNameFileLineAndColumn) {
  TempDir dir;
  dir.write(".constable.yaml", "policies: [p]\n");
  dir.write("p/rule.rego", "package x\n\ndeny[msg] {\n  msg := startwith(\"a\", \"b\")\n}\n");
  auto r = constable({"check", dir.path().string(), "--constitution", excerpt().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p/rule.rego:4:10: rego_type_error: undefined function startwith; did you mean 'startswith'"),
            std::string::npos)
      << r.err;
  dir.write("p/rule.rego", "package x\n\ndeny[msg] {\n  msg := [1,\n}\n");
  r = constable({"check", dir.path().string(), "--constitution", excerpt().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p/rule.rego:5:1: unexpected '}'"), std::string::npos) << r.err;
}

TEST(Policies, ARuntimeErrorIsAFindingAndTheRunGoesOn) {
  TempDir dir;
  copy_repo(dir);
  dir.write("policies/conflict.rego",
            "# METADATA\n# custom:\n#   clause: latest tag is prohibited\n#   file_kinds: [yaml]\n"
            "package conflict\n\nimport rego.v1\n\nname := input.metadata.name\nname := \"other\"\n\n"
            "deny contains name if input.kind == \"KafkaTopic\"\n");
  auto r = constable({"check", dir.path().string(), "--constitution", excerpt().string(), "--select",
                      "policy/conflict,policy/kafka.partitions", "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  bool conflict = false;
  std::size_t topics = 0;
  for (const auto& f : findings_of(r)) {
    if (f["check"] == "policy/conflict") {
      EXPECT_NE(f["message"].get<std::string>().find("eval_conflict_error"), std::string::npos) << f.dump();
      conflict = true;
    }
    if (f["check"] == "policy/kafka.partitions") ++topics;
  }
  EXPECT_TRUE(conflict);
  EXPECT_EQ(topics, 2U);
}

TEST(Policies, GatekeeperConstraintsJudgeTheObjectsTheyMatch) {
  const auto repo = fixtures_dir() / "rego" / "gatekeeper";
  auto r = constable({"check", repo.string(), "--constitution", (repo / "constitution.md").string(), "--select", "policy",
                      "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto findings = findings_of(r);
  // orders lacks a label; coredns is in an excluded namespace; shipping has both.
  ASSERT_EQ(findings.size(), 1U) << findings.dump(2);
  EXPECT_EQ(findings[0]["check"], "policy/teamrequiredlabels.workloads-have-an-owner");
  EXPECT_EQ(findings[0]["message"], "Deployment orders lacks the labels [\"app.kubernetes.io/name\"]");
  EXPECT_EQ(findings[0]["clause"]["id"], "compliance-verification/automated-checks/policy-as-code-using-open-policy-agent-opa");
  EXPECT_EQ(findings[0]["location"]["path"], "k8s/deployments.yaml");
  EXPECT_EQ(findings[0]["location"]["line"], 2);
}

TEST(Policies, AConstraintWithoutItsTemplateIsALoadError) {
  TempDir dir;
  dir.write(".constable.yaml", "policies: [p]\n");
  dir.write("p/constraint.yaml",
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: Missing\nmetadata:\n  name: x\nspec: {}\n");
  const auto repo = fixtures_dir() / "rego" / "gatekeeper";
  auto r = constable({"check", dir.path().string(), "--constitution", (repo / "constitution.md").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p/constraint.yaml:1:1: Gatekeeper constraint Missing x has no ConstraintTemplate"),
            std::string::npos)
      << r.err;
}

TEST(PolicyVerify, RunsGatorSuitesAndCountsAgreeingTemplates) {
  TempDir dir;
  const auto fixture = fixtures_dir() / "rego" / "gatekeeper";
  const std::string both = read_file(fixture / "policies" / "required-labels.yaml");
  dir.write("template.yaml", both.substr(0, both.find("---")));
  dir.write("constraint.yaml", both.substr(both.find("---") + 4));
  dir.write("allowed.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  labels: {team: t, "
                            "app.kubernetes.io/name: a}\n");
  dir.write("disallowed.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n");
  dir.write("suite.yaml", R"(kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: labels
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: allowed
    object: allowed.yaml
    assertions:
    - violations: no
  - name: disallowed
    object: disallowed.yaml
    assertions:
    - violations: 1
      message: lacks the labels
  - name: wrong-on-purpose
    object: disallowed.yaml
    assertions:
    - violations: no
)");
  auto r = constable({"policy", "verify", dir.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL " + (dir.path() / "suite.yaml").string() + ": labels / wrong-on-purpose"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2 cases passed, 1 failed, 0 skipped; 0 of 1 templates agree"), std::string::npos) << r.out;
}

// The exported templates give the built-in checks' verdicts on the checks'
// own fixtures: as many violations as each fixture expects findings.
TEST(PolicyExport, GatekeeperTemplatesAgreeWithTheBuiltInChecksOnTheirFixtures) {
  TempDir out;
  auto r = constable({"policy", "export", "--format", "gatekeeper", "--constitution", excerpt().string(),
                      out.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t exported = 0;
  for (const auto& entry : fs::directory_iterator(out.path())) {
    ++exported;
    const std::string text = read_file(entry.path());
    auto stream = yaml::parse(text);
    ASSERT_TRUE(stream.ok()) << entry.path();
    ASSERT_EQ(stream.documents.size(), 2U) << entry.path();
    auto loaded = policy::gatekeeper::load_template(stream.documents[0].root, entry.path().string());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
    const auto constraint = policy::gatekeeper::load_constraint(stream.documents[1].root, entry.path().string());
    const yaml::Node* check = stream.documents[0].root->at("metadata", "annotations", "constable.dev/check");
    ASSERT_NE(check, nullptr);
    const std::string check_id(check->str());
    const auto fixtures = fixtures_dir() / "kubernetes" / check_id.substr(check_id.find('/') + 1);
    ASSERT_TRUE(fs::is_directory(fixtures)) << fixtures;
    for (const auto& fixture : fs::directory_iterator(fixtures)) {
      if (fixture.path().extension() != ".yaml") continue;
      const std::string source = read_file(fixture.path());
      std::size_t expected = 0;
      for (std::size_t at = source.find("# expect:"); at != std::string::npos; at = source.find("# expect:", at + 1)) {
        const auto line_end = source.find('\n', at);
        if (source.substr(at, line_end - at).find(check_id) != std::string::npos) ++expected;
      }
      auto documents = yaml::parse(source);
      std::size_t violations = 0;
      for (const auto& document : documents.documents) {
        if (document.root == nullptr || !document.root->is_mapping()) continue;
        const rego::Value object = rego::from_yaml(document.root);
        if (!policy::gatekeeper::matches(constraint, object)) continue;
        auto messages = policy::gatekeeper::review(*loaded, constraint, object);
        ASSERT_TRUE(messages.has_value()) << messages.error().to_string();
        violations += messages->size();
      }
      EXPECT_EQ(violations, expected) << check_id << " on " << fixture.path();
    }
  }
  EXPECT_EQ(exported, 5U) << r.out;
}

TEST(PolicyTest, RunsTheTestRulesOfADirectory) {
  auto r = constable({"policy", "test", (policy_repo() / "policies").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 passed, 0 failed"), std::string::npos) << r.out;

  TempDir dir;
  dir.write("p/rule.rego", "package x\nimport rego.v1\ndeny contains \"no\" if input.bad\n");
  dir.write("p/rule_test.rego",
            "package x_test\nimport rego.v1\ntest_denies if count(data.x.deny) == 1 with input as {\"bad\": true}\n"
            "test_wrong if {\n  print(\"deny is\", data.x.deny)\n  count(data.x.deny) == 1\n}\n");
  r = constable({"policy", "test", (dir.path() / "p").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL rule_test.rego:4: data.x_test.test_wrong (undefined)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("     deny is set()"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos) << r.out;
}

TEST(PolicyEval, PrintsEachFailingCaseAndExitsOne) {
  TempDir dir;
  const auto cases = dir.write("cases.yaml", R"(cases:
- note: passes
  modules: ["package t\np := 1"]
  query: data.t.p = x
  want_result: [{x: 1}]
- note: fails
  modules: ["package t\np := 1"]
  query: data.t.p = x
  want_result: [{x: 2}]
)");
  auto r = constable({"policy", "eval", "--cases", cases.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL " + cases.string() + ":6: fails"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos) << r.out;
  r = constable({"policy", "eval", "--cases", (dir.path() / "missing.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(PolicyEval, TheProjectsCaseSuitePasses) {
  std::vector<std::string> args{"policy", "eval", "--cases"};
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "rego" / "cases")) args.push_back(entry.path().string());
  auto r = constable(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace constable::testing

// docs/schema/constable-config.schema.json says what src/engine/config.cpp
// accepts: the same top-level keys, the same verdict on the same files, and
// every example configuration in the repository valid under both. Also
// `fail_on: none` and "did you mean" for mistyped keys.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/config.hpp"
#include "support/config_schema.hpp"
#include "support/test_support.hpp"

namespace constable::engine {
namespace {

namespace fs = std::filesystem;
namespace ct = constable::testing;

nlohmann::json schema() { return nlohmann::json::parse(ct::read_file(ct::config_schema())); }

TEST(ConfigSchema, TopLevelKeysAreTheKeysTheParserKnows) {
  const nlohmann::json document = schema();
  std::set<std::string> in_schema;
  for (const auto& [key, value] : document.at("properties").items()) in_schema.insert(key);
  const std::set<std::string> in_parser(std::begin(kConfigKeys), std::end(kConfigKeys));
  EXPECT_EQ(in_schema, in_parser);
  EXPECT_EQ(document.at("additionalProperties"), false);  // unknown keys are errors in both
}

TEST(ConfigSchema, SectionKeysAreTheKeysTheParserKnows) {
  // The parser names the keys it expects when it meets an unknown one.
  const nlohmann::json document = schema();
  const nlohmann::json& props = document.at("properties");
  for (const std::string section : {"admission", "docker", "git", "production", "secrets"}) {
    auto parsed = parse_config(section + ":\n  not_a_key: 1\n", "c.yaml");
    ASSERT_FALSE(parsed) << section;
    for (const auto& [key, value] : props.at(section).at("properties").items())
      EXPECT_NE(parsed.error().message.find(key), std::string::npos) << section << ": " << key;
  }
}

struct Case {
  const char* yaml;
  bool valid;
};

// Files the parser accepts and files it rejects, each of a kind the schema can express.
const Case kCases[] = {
    {"", true},
    {"constitution: docs/constitution.md\n", true},
    {"exclude: build/**\n", true},
    {"exclude: [\"build/**\", \"/vendor/\"]\ninclude: [fixtures]\nselect: docker\nignore: [docker/healthcheck]\n", true},
    {"fail_on: none\n", true},
    {"fail_on: HIGH\n", true},
    {"fail_on: ' low '\n", true},
    {"max_file_size: 10MB\n", true},
    {"max_file_size: 512 KiB\n", true},
    {"max_file_size: 1048576\n", true},
    {"max_file_size: 3g\n", true},
    {"sprint_days: 7\n", true},
    {"sprint_days: \"14\"\n", true},
    {"docker: {approved_registries: [ghcr.io/acme], official_registries: [cgr.dev/chainguard]}\n", true},
    {"git: {commit_types: [feat, fix], trunk: main, extra_branch_prefixes: [release/]}\n", true},
    {"production: {paths: [\"deploy/live/**\"], namespaces: [live]}\n", true},
    {"admission: {enforcement: {critical: deny, high: warn, low: audit}, exempt_namespaces: [kube-system],"
     " exempt_users: [\"system:serviceaccount:argocd:argocd-application-controller\"], exempt_groups: []}\n",
     true},
    {"secrets: {allowlist: [{rule: generic-assignment, path: \"tests/**\", reason: fake credentials}]}\n", true},
    {"secrets: {allowlist: [{fingerprint: 64b9d3ce53657649, reason: rotated}]}\n", true},
    {"waivers:\n  - {check: docker/healthcheck, path: \"jobs/**\", reason: no port, owner: ops, expires: 2027-01-31}\n",
     true},
    {"attestations:\n  - {clause: a/b/c, evidence: docs/board.md, owner: cto, date: 2026-09-15, expires: 2027-09-15,"
     " note: minutes}\n  - {clause: a/b/d, evidence: \"https://audit.example/x\", owner: cto, date: 2026-09-15,"
     " expires: 2027-09-15}\n",
     true},

    {"exlude: []\n", false},
    {"- a\n- b\n", false},
    {"exclude: ~\n", false},
    {"exclude: [[nested]]\n", false},
    {"fail_on: sometimes\n", false},
    {"max_file_size: 0\n", false},
    {"max_file_size: ten\n", false},
    {"max_file_size: 10XB\n", false},
    {"sprint_days: 0\n", false},
    {"sprint_days: -3\n", false},
    {"sprint_days: two\n", false},
    {"docker: [a]\n", false},
    {"admission: {enforcement: {critical: block}}\n", false},
    {"admission: {enforcement: {urgent: deny}}\n", false},
    {"admission: {enforcement: deny}\n", false},
    {"admission: {exempt: [x]}\n", false},
    {"docker: {registries: [x]}\n", false},
    {"secrets: {allowlist: [{rule: x}]}\n", false},
    {"secrets: {allowlist: [{reason: why}]}\n", false},
    {"secrets: {allowlist: [{rule: x, reason: \"  \"}]}\n", false},
    {"waivers: {check: x}\n", false},
    {"waivers: [{check: docker/healthcheck, reason: r, owner: o}]\n", false},
    {"waivers: [{check: docker/healthcheck, reason: r, owner: o, expires: 2027-02-30}]\n", false},
    {"waivers: [{check: docker/healthcheck, reason: \" \", owner: o, expires: 2027-02-01}]\n", false},
    {"waivers: [{check: docker/healthcheck, reason: r, owner: o, expires: 2027-02-01, until: x}]\n", false},
    {"attestations: [{clause: a, evidence: ../x.md, owner: o, date: 2026-01-01, expires: 2027-01-01}]\n", false},
    {"attestations: [{clause: a, evidence: /etc/passwd, owner: o, date: 2026-01-01, expires: 2027-01-01}]\n", false},
    {"attestations: [{clause: a, evidence: \"http://\", owner: o, date: 2026-01-01, expires: 2027-01-01}]\n", false},
    {"attestations: [{clause: a, evidence: docs/x.md, owner: o, date: 2026-01-01}]\n", false},
};

TEST(ConfigSchema, AgreesWithTheParser) {
  const ct::TempDir dir;
  std::vector<fs::path> files;
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    const Case& c = kCases[i];
    const auto parsed = parse_config(c.yaml, "case.yaml");
    EXPECT_EQ(parsed.has_value(), c.valid) << "parser, case " << i << ":\n" << c.yaml
                                           << (parsed ? "" : parsed.error().to_string());
    files.push_back(dir.write("case" + std::to_string(i) + ".yaml", c.yaml));
  }
  const auto errors = ct::config_schema_errors(files);
  ASSERT_EQ(errors.size(), files.size());
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    const std::string& error = errors.at(files[i].string());
    EXPECT_EQ(error.empty(), kCases[i].valid) << "schema, case " << i << ":\n" << kCases[i].yaml << error;
  }
}

// Every configuration the repository ships: the examples' and the fixtures'.
std::vector<fs::path> example_configs() {
  std::vector<fs::path> out;
  for (const fs::path& top : {ct::source_dir() / "examples", ct::source_dir() / "tests" / "fixtures"}) {
    for (const auto& entry : fs::recursive_directory_iterator(top)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && (name == ".constable.yaml" || name.ends_with(".constable.yaml")))
        out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ConfigSchema, EveryExampleConfigurationIsValid) {
  const auto files = example_configs();
  ASSERT_GE(files.size(), 2u) << "examples/demo-repo and examples/compliant-repo have one each";
  for (const auto& file : files) {
    const auto parsed = load_config(file);
    EXPECT_TRUE(parsed.has_value()) << file << ": " << (parsed ? "" : parsed.error().to_string());
  }
  for (const auto& [file, error] : ct::config_schema_errors(files)) EXPECT_EQ(error, "") << file;
}

TEST(ConfigFailOn, NoneIsAcceptedAsOnTheCommandLine) {
  auto none = parse_config("fail_on: none\n", "c.yaml");
  ASSERT_TRUE(none) << none.error().to_string();
  EXPECT_TRUE(none->fail_on_none);
  EXPECT_FALSE(none->fail_on.has_value());
  auto upper = parse_config("fail_on: ' None '\n", "c.yaml");
  ASSERT_TRUE(upper);
  EXPECT_TRUE(upper->fail_on_none);
  auto high = parse_config("fail_on: high\n", "c.yaml");
  ASSERT_TRUE(high);
  EXPECT_FALSE(high->fail_on_none);
  EXPECT_EQ(high->fail_on, Severity::high);
  auto bad = parse_config("fail_on: never\n", "c.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("critical, high, medium, low or none"), std::string::npos);
}

TEST(ConfigKeys, AMistypedKeySuggestsTheRightOne) {
  auto top = parse_config("exlude: [build]\n", "c.yaml");
  ASSERT_FALSE(top);
  EXPECT_NE(top.error().message.find("unknown key 'exlude' in the configuration; did you mean 'exclude'?"),
            std::string::npos)
      << top.error().message;
  auto nested = parse_config("docker:\n  approved_registry: [x]\n", "c.yaml");
  ASSERT_FALSE(nested);
  EXPECT_NE(nested.error().message.find("did you mean 'approved_registries'?"), std::string::npos)
      << nested.error().message;
  auto far = parse_config("deployment: {}\n", "c.yaml");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().message.find("did you mean"), std::string::npos) << far.error().message;
}

}  // namespace
}  // namespace constable::engine

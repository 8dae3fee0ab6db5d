#include <gtest/gtest.h>

#include "engine/config.hpp"
#include "support/test_support.hpp"

namespace constable::engine {
namespace {

TEST(EngineConfig, ReadsEveryKey) {
  const auto config = parse_config(R"(constitution: docs/rules.md
exclude: ["vendor/**", "*.generated.yaml"]
select: [docker]
ignore: docker/healthcheck
fail_on: high
max_file_size: 2MiB
sprint_days: 10
docker:
  approved_registries: [registry.example.com, ghcr.io/acme]
production:
  paths: ["deploy/live/**"]
  namespaces: [live]
waivers:
  - check: docker/healthcheck
    path: "jobs/**"
    reason: batch jobs have no port
    owner: platform
    expires: 2027-01-31
)",
                                   ".constable.yaml");
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->constitution, "docs/rules.md");
  EXPECT_EQ(config->exclude, (std::vector<std::string>{"vendor/**", "*.generated.yaml"}));
  EXPECT_EQ(config->select, std::vector<std::string>{"docker"});
  EXPECT_EQ(config->ignore, std::vector<std::string>{"docker/healthcheck"});
  EXPECT_EQ(config->fail_on, Severity::high);
  EXPECT_EQ(config->max_file_size, 2u * 1024 * 1024);
  EXPECT_EQ(config->sprint_days, 10);
  EXPECT_EQ(config->docker.approved_registries.size(), 2u);
  EXPECT_FALSE(config->docker.official_registries.empty()) << "defaults kept when not overridden";
  ASSERT_EQ(config->waivers.size(), 1u);
  EXPECT_EQ(config->waivers[0].path, "jobs/**");
  EXPECT_EQ(config->waivers[0].expires, *Date::parse("2027-01-31"));
  EXPECT_EQ(config->waivers[0].line, 14);
  EXPECT_EQ(config->production.paths, std::vector<std::string>{"deploy/live/**"});
  EXPECT_EQ(config->production.namespaces, std::vector<std::string>{"live"});
}

TEST(EngineConfig, ReadsAttestations) {
  const auto config = parse_config(R"(sprint_days: 14
attestations:
  - clause: compliance-verification/human-review/architecture-review-board-meets-bi-weekly
    evidence: docs/governance/board.md
    owner: cto-office
    date: 2026-09-01
    expires: 2027-03-01
    note: minutes in the wiki
  - clause: kubectl-ai-standards/training-and-governance/team-members-must-complete-kubectl-ai-training
    evidence: https://learning.example.com/courses/kai-101
    owner: platform-team
    date: 2026-09-01
    expires: 2027-09-01
)",
                                   ".constable.yaml");
  ASSERT_TRUE(config) << config.error().to_string();
  ASSERT_EQ(config->attestations.size(), 2u);
  const auto& board = config->attestations[0];
  EXPECT_EQ(board.clause, "compliance-verification/human-review/architecture-review-board-meets-bi-weekly");
  EXPECT_EQ(board.evidence, "docs/governance/board.md");
  EXPECT_FALSE(board.evidence_is_url());
  EXPECT_EQ(board.owner, "cto-office");
  EXPECT_EQ(board.date, *Date::parse("2026-09-01"));
  EXPECT_EQ(board.expires, *Date::parse("2027-03-01"));
  EXPECT_EQ(board.note, "minutes in the wiki");
  EXPECT_EQ(board.line, 3);
  EXPECT_EQ(board.clause_line, 3);
  EXPECT_EQ(board.evidence_line, 4);
  EXPECT_TRUE(config->attestations[1].evidence_is_url());
  EXPECT_TRUE(config->attestations[1].note.empty());
}

TEST(EngineConfig, EmptyFileMeansDefaults) {
  const auto config = parse_config("", "c.yaml");
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->waivers.empty());
  EXPECT_EQ(config->sprint_days, 14);
}

struct BadConfig {
  std::string yaml;
  int line;
  std::string message_part;
};

class EngineConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(EngineConfigErrors, FailWithFileAndLine) {
  const auto& param = GetParam();
  const auto config = parse_config(param.yaml, "repo/.constable.yaml");
  ASSERT_FALSE(config) << "should have failed: " << param.yaml;
  EXPECT_EQ(config.error().path, "repo/.constable.yaml");
  EXPECT_EQ(config.error().line, param.line) << config.error().to_string();
  EXPECT_NE(config.error().message.find(param.message_part), std::string::npos) << config.error().to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EngineConfigErrors,
    ::testing::Values(BadConfig{"exclude: []\nconstitutoin: x.md\n", 2, "unknown key 'constitutoin'"},
                      BadConfig{"fail_on: sometimes\n", 1, "fail_on"},
                      BadConfig{"exclude: [a, {b: c}]\n", 1, "entries must be strings"},
                      BadConfig{"max_file_size: lots\n", 1, "max_file_size"},
                      BadConfig{"sprint_days: -3\n", 1, "positive integer"},
                      BadConfig{"docker:\n  registries: [x]\n", 2, "unknown key 'registries'"},
                      BadConfig{"waivers:\n  - check: docker/healthcheck\n    owner: me\n    expires: 2027-01-01\n", 2,
                                "missing 'reason'"},
                      BadConfig{"waivers:\n  - check: a\n    reason: r\n    owner: o\n    expires: 2027-02-30\n", 5,
                                "must be a date"},
                      BadConfig{"key: [unclosed\n", 2, ""},
                      BadConfig{"attestations: {clause: a}\n", 1, "'attestations' must be a list"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: x.md\n    owner: me\n    date: 2026-01-01\n",
                                2, "missing 'expires'"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: x.md\n    owner: \"  \"\n    date: "
                                "2026-01-01\n    expires: 2027-01-01\n",
                                4, "'owner' must not be empty"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: x.md\n    owner: me\n    date: "
                                "2026-06-01\n    expires: 2026-06-01\n",
                                6, "must be after its 'date'"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: ../outside.md\n    owner: me\n    date: "
                                "2026-01-01\n    expires: 2027-01-01\n",
                                3, "path inside the repository or an http(s) URL"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: /etc/passwd\n    owner: me\n    date: "
                                "2026-01-01\n    expires: 2027-01-01\n",
                                3, "path inside the repository"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: https://\n    owner: me\n    date: "
                                "2026-01-01\n    expires: 2027-01-01\n",
                                3, "has no host"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: x.md\n    owner: me\n    date: "
                                "2026-13-01\n    expires: 2027-01-01\n",
                                5, "must be a date"},
                      BadConfig{"attestations:\n  - clause: a/b/c\n    evidence: x.md\n    owner: me\n    date: "
                                "2026-01-01\n    expires: 2027-01-01\n    reviewer: you\n",
                                7, "unknown key 'reviewer'"},
                      BadConfig{"attestations:\n  - {clause: a/b/c, evidence: x.md, owner: me, date: 2026-01-01, expires: "
                                "2027-01-01}\n  - {clause: a/b/c, evidence: y.md, owner: you, date: 2026-01-01, expires: "
                                "2027-01-01}\n",
                                3, "already attested at line 2"},
                      BadConfig{"- just\n- a list\n", 1, "must be a mapping"}));

TEST(EngineConfig, LoadRejectsBinaryAndInvalidUtf8) {
  testing::TempDir dir;
  const auto binary = dir.write("bin.yaml", std::string("a: \0b", 5));
  EXPECT_FALSE(load_config(binary));
  const auto bad = dir.write("bad.yaml", "a: 1\nb: \xff\xfe\n");
  const auto result = load_config(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().line, 2);
  EXPECT_FALSE(load_config(dir.path() / "missing.yaml"));
  const auto bom = dir.write("bom.yaml", "\xEF\xBB\xBFsprint_days: 7\r\n");
  const auto ok = load_config(bom);
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->sprint_days, 7);
}

TEST(EngineConfig, ByteSizes) {
  EXPECT_EQ(parse_byte_size("10MB"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("512 KiB"), 512u * 1024);
  EXPECT_EQ(parse_byte_size("1048576"), 1048576u);
  EXPECT_EQ(parse_byte_size("1g"), 1024ull * 1024 * 1024);
  EXPECT_FALSE(parse_byte_size("MB"));
  EXPECT_FALSE(parse_byte_size("10 parsecs"));
  EXPECT_FALSE(parse_byte_size("99999999999999999999999"));
}

}  // namespace
}  // namespace constable::engine

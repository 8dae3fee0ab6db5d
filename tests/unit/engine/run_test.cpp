// The engine end to end on small repositories: binding follows the
// constitution, files are read and parsed once, output is deterministic,
// fingerprints survive line shifts, suppressions and waivers apply, secrets
// never leak.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "app/app.hpp"
#include "constitution/parameters.hpp"
#include "engine/run.hpp"
#include "report/report.hpp"
#include "support/test_support.hpp"

namespace constable {
namespace {

constexpr std::string_view kDockerClauses =
    "- Multi-stage builds MUST be used for optimization\n"
    "- Base images MUST be from official repositories or approved internal registry\n"
    "- Image size MUST be minimized (Alpine Linux preferred for production)\n"
    "- Non-root user MUST be specified\n"
    "- Health checks MUST be implemented via HEALTHCHECK instruction\n"
    "- Build arguments MUST NOT contain secrets\n";

std::string constitution_with(std::string_view docker_clauses, std::string_view extra = "") {
  return fmt::format(
      "# Test Constitution\n\n## Cloud-Native Deployment\n\n### Docker Standards\n#### Dockerfile Requirements\n{}\n"
      "#### Image Tagging\n- latest tag is PROHIBITED in production\n\n### Secrets Management\n"
      "- Secrets MUST NEVER be committed to version control\n{}\n"
      "## Governance\n### Violations and Remediation\n#### Violation Severity\n"
      "- Critical: Security vulnerabilities, data loss risk\n- High: Production reliability impact\n"
      "- Medium: Technical debt, maintainability issues\n- Low: Documentation gaps\n\n"
      "#### Remediation Timelines\n- Critical: 24-hour resolution\n- High: 3-day resolution\n"
      "- Medium: 30-day resolution\n- Low: Next sprint\n\n"
      "**Version**: 1.0.0 | **Ratified**: 2026-01-01 | **Last Amended**: 2026-01-01\n",
      docker_clauses, extra);
}

constexpr std::string_view kGoodDockerfile =
    "FROM python:3.12-slim AS build\nRUN pip install --prefix=/install app\n\n"
    "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\nUSER app\n"
    "HEALTHCHECK CMD [\"python\", \"-m\", \"app.health\"]\n";

constexpr std::string_view kRootDockerfile =
    "FROM python:3.12-slim AS build\nRUN pip install --prefix=/install app\n\n"
    "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\nUSER root\n"
    "HEALTHCHECK CMD [\"python\", \"-m\", \"app.health\"]\n";

struct Checked {
  app::Session session;
  engine::RunResult result;
};

Checked check_repo(const testing::TempDir& repo, unsigned jobs = 1, std::string today = "2026-11-22") {
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse(today);
  auto session = app::open_session(options);
  if (!session) throw std::runtime_error(session.error().to_string());
  engine::RunOptions run_options;
  run_options.jobs = jobs;
  run_options.today = *options.today;
  auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, run_options);
  return {std::move(*session), std::move(result)};
}

std::vector<std::string> ids_of(const engine::RunResult& r, bool include_suppressed = false) {
  std::vector<std::string> ids;
  for (const auto& f : r.findings)
    if (include_suppressed || !f.suppressed()) ids.push_back(f.check_id);
  return ids;
}

bool has(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST(EngineRun, CompliantDockerfileIsSilent) {
  testing::TempDir repo;
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  repo.write("Dockerfile", kGoodDockerfile);
  const auto checked = check_repo(repo);
  EXPECT_TRUE(checked.result.findings.empty()) << checked.result.findings.front().check_id << ": "
                                               << checked.result.findings.front().message;
}

TEST(EngineRun, RemovingAClauseSilencesItsCheck) {
  testing::TempDir repo;
  repo.write("Dockerfile", kRootDockerfile);
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  auto with_clause = check_repo(repo);
  EXPECT_TRUE(has(ids_of(with_clause.result), "docker/non-root-user"));
  ASSERT_NE(with_clause.session.plan.find("docker/non-root-user"), nullptr);
  EXPECT_EQ(with_clause.session.plan.find("docker/non-root-user")->status, engine::BindingStatus::active);

  std::string amended(kDockerClauses);
  amended.erase(amended.find("- Non-root user MUST be specified\n"), std::string_view("- Non-root user MUST be specified\n").size());
  repo.write("CONSTITUTION.md", constitution_with(amended));
  auto without_clause = check_repo(repo);
  EXPECT_FALSE(has(ids_of(without_clause.result), "docker/non-root-user"));
  EXPECT_EQ(without_clause.session.plan.find("docker/non-root-user")->status, engine::BindingStatus::no_clause);
  EXPECT_TRUE(without_clause.result.findings.empty());
}

TEST(EngineRun, ChangingTheClauseParameterMovesTheFinding) {
  testing::TempDir repo;
  repo.write("Dockerfile",
             "FROM ubuntu:24.04 AS build\nRUN make\n\nFROM ubuntu:24.04\nCOPY --from=build /out /app\nUSER app\n"
             "HEALTHCHECK CMD [\"/app/health\"]\n");
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  auto alpine = check_repo(repo);
  const auto alpine_ids = ids_of(alpine.result);
  EXPECT_TRUE(has(alpine_ids, "docker/minimal-final-image"));

  std::string amended(kDockerClauses);
  const std::string from = "(Alpine Linux preferred for production)";
  amended.replace(amended.find(from), from.size(), "(Ubuntu preferred for production)");
  repo.write("CONSTITUTION.md", constitution_with(amended));
  auto ubuntu = check_repo(repo);
  EXPECT_FALSE(has(ids_of(ubuntu.result), "docker/minimal-final-image"));
  EXPECT_NE(ubuntu.session.plan.find("docker/minimal-final-image")->parameters.find("ubuntu"), std::string::npos)
      << ubuntu.session.plan.find("docker/minimal-final-image")->parameters;
}

// A check that exists only in this test: it enforces "Maximum unavailable
// pods: N%" on `maxUnavailable: M%` lines, to show a number amended in the
// constitution reaches the finding with no code change.
class MaxUnavailableCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    auto percent = constitution::capture_percentage(clause.text);
    if (!percent) return fail("the clause names no percentage");
    limit_ = *percent;
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("limit: {}%", limit_); }
  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    for (std::size_t i = 0; i < file.lines().size(); ++i) {
      auto percent = constitution::capture_percentage(file.lines()[i]);
      if (file.lines()[i].find("maxUnavailable") != std::string_view::npos && percent && *percent > limit_)
        out.report(SourceRange::at_line(static_cast<int>(i + 1)),
                   fmt::format("maxUnavailable {}% exceeds the constitution's {}%", *percent, limit_));
    }
  }
  static constexpr engine::CheckInfo kInfo{.id = "test/max-unavailable",
                                           .domain = "test",
                                           .nature = Nature::reliability,
                                           .summary = "s",
                                           .rationale = "r",
                                           .remediation = "f",
                                           .bad_example = "b",
                                           .good_example = "g",
                                           .parameters = "the percentage",
                                           .clause = {"deployment", "maximum unavailable"},
                                           .file_kind = FileKind::yaml,
                                           .stack = ""};

 private:
  double limit_ = 0;
};

TEST(EngineRun, ChangingANumberInTheConstitutionMovesTheFinding) {
  const engine::Catalog catalog({&engine::make_check<MaxUnavailableCheck>});
  testing::TempDir repo;
  repo.write("deploy.yaml", "strategy:\n  rollingUpdate:\n    maxUnavailable: 30%\n");
  auto run_with = [&](std::string_view clause) {
    auto parsed = constitution::parse(
        fmt::format("# C\n## Kubernetes\n### Deployment Patterns\n- {}\n- Rolling updates MUST be the default\n", clause),
        "C.md");
    if (!parsed) throw std::runtime_error(parsed.error().to_string());
    auto ws = workspace::discover(repo.path(), {});
    auto plan = engine::bind(catalog, *parsed, {}, ws->stack, {});
    if (!plan) throw std::runtime_error(plan.error().to_string());
    return std::pair{engine::run(*plan, *parsed, {}, *ws, {}), std::move(*plan)};
  };
  auto [strict, strict_plan] = run_with("Maximum unavailable pods: 25%");
  ASSERT_EQ(strict.findings.size(), 1u);
  EXPECT_EQ(strict.findings[0].message, "maxUnavailable 30% exceeds the constitution's 25%");
  EXPECT_EQ(strict.findings[0].range.line, 3);
  EXPECT_EQ(strict_plan.bindings[0].parameters, "limit: 25%");

  auto [lenient, lenient_plan] = run_with("Maximum unavailable pods: 50%");
  EXPECT_TRUE(lenient.findings.empty());
  EXPECT_EQ(lenient_plan.bindings[0].parameters, "limit: 50%");

  auto [absent, absent_plan] = run_with("Maximum surge pods: 25%");
  EXPECT_TRUE(absent.findings.empty());
  EXPECT_EQ(absent_plan.bindings[0].status, engine::BindingStatus::no_clause);
}

TEST(EngineRun, BindErrorsNameCheckClauseAndLine) {
  const engine::Catalog catalog({&engine::make_check<MaxUnavailableCheck>});
  auto parsed = constitution::parse("# C\n## Deployment\n- Maximum unavailable pods: a quarter\n", "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto plan = engine::bind(catalog, *parsed, {}, {}, {});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().path, "C.md");
  EXPECT_EQ(plan.error().line, 3);
  EXPECT_NE(plan.error().message.find("test/max-unavailable"), std::string::npos);
}

TEST(EngineRun, SeverityAndDueDateComeFromTheConstitution) {
  testing::TempDir repo;
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  repo.write("Dockerfile", "FROM python:3.12-slim AS build\n\nFROM python:3.12-slim\nCOPY --from=build /a /a\nUSER app\n");
  const auto checked = check_repo(repo, 1, "2026-11-22");
  ASSERT_EQ(checked.result.findings.size(), 1u);
  const auto& f = checked.result.findings[0];
  EXPECT_EQ(f.check_id, "docker/healthcheck");
  EXPECT_EQ(f.severity, Severity::high);
  EXPECT_EQ(f.due, *Date::parse("2026-11-25")) << "High: 3-day resolution";
  EXPECT_EQ(f.clause_id, checked.session.plan.find("docker/healthcheck")->clause->id);
  EXPECT_EQ(f.clause_text, "Health checks MUST be implemented via HEALTHCHECK instruction");
  EXPECT_EQ(f.range.line, 3);
}

std::string many_dockerfiles_repo(const testing::TempDir& repo, int count) {
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  static const std::string_view variants[] = {
      kGoodDockerfile, kRootDockerfile, "FROM node:latest\nUSER root\n",
      "ARG API_TOKEN=ghp_aaaaBBBBccccDDDDeeeeFFFFgggg1234567890\nFROM alpine:3.20\nHEALTHCHECK NONE\n",
      "FROM acme/app\nENV DB_PASSWORD=Zq8!mW2#rT5vL9xK\n"};
  for (int i = 0; i < count; ++i) {
    repo.write(fmt::format("svc{:03}/Dockerfile", i), variants[static_cast<std::size_t>(i) % std::size(variants)]);
    repo.write(fmt::format("svc{:03}/README.md", i), "# service\n");
  }
  return {};
}

TEST(EngineRun, OutputIsIdenticalWhateverTheThreadCount) {
  testing::TempDir repo;
  many_dockerfiles_repo(repo, 120);
  auto render = [&](unsigned jobs) {
    auto checked = check_repo(repo, jobs);
    report::Report rep;
    rep.tool_version = "test";
    rep.result = &checked.result;
    return report::render(rep, report::Format::json, {});
  };
  const std::string one = render(1);
  EXPECT_GT(one.size(), 1000u);
  EXPECT_EQ(one, render(2));
  EXPECT_EQ(one, render(8));
}

TEST(EngineRun, ReadsAndParsesOnlyWhatActiveChecksNeedOnce) {
  testing::TempDir repo;
  many_dockerfiles_repo(repo, 10);
  const auto checked = check_repo(repo, 4);
  EXPECT_EQ(checked.result.stats.files_discovered, 21u);  // 10 Dockerfiles, 10 READMEs, the constitution
  EXPECT_EQ(checked.result.stats.files_checked, 21u) << "secret scanning reads every text file";
  EXPECT_EQ(checked.result.stats.documents_parsed, 10u) << "each Dockerfile parsed exactly once";

  // Deselect secret scanning: only the Dockerfiles are read.
  app::CommonOptions docker_only;
  docker_only.path = repo.path();
  docker_only.ignore = {"secrets"};
  auto docker_session = app::open_session(docker_only);
  ASSERT_TRUE(docker_session) << docker_session.error().to_string();
  const auto docker_result = engine::run(docker_session->plan, docker_session->constitution, docker_session->config,
                                         docker_session->workspace, {});
  EXPECT_EQ(docker_result.stats.files_checked, 10u);
  EXPECT_EQ(docker_result.stats.documents_parsed, 10u);

  // Deselect both: nothing is read at all.
  app::CommonOptions options;
  options.path = repo.path();
  options.ignore = {"docker", "secrets"};
  auto session = app::open_session(options);
  ASSERT_TRUE(session) << session.error().to_string();
  const auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, {});
  EXPECT_EQ(result.stats.files_checked, 0u);
  EXPECT_EQ(result.stats.documents_parsed, 0u);
  EXPECT_TRUE(result.findings.empty());
}

TEST(EngineRun, FingerprintsSurviveUnrelatedLineShifts) {
  testing::TempDir repo;
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  const std::string body = "FROM node:latest\nUSER root\nCMD [\"node\"]\n";
  repo.write("Dockerfile", body);
  const auto before = check_repo(repo);
  repo.write("Dockerfile", "# a new header comment\n# and another\n\n" + body);
  const auto after = check_repo(repo);
  ASSERT_EQ(before.result.findings.size(), after.result.findings.size());
  ASSERT_FALSE(before.result.findings.empty());
  std::set<std::string> a, b;
  for (const auto& f : before.result.findings) a.insert(f.fingerprint);
  for (const auto& f : after.result.findings) b.insert(f.fingerprint);
  EXPECT_EQ(a, b);
  EXPECT_NE(before.result.findings[0].range.line, after.result.findings[0].range.line);
}

TEST(EngineRun, InlineSuppressionsApplyAndBadOnesAreFindings) {
  testing::TempDir repo;
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  repo.write("Dockerfile",
             "FROM python:3.12-slim AS build\n\nFROM python:3.12-slim\nCOPY --from=build /a /a\n"
             "HEALTHCHECK CMD [\"true\"]\n"
             "# constable:ignore[docker/non-root-user] reason=\"mount needs root\" until=2027-01-31\n"
             "USER root\n");
  repo.write("b/Dockerfile",
             "FROM python:3.12-slim AS build\n\nFROM python:3.12-slim\nCOPY --from=build /a /a\n"
             "HEALTHCHECK CMD [\"true\"]\n"
             "# constable:ignore[docker/non-root-user]\n"
             "USER root\n"
             "# constable:ignore[docker/no-such-check] reason=\"x\"\n"
             "# constable:ignore[docker/healthcheck] reason=\"nothing here\"\n"
             "EXPOSE 80\n");
  repo.write("c/Dockerfile",
             "FROM python:3.12-slim AS build\n\nFROM python:3.12-slim\nCOPY --from=build /a /a\n"
             "HEALTHCHECK CMD [\"true\"]\n"
             "# constable:ignore[docker/non-root-user] reason=\"temporary\" until=2026-01-01\n"
             "USER root\n");
  const auto checked = check_repo(repo);
  std::vector<std::string> seen;
  for (const auto& f : checked.result.findings)
    seen.push_back(fmt::format("{}:{} {}{}", f.path, f.range.line, f.check_id, f.suppressed() ? " (suppressed)" : ""));
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "Dockerfile:7 docker/non-root-user (suppressed)",
                      "b/Dockerfile:6 constable/invalid-suppression",  // no reason
                      "b/Dockerfile:7 docker/non-root-user",
                      "b/Dockerfile:8 constable/invalid-suppression",  // unknown check
                      "b/Dockerfile:9 constable/invalid-suppression",  // suppresses nothing
                      "c/Dockerfile:6 constable/invalid-suppression",  // expired
                      "c/Dockerfile:7 docker/non-root-user",
                  }));
  EXPECT_EQ(checked.result.findings[0].suppression->reason, "mount needs root");
  EXPECT_EQ(checked.result.findings[0].suppression->source, "Dockerfile:6");
}

TEST(EngineRun, WaiversSuppressUntilTheyExpireThenReportThemselves) {
  testing::TempDir repo;
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  repo.write("legacy/Dockerfile", kRootDockerfile);
  repo.write("other/Dockerfile", kRootDockerfile);
  repo.write(".constable.yaml",
             "waivers:\n"
             "  - check: docker/non-root-user\n    path: \"legacy/**\"\n    reason: retiring\n    owner: ops\n"
             "    expires: 2027-01-01\n"
             "  - check: docker/healthcheck\n    path: \"**\"\n    reason: old\n    owner: ops\n    expires: 2026-01-01\n");
  const auto checked = check_repo(repo);
  std::vector<std::string> seen;
  for (const auto& f : checked.result.findings)
    seen.push_back(fmt::format("{}:{} {} {}{}", f.path, f.range.line, f.check_id, to_string(f.severity),
                               f.suppressed() ? " (waived)" : ""));
  EXPECT_EQ(seen, (std::vector<std::string>{".constable.yaml:7 constable/expired-waiver high",
                                            "legacy/Dockerfile:6 docker/non-root-user critical (waived)",
                                            "other/Dockerfile:6 docker/non-root-user critical"}));
  EXPECT_EQ(checked.result.findings[1].suppression->owner, "ops");
}

TEST(EngineRun, SecretsNeverAppearInAnyFormat) {
  testing::TempDir repo;
  repo.write("CONSTITUTION.md", constitution_with(kDockerClauses));
  const std::string secret = "sk_live_51HxQ2eKf8vT3mZpL0aB9cD7";
  const std::string token = "ghp_4fJ9kLmN2pQrS7tUvW1xYz3aBcDeFgHiJkLm";
  repo.write("Dockerfile", "ARG RELEASE_TOKEN=" + token + "\nFROM python:3.12-slim\nENV PAYMENTS_API_KEY=" + secret +
                               "\nUSER app\n");
  auto checked = check_repo(repo);
  EXPECT_TRUE(has(ids_of(checked.result), "docker/no-secrets-in-env"));
  EXPECT_TRUE(has(ids_of(checked.result), "docker/no-secrets-in-build-args"));
  report::Report rep;
  rep.tool_version = "test";
  rep.result = &checked.result;
  for (auto format : {report::Format::text, report::Format::json, report::Format::sarif, report::Format::junit,
                      report::Format::markdown}) {
    const std::string out = report::render(rep, format, {});
    EXPECT_EQ(out.find(secret), std::string::npos) << out;
    EXPECT_EQ(out.find(token), std::string::npos) << out;
    EXPECT_EQ(out.find(secret.substr(0, 12)), std::string::npos) << "more than a short prefix shown";
  }
}

}  // namespace
}  // namespace constable

namespace constable {
namespace {

TEST(EnginePlan, ClausesABindSectionCheckReadsCountAsEnforcedByIt) {
  auto parsed = constitution::parse(
      "# C\n## Docker Standards\n### Image Tagging\n- Semantic versioning for releases: v1.2.3\n"
      "- Git commit SHA for development: sha-abc1234\n- Immutable tags MUST be used for production deployments\n"
      "- Unused images MUST be pruned regularly\n",
      "C.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  auto plan = engine::bind(engine::Catalog::builtin(), *parsed, {}, {}, {});
  ASSERT_TRUE(plan) << plan.error().to_string();
  auto enforcers = [&](std::string_view id) {
    std::vector<std::string> out;
    for (const auto* b : plan->for_clause(id)) out.emplace_back(b->check->info().id);
    return out;
  };
  const std::vector<std::string> tags = {"kubernetes/immutable-image-tags"};
  EXPECT_EQ(enforcers("docker-standards/image-tagging/semantic-versioning-for-releases-v1-2-3"), tags);
  EXPECT_EQ(enforcers("docker-standards/image-tagging/git-commit-sha-for-development-sha-abc1234"), tags);
  EXPECT_EQ(enforcers("docker-standards/image-tagging/immutable-tags-must-be-used-for-production-deployments"), tags);
  // A sibling the tagging check does not read is not credited to it; a check of its own binds it.
  EXPECT_EQ(enforcers("docker-standards/image-tagging/unused-images-must-be-pruned-regularly"),
            std::vector<std::string>{"security/image-retention"});
}

}  // namespace
}  // namespace constable

// Inputs built to blow up (an ARG expansion bomb, deeply nested templates, a
// tpl that calls itself) and damaged git objects: each run finishes within
// a generous time and memory bound, reports the bad input where it is, and
// still reports a known-bad Dockerfile beside it.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Blow-up bounds, not benchmarks.
constexpr double kMaxSeconds = 10.0 * kSanitizerSlowdown;
constexpr long kMaxRssKb = 500L * 1024 * kSanitizerMemoryFactor;

constexpr std::string_view kBadDockerfile = "FROM ubuntu:latest\n";  // no USER, no HEALTHCHECK, latest tag

std::string reference_constitution() {
  return (source_dir() / "tests" / "fixtures" / "constitution" / "reference-excerpt.md").string();
}

struct Outcome {
  MeasuredRun run;
  Json report;
};

Outcome check(const TempDir& repo, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"check", repo.path().string(), "--format", "json", "--constitution",
                                   reference_constitution()};
  args.insert(args.end(), extra.begin(), extra.end());
  Outcome o{constable_measured(args, {}, {}, 60), {}};
  o.report = Json::parse(o.run.out, nullptr, false);
  return o;
}

const Json* find(const Outcome& o, std::string_view check, std::string_view path) {
  if (!o.report.is_object() || !o.report.contains("findings")) return nullptr;
  for (const Json& f : o.report["findings"])
    if (f["check"] == check && f["location"]["path"] == path) return &f;
  return nullptr;
}

// Exit code, the run's cost and the known-bad Dockerfile's findings.
void expect_bounded_run(const Outcome& o, std::string_view dockerfile = "bad/Dockerfile") {
  EXPECT_EQ(o.run.exit_code, 1) << o.run.err;
  EXPECT_FALSE(o.run.timed_out);
  EXPECT_LT(o.run.seconds, kMaxSeconds);
  EXPECT_LT(o.run.max_rss_kb, kMaxRssKb);
  ASSERT_TRUE(o.report.is_object()) << o.run.out.substr(0, 2000) << o.run.err;
  for (const char* id : {"docker/non-root-user", "docker/healthcheck", "docker/base-image-tag"})
    EXPECT_NE(find(o, id, dockerfile), nullptr) << id << " missing for " << dockerfile;
}

TEST(CliBudgets, DockerfileArgExpansionBomb) {
  TempDir repo;
  repo.write("bad/Dockerfile", kBadDockerfile);
  std::string bomb = "ARG A1=0123456789abcdef\n";
  for (int i = 2; i <= 40; ++i)
    bomb += "ARG A" + std::to_string(i) + "=$A" + std::to_string(i - 1) + "$A" + std::to_string(i - 1) + "\n";
  bomb += "FROM ubuntu:$A40\n";
  repo.write("bomb/Dockerfile", bomb);
  const Outcome o = check(repo);
  expect_bounded_run(o);
  const Json* error = find(o, "constable/parse-error", "bomb/Dockerfile");
  ASSERT_NE(error, nullptr) << o.run.out.substr(0, 4000);
  EXPECT_EQ((*error)["location"]["line"], 14);
  EXPECT_EQ((*error)["location"]["column"], 5);
  EXPECT_NE((*error)["message"].get<std::string>().find("ARG 'A14' expands to more than 65536 bytes"),
            std::string::npos)
      << (*error)["message"];
  // The bomb's own Dockerfile is still checked.
  EXPECT_NE(find(o, "docker/non-root-user", "bomb/Dockerfile"), nullptr);
}

// A chart whose templates/hostile.yaml is `hostile`, beside the known-bad Dockerfile.
void write_chart_repo(const TempDir& repo, const std::string& hostile, const std::string& values = "") {
  repo.write("bad/Dockerfile", kBadDockerfile);
  repo.write("chart/Chart.yaml", "apiVersion: v2\nname: hostile\nversion: 0.1.0\n");
  repo.write("chart/values.yaml", values);
  repo.write("chart/templates/hostile.yaml", hostile);
}

TEST(CliBudgets, HelmTemplateNesting) {
  const TempDir repo;
  write_chart_repo(repo, "{{ " + std::string(20000, '(') + "1" + std::string(20000, ')') + " }}\n");
  const Outcome o = check(repo);
  expect_bounded_run(o);
  const Json* error = find(o, "constable/render-error", "chart/templates/hostile.yaml");
  ASSERT_NE(error, nullptr) << o.run.out.substr(0, 4000);
  EXPECT_EQ((*error)["location"]["line"], 1);
  EXPECT_EQ((*error)["location"]["column"], 1004);
  EXPECT_NE((*error)["message"].get<std::string>().find("nesting deeper than 1000 levels"), std::string::npos);
}

TEST(CliBudgets, HelmRecursionInsideDeepNesting) {
  const TempDir repo;
  write_chart_repo(repo, "{{ define \"x\" }}{{ " + std::string(999, '(') + "include \"x\" ." + std::string(999, ')') +
                             " }}{{ end }}{{ include \"x\" . }}\n");
  const Outcome o = check(repo);
  expect_bounded_run(o);
  const Json* error = find(o, "constable/render-error", "chart/templates/hostile.yaml");
  ASSERT_NE(error, nullptr) << o.run.out.substr(0, 4000);
  EXPECT_NE((*error)["message"].get<std::string>().find("nested deeper than 10000 levels"), std::string::npos)
      << (*error)["message"];
}

TEST(CliBudgets, HelmTplSelfRecursionMessageIsShort) {
  const TempDir repo;
  write_chart_repo(repo, "{{ tpl .Values.x . }}\n", "x: '{{ tpl .Values.x . }}'\n");
  const Outcome o = check(repo);
  expect_bounded_run(o);
  const Json* error = find(o, "constable/render-error", "chart/templates/hostile.yaml");
  ASSERT_NE(error, nullptr) << o.run.out.substr(0, 4000);
  const std::string message = (*error)["message"];
  EXPECT_LT(message.size(), 1000u) << message.substr(0, 2000);
  EXPECT_NE(message.find("[998 nested tpl calls left out]"), std::string::npos) << message;
  EXPECT_NE(message.find("exceeded maximum template depth (1000)"), std::string::npos) << message;
}

// --- Damaged git objects ---------------------------------------------------

enum class Damage { garbage, truncated, missing };

std::string name_of(Damage d) {
  return d == Damage::garbage ? "garbage" : d == Damage::truncated ? "truncated" : "missing";
}

void damage(const TempDir& repo, const std::string& id, Damage how) {
  const fs::path file = repo.path() / ".git" / "objects" / id.substr(0, 2) / id.substr(2);
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  const std::string original = read_file(file);
  if (how == Damage::missing) {
    fs::remove(file);
    return;
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      << (how == Damage::garbage ? std::string("garbage, not zlib") : original.substr(0, original.size() / 2));
}

std::string rev_parse(const TempDir& repo, const std::string& what) {
  const auto r = run_command({"git", "rev-parse", what}, repo.path());
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Two commits: a.txt changes in the second, which also adds the known-bad
// Dockerfile (new since the first, so --diff reports it).
struct GitRepo {
  TempDir repo;
  std::string base, old_blob, base_tree;
  GitRepo() {
    repo.write("a.txt", "one\n");
    repo.write("sub/b.txt", "bee\n");
    git(repo, {"init", "-q"});
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", "feat: one"});
    base = rev_parse(repo, "HEAD");
    old_blob = rev_parse(repo, "HEAD:a.txt");
    base_tree = rev_parse(repo, "HEAD^{tree}");
    repo.write("a.txt", "two\n");
    repo.write("bad/Dockerfile", kBadDockerfile);
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", "feat: two"});
  }
};

const Json* unreadable_with(const Outcome& o, std::string_view path, std::string_view needle) {
  const Json* f = find(o, "constable/unreadable-file", path);
  if (f == nullptr || (*f)["message"].get<std::string>().find(needle) == std::string::npos) return nullptr;
  return f;
}

TEST(CliBudgets, DamagedBlobIsAFindingInHistoryAndDiff) {
  for (Damage how : {Damage::garbage, Damage::truncated, Damage::missing}) {
    SCOPED_TRACE(name_of(how));
    GitRepo g;
    damage(g.repo, g.old_blob, how);
    const Outcome history = check(g.repo, {"--history"});
    expect_bounded_run(history);
    const Json* f = unreadable_with(history, "a.txt", g.old_blob);
    ASSERT_NE(f, nullptr) << history.run.out.substr(0, 6000);
    EXPECT_NE((*f)["message"].get<std::string>().find("commit " + g.base.substr(0, 7)), std::string::npos)
        << (*f)["message"];

    const Outcome diff = check(g.repo, {"--diff", g.base});
    expect_bounded_run(diff);
    EXPECT_NE(unreadable_with(diff, "a.txt", g.old_blob.substr(0, 7)), nullptr) << diff.run.out.substr(0, 6000);
  }
}

TEST(CliBudgets, DamagedTreeIsAFindingInHistoryAndDiff) {
  for (Damage how : {Damage::garbage, Damage::truncated, Damage::missing}) {
    SCOPED_TRACE(name_of(how));
    GitRepo g;
    damage(g.repo, g.base_tree, how);
    const Outcome history = check(g.repo, {"--history"});
    expect_bounded_run(history);
    EXPECT_NE(unreadable_with(history, ".git", g.base_tree), nullptr) << history.run.out.substr(0, 6000);

    // Nothing to compare with: every finding is reported, and why.
    const Outcome diff = check(g.repo, {"--diff", g.base});
    expect_bounded_run(diff);
    EXPECT_NE(unreadable_with(diff, ".git", "every finding is reported as new"), nullptr)
        << diff.run.out.substr(0, 6000);
  }
}

TEST(CliBudgets, UnknownDiffBaseIsStillAnError) {
  GitRepo g;
  const Outcome o = check(g.repo, {"--diff", "no-such-branch"});
  EXPECT_EQ(o.run.exit_code, 2);
  EXPECT_NE(o.run.err.find("no-such-branch"), std::string::npos) << o.run.err;
}

}  // namespace
}  // namespace constable::testing

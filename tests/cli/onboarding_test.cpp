// A newcomer's constable (issue 12): `init` on real and bundled repositories,
// the schema the file it writes references, `config` without a
// constitution, "did you mean", completion scripts that bash parses and
// completes with, a man page and help kept in sync with the option
// definitions, and the text report's triage options.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "support/config_schema.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

std::string demo_constitution() { return read_file(demo_repo() / ".specify/memory/constitution.md"); }

// A repository with a constitution, a Dockerfile of its own, vendored and
// generated trees, and fixtures.
void write_mixed_repository(const TempDir& repo) {
  repo.write(".specify/memory/constitution.md", demo_constitution());
  repo.write("Dockerfile", "FROM python:3.12-slim\nUSER app\nHEALTHCHECK CMD [\"true\"]\n");
  repo.write("node_modules/left-pad/index.js", "module.exports = 1;\n");
  repo.write("node_modules/left-pad/package.json", "{\"name\": \"left-pad\"}\n");
  repo.write("web/app.js", "console.log(1);\n");
  repo.write("web/vendor/jquery.js", "/* jquery */\n");
  repo.write("api/main.go", "package main\n");
  repo.write("api/gen/orders.pb.go", "package gen\n");
  repo.write("api/gen/users.pb.go", "package gen\n");
  repo.write("testdata/Dockerfile", "FROM ubuntu\n");
}

// Subcommands listed under "Subcommands:" in a --help text.
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> names;
  const auto start = help.find("Subcommands:\n");
  if (start == std::string::npos) return names;
  std::istringstream lines(help.substr(start + 13));
  std::string line;
  while (std::getline(lines, line) && line.starts_with("  ")) {
    const auto name_start = line.find_first_not_of(' ');
    names.push_back(line.substr(name_start, line.find(' ', name_start) - name_start));
  }
  return names;
}

// Every command path: {"check"}, {"baseline", "write"}, ...
std::vector<std::vector<std::string>> every_command() {
  std::vector<std::vector<std::string>> out;
  std::vector<std::vector<std::string>> pending = {{}};
  while (!pending.empty()) {
    auto path = pending.back();
    pending.pop_back();
    auto args = path;
    args.push_back("--help");
    for (const auto& sub : subcommands_in(constable(args).out)) {
      auto child = path;
      child.push_back(sub);
      out.push_back(child);
      pending.push_back(child);
    }
  }
  return out;
}

// The long options a --help text lists.
std::set<std::string> long_options_in(const std::string& help) {
  std::set<std::string> options;
  const auto end = help.find("Examples:");
  const std::string listed = help.substr(0, end);
  static const std::regex kOption(R"((^|[ ,])(--[a-z][a-z-]+))");
  for (auto it = std::sregex_iterator(listed.begin(), listed.end(), kOption); it != std::sregex_iterator(); ++it)
    options.insert((*it)[2]);
  return options;
}

std::string completion(const std::string& shell) {
  auto r = constable({"completion", shell});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// The words bash completion offers for `words`, the cursor on the last.
std::vector<std::string> bash_complete(const fs::path& script, const std::vector<std::string>& words) {
  std::string array;
  for (const auto& w : words) array += " '" + w + "'";
  const std::string program = "source '" + script.string() + "'; COMP_WORDS=(" + array +
                              "); COMP_CWORD=" + std::to_string(words.size() - 1) +
                              "; _constable; printf '%s\\n' \"${COMPREPLY[@]}\"";
  auto r = run_command({"bash", "--norc", "--noprofile", "-c", program});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// --- init ---------------------------------------------------------------

TEST(Init, WritesACommentedConfigWithTheForeignTreesItFound) {
  TempDir repo;
  write_mixed_repository(repo);
  auto r = constable({"init", repo.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string config = read_file(repo.path() / ".constable.yaml");
  EXPECT_TRUE(config.starts_with("# yaml-language-server: $schema=")) << config;
  EXPECT_NE(config.find("constable-config.schema.json"), std::string::npos);
  EXPECT_NE(config.find("constitution: \".specify/memory/constitution.md\""), std::string::npos) << config;
  EXPECT_NE(config.find("  - \"/node_modules/\"  # 2 files, vendored\n"), std::string::npos) << config;
  EXPECT_NE(config.find("  - \"web/vendor/\"  # 1 file, vendored\n"), std::string::npos) << config;
  EXPECT_NE(config.find("  - \"api/gen/\"  # 2 files, generated\n"), std::string::npos) << config;
  // Trees with files of the project's own, and fixtures, are not excluded.
  EXPECT_EQ(config.find("\"/web/\""), std::string::npos) << config;
  EXPECT_EQ(config.find("\"/api/\""), std::string::npos) << config;
  EXPECT_EQ(config.find("\"/testdata/\""), std::string::npos) << config;
  EXPECT_NE(config.find("(1 fixture file here.)"), std::string::npos) << config;

  // The next three commands, and a file constable reads and the schema accepts.
  const auto next = r.out.find("Next:\n");
  ASSERT_NE(next, std::string::npos) << r.out;
  std::size_t commands = 0;
  for (auto at = r.out.find("\n  constable ", next); at != std::string::npos; at = r.out.find("\n  constable ", at + 1))
    ++commands;
  EXPECT_EQ(commands, 3u) << r.out;
  EXPECT_NE(r.out.find("constable baseline write constable-baseline.json"), std::string::npos) << r.out;
  auto shown = constable({"config", repo.path().string()});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("exclude: [\"api/gen/\", \"/node_modules/\", \"web/vendor/\"]"), std::string::npos)
      << shown.out;
  for (const auto& [file, error] : config_schema_errors({repo.path() / ".constable.yaml"})) EXPECT_EQ(error, "") << file;

  // constable reads the file it wrote.
  auto check = constable({"check", repo.path().string(), "--format", "json"});
  EXPECT_NE(check.exit_code, 2) << check.err;
}

TEST(Init, RefusesToOverwriteWithoutForce) {
  TempDir repo;
  write_mixed_repository(repo);
  repo.write(".constable.yaml", "fail_on: high\n");
  auto refused = constable({"init", repo.path().string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("exists"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(repo.path() / ".constable.yaml"), "fail_on: high\n");
  auto forced = constable({"init", repo.path().string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(read_file(repo.path() / ".constable.yaml").find("yaml-language-server"), std::string::npos);
}

TEST(Init, WritesABaselineWhenAsked) {
  TempDir repo;
  write_mixed_repository(repo);
  repo.write("services/api/Dockerfile", "FROM python:3.12-slim\n");  // runs as root, no healthcheck
  const fs::path baseline = repo.path() / "constable-baseline.json";
  auto r = constable({"init", repo.path().string(), "--baseline", baseline.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(baseline));
  EXPECT_NE(r.out.find("finding(s) to"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--baseline " + baseline.string()), std::string::npos) << r.out;
  // The gate it suggests passes today.
  auto gate = constable({"check", repo.path().string(), "--baseline", baseline.string()});
  EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;
  auto all = constable({"check", repo.path().string()});
  EXPECT_EQ(all.exit_code, 1) << all.out;
}

TEST(Init, FindsAMonorepoProjectsConstitution) {
  TempDir repo;
  repo.write("backend/.specify/memory/constitution.md", demo_constitution());
  repo.write("backend/Dockerfile", "FROM python:3.12-slim\nUSER app\nHEALTHCHECK CMD [\"true\"]\n");
  auto r = constable({"init", repo.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(repo.path() / ".constable.yaml").find("constitution: \"backend/.specify/memory/constitution.md\""),
            std::string::npos);
  // Two projects: constable lists them and asks.
  TempDir two;
  two.write("a/.specify/memory/constitution.md", demo_constitution());
  two.write("b/.specify/memory/constitution.md", demo_constitution());
  auto ambiguous = constable({"init", two.path().string()});
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_NE(ambiguous.err.find("--constitution"), std::string::npos) << ambiguous.err;
  EXPECT_FALSE(fs::exists(two.path() / ".constable.yaml"));
}

TEST(Init, WithoutAConstitutionSaysWhereItLooked) {
  TempDir repo;
  repo.write("Dockerfile", "FROM alpine:3.20\n");
  auto r = constable({"init", repo.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("CONSTITUTION.md"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(repo.path() / ".constable.yaml"));
}

// On a copy of each bundled example (its own .constable.yaml removed): the
// file init writes is valid, and checking with it finds what checking
// without it found.
TEST(Init, OnTheBundledExamples) {
  std::vector<fs::path> written;
  std::vector<std::unique_ptr<TempDir>> copies;
  for (const char* example : {"demo-repo", "compliant-repo", "k8s-platform"}) {
    copies.push_back(std::make_unique<TempDir>());
    const fs::path root = copies.back()->path() / example;
    fs::copy(source_dir() / "examples" / example, root, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::remove(root / ".constable.yaml");
    auto before = constable({"check", root.string(), "--format", "json"});
    ASSERT_NE(before.exit_code, 2) << example << ": " << before.err;
    auto init = constable({"init", root.string()});
    ASSERT_EQ(init.exit_code, 0) << example << ": " << init.err;
    EXPECT_NE(init.out.find("Next:"), std::string::npos);
    written.push_back(root / ".constable.yaml");
    auto after = constable({"check", root.string(), "--format", "json"});
    EXPECT_EQ(after.exit_code, before.exit_code) << example << ": " << after.err;
    EXPECT_EQ(nlohmann::json::parse(after.out).at("findings"), nlohmann::json::parse(before.out).at("findings"))
        << example;
  }
  for (const auto& [file, error] : config_schema_errors(written)) EXPECT_EQ(error, "") << file;
}

// --- config, did you mean, colours ---------------------------------------

TEST(Onboarding, ConfigWorksWithoutAConstitution) {
  TempDir repo;
  repo.write(".constable.yaml", "exclude: [\"build/**\"]\nfail_on: none\n");
  auto r = constable({"config", repo.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("constitution: null"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# looked for the constitution in (in order):"), std::string::npos) << r.out;
  for (const char* place : {"--constitution FILE", "CONSTITUTION.md", "docs/constitution.md", "*/.specify/memory"})
    EXPECT_NE(r.out.find(place), std::string::npos) << place << " in " << r.out;
  EXPECT_NE(r.out.find("exclude: [\"build/**\"]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fail_on: none"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("severity_policy: defaults"), std::string::npos) << r.out;

  // With one, it says which and where it was found.
  repo.write("CONSTITUTION.md", demo_constitution());
  auto found = constable({"config", repo.path().string()});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_NE(found.out.find("CONSTITUTION.md  (found)"), std::string::npos) << found.out;
}

TEST(Onboarding, FailOnNoneInTheFileAsOnTheCommandLine) {
  TempDir repo;
  repo.write("CONSTITUTION.md", demo_constitution());
  repo.write("Dockerfile", "FROM python:3.12-slim\n");
  repo.write(".constable.yaml", "fail_on: none\n");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("fail-on none: nothing fails the run"), std::string::npos) << r.out;
  EXPECT_EQ(constable({"check", repo.path().string(), "--fail-on", "low"}).exit_code, 1);
}

TEST(Onboarding, DidYouMean) {
  auto command = constable({"chekc"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("did you mean 'check'?"), std::string::npos) << command.err;
  auto nested = constable({"baseline", "wrte", "b.json"});
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_NE(nested.err.find("did you mean 'write'?"), std::string::npos) << nested.err;
  auto option = constable({"check", "--fial-on", "high"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("did you mean '--fail-on'?"), std::string::npos) << option.err;
  auto check_id = constable({"check", demo_repo().string(), "--select", "docker/healtcheck"});
  EXPECT_EQ(check_id.exit_code, 2);
  EXPECT_NE(check_id.err.find("did you mean 'docker/healthcheck'?"), std::string::npos) << check_id.err;
  auto explain = constable({"explain", "docker/non-rot-user", demo_repo().string()});
  EXPECT_EQ(explain.exit_code, 2);
  EXPECT_NE(explain.err.find("did you mean 'docker/non-root-user'?"), std::string::npos) << explain.err;
  auto clause = constable({"explain", "container-standards/dockerfile-requirements/containers-must-run-as-a-non-rot-user",
                           demo_repo().string()});
  EXPECT_EQ(clause.exit_code, 2);
  EXPECT_NE(clause.err.find("did you mean 'container-standards/dockerfile-requirements/containers-must-run-as-a-non-root-user'"),
            std::string::npos)
      << clause.err;
  TempDir repo;
  repo.write("CONSTITUTION.md", demo_constitution());
  repo.write(".constable.yaml", "sprint_dys: 7\n");
  auto key = constable({"check", repo.path().string()});
  EXPECT_EQ(key.exit_code, 2);
  EXPECT_NE(key.err.find("did you mean 'sprint_days'?"), std::string::npos) << key.err;
}

TEST(Onboarding, ColourIsValidated) {
  auto bad = constable({"check", demo_repo().string(), "--color", "sometimes"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("must be auto, always or never, got 'sometimes'"), std::string::npos) << bad.err;
  EXPECT_NE(constable({"check", demo_repo().string(), "--color", "always"}).out.find("\x1b["), std::string::npos);
  EXPECT_EQ(constable({"check", demo_repo().string(), "--color", "never"}).out.find("\x1b["), std::string::npos);
  // NO_COLOR (set by the test helper) with auto, not on a terminal: none.
  EXPECT_EQ(constable({"check", demo_repo().string(), "--color", "auto"}).out.find("\x1b["), std::string::npos);
}

// --- the text report -----------------------------------------------------

TEST(Triage, TheSummarySaysHowMuchWasChecked) {
  auto r = constable({"check", demo_repo().string()});
  EXPECT_EQ(r.exit_code, 1);
  static const std::regex kFigures(R"(Checked: +[0-9]+ of [0-9]+ clauses enforced, [0-9]+ files checked\.)");
  EXPECT_TRUE(std::regex_search(r.out, kFigures)) << r.out;
  EXPECT_NE(r.out.find("  By check:\n"), std::string::npos);
  EXPECT_NE(r.out.find("  Most severe:\n    critical  "), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("services/"), r.out.find("Summary\n"));  // last by default
  auto first = constable({"check", demo_repo().string(), "--summary", "first"});
  EXPECT_TRUE(first.out.starts_with("Summary\n")) << first.out;
  auto bad = constable({"check", demo_repo().string(), "--summary", "middle"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(Triage, AConstitutionConstableKnowsLittleOfSaysSo) {
  TempDir repo;
  std::string charter = "# Team Charter\n\n## Culture\n";
  for (const char* rule : {"Teams MUST hold a retrospective every sprint", "Every meeting MUST have an agenda",
                           "Teams MUST eat lunch together on Fridays", "Desks MUST be kept tidy",
                           "Managers MUST hold monthly one-to-ones", "New joiners MUST have a buddy",
                           "Holidays MUST be announced two weeks ahead", "Birthdays MUST be celebrated",
                           "Coffee MUST be shared fairly", "Interviews MUST use a scorecard",
                           "Feedback MUST be given in private", "Plants MUST be watered weekly"})
    charter += std::string("- ") + rule + "\n";
  repo.write("CONSTITUTION.md", charter);
  repo.write("README.md", "# Service\n");
  auto r = constable({"check", repo.path().string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Checked:     0 of 12 clauses enforced"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Note:        Only 0 of 12 clauses (0%) are enforced"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("which constable enforces little of (0 of 12 clauses)"), std::string::npos) << r.out;
}

TEST(Triage, QuietMinSeverityAndSort) {
  auto quiet = constable({"check", demo_repo().string(), "-q"});
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_EQ(std::count(quiet.out.begin(), quiet.out.end(), '\n'), 1) << quiet.out;
  EXPECT_NE(quiet.out.find("clauses enforced"), std::string::npos) << quiet.out;

  // --min-severity filters every format; the exit code still counts what it hides.
  auto json = constable({"check", demo_repo().string(), "--format", "json", "--min-severity", "critical"});
  EXPECT_EQ(json.exit_code, 1);
  const auto doc = nlohmann::json::parse(json.out);
  ASSERT_FALSE(doc.at("findings").empty());
  for (const auto& f : doc.at("findings")) EXPECT_EQ(f.at("severity"), "critical") << f.dump();
  auto text = constable({"check", demo_repo().string(), "--min-severity", "critical", "--fail-on", "medium", "-q"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("below critical not shown"), std::string::npos) << text.out;
  auto nothing_shown_fails =
      constable({"check", demo_repo().string(), "--min-severity", "critical", "--fail-on", "high",
                 "--select", "docker/healthcheck"});
  EXPECT_EQ(nothing_shown_fails.exit_code, 1) << nothing_shown_fails.out;
  EXPECT_NE(nothing_shown_fails.out.find("No violations at or above critical"), std::string::npos)
      << nothing_shown_fails.out;

  auto sorted = constable({"check", demo_repo().string(), "--sort", "severity"});
  const auto critical = sorted.out.find("CRITICAL (");
  const auto high = sorted.out.find("HIGH (");
  ASSERT_NE(critical, std::string::npos) << sorted.out;
  ASSERT_NE(high, std::string::npos) << sorted.out;
  EXPECT_LT(critical, high);
}

TEST(Triage, ProgressGoesToStderrOnlyWhenAsked) {
  // Not a terminal, nothing asked: nothing on stderr.
  auto plain = constable({"check", demo_repo().string()});
  EXPECT_EQ(plain.err, "");
  auto forced = constable({"check", demo_repo().string(), "--progress"});
  EXPECT_NE(forced.err.find("constable: discovered "), std::string::npos) << forced.err;
  EXPECT_NE(forced.err.find("constable: checked "), std::string::npos) << forced.err;
  EXPECT_EQ(forced.err.find('\r'), std::string::npos) << "whole lines in a log";
  EXPECT_EQ(forced.out, plain.out);
  auto verbose = constable({"check", demo_repo().string(), "-v", "-j", "3"});
  EXPECT_NE(verbose.err.find("constable: checking services/worker/Dockerfile\n"), std::string::npos) << verbose.err;
  EXPECT_NE(verbose.err.find("constable: constitution: "), std::string::npos) << verbose.err;
  EXPECT_EQ(verbose.err.find(" done in "), std::string::npos);
  auto debug = constable({"check", demo_repo().string(), "--debug"});
  EXPECT_NE(debug.err.find("services/worker/Dockerfile done in "), std::string::npos) << debug.err;
  static const std::regex kPhaseTiming(R"(constable: discovered [0-9]+ files in [0-9.]+ (µs|ms|s)\n)");
  EXPECT_TRUE(std::regex_search(debug.err, kPhaseTiming)) << debug.err;
  auto quiet = constable({"check", demo_repo().string(), "-q", "-v", "--progress"});
  EXPECT_EQ(quiet.err, "");
}

// --- completion, man page, help -------------------------------------------

TEST(Completion, BashParsesTheScriptAndCompletes) {
  const TempDir dir;
  const fs::path script = dir.write("constable.bash", completion("bash"));
  auto syntax = run_command({"bash", "-n", script.string()});
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;

  const auto commands = bash_complete(script, {"constable", "ch"});
  EXPECT_TRUE(contains(commands, "check")) << ::testing::PrintToString(commands);
  EXPECT_TRUE(contains(commands, "checks"));
  EXPECT_FALSE(contains(commands, "init"));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "baseline", "w"}), "write"));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "check", "--col"}), "--color"));
  const auto colours = bash_complete(script, {"constable", "check", "--color", ""});
  EXPECT_EQ(colours, (std::vector<std::string>{"auto", "always", "never"}));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "check", "--format", "sa"}), "sarif"));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "coverage", "--format", ""}), "markdown"));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "check", "--select", "docker/non"}), "docker/non-root-user"));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "explain", "docker/health"}), "docker/healthcheck"));
  EXPECT_TRUE(contains(bash_complete(script, {"constable", "completion", "z"}), "zsh"));
}

TEST(Completion, ZshAndFishScriptsParse) {
  const TempDir dir;
  for (const auto& [shell, file] : {std::pair{"zsh", "_constable"}, std::pair{"fish", "constable.fish"}}) {
    const std::string script = completion(shell);
    EXPECT_NE(script.find("min-severity"), std::string::npos) << shell;
    const fs::path path = dir.write(file, script);
    auto which = run_command({"sh", "-c", std::string("command -v ") + shell});
    if (which.exit_code != 0) {
      std::cout << "[  NOTE    ] " << shell << " is not installed: its script is generated but not parsed\n";
      continue;
    }
    auto syntax = run_command({shell, "-n", path.string()});
    EXPECT_EQ(syntax.exit_code, 0) << shell << ": " << syntax.err;
  }
  auto unknown = constable({"completion", "tcsh"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("must be bash, zsh or fish"), std::string::npos) << unknown.err;
}

TEST(Completion, ManPageAndHelpAgreeWithTheOptionDefinitions) {
  const std::string bash = completion("bash");
  const std::string zsh = completion("zsh");
  const std::string fish = completion("fish");
  auto man = constable({"man"});
  ASSERT_EQ(man.exit_code, 0) << man.err;
  const auto commands = every_command();
  ASSERT_GE(commands.size(), 12u);
  for (const auto& path : commands) {
    auto args = path;
    args.push_back("--help");
    const auto help = constable(args);
    std::string name;
    for (const auto& p : path) name += (name.empty() ? "" : " ") + p;
    EXPECT_NE(help.out.find("Examples:\n  "), std::string::npos) << name << ":\n" << help.out;
    EXPECT_NE(help.out.find("Exit codes:\n  0  "), std::string::npos) << name << ":\n" << help.out;
    EXPECT_NE(man.out.find(".SS \"constable " + name + "\""), std::string::npos) << name;
    for (const auto& option : long_options_in(help.out)) {
      std::string in_roff;
      for (char c : option) in_roff += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_NE(man.out.find("\\fB" + in_roff + "\\fR"), std::string::npos) << name << " " << option;
      EXPECT_NE(bash.find(option), std::string::npos) << name << " " << option;
      EXPECT_NE(zsh.find("'" + option + ":"), std::string::npos) << name << " " << option;
      EXPECT_NE(fish.find(" -l " + option.substr(2)), std::string::npos) << name << " " << option;
    }
  }
}

TEST(Completion, TheCheckedInManPageIsUpToDate) {
  auto r = constable({"man", "--check", "--output", (source_dir() / "docs" / "constable.1").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err << "\nrun `constable man -o docs/constable.1` to regenerate";
  TempDir out;
  const fs::path stale = out.write("constable.1", "old\n");
  EXPECT_EQ(constable({"man", "--check", "--output", stale.string()}).exit_code, 1);
  EXPECT_EQ(read_file(stale), "old\n");
  auto groff = run_command({"sh", "-c", "command -v groff"});
  if (groff.exit_code != 0) {
    std::cout << "[  NOTE    ] groff is not installed: the man page is not rendered\n";
    return;
  }
  auto rendered = run_command({"groff", "-man", "-Tutf8", "-ww", (source_dir() / "docs" / "constable.1").string()});
  EXPECT_EQ(rendered.exit_code, 0);
  EXPECT_EQ(rendered.err, "") << "groff warnings";
}

}  // namespace
}  // namespace constable::testing

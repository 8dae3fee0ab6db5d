// Every check fixture of every domain through the whole engine: discovery,
// the real constitution parser and binding, the runner (parse once,
// suppressions, de-duplication) and findings as users see them.
//
// tests/fixtures/<domain>/<check>/ holds fixtures named fire* or silent*: a
// file, or a directory whose files keep their names (for `.env`-style names).
// Expectations are `# expect: <check-id>[, ...]` comments on the line before
// (`// expect:` in TypeScript and JavaScript);
// `# config: approved_registries=a,b` lines configure the docker options.
// Repository-scope checks run only on fixtures of their own domain.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "app/app.hpp"
#include "code/syntax.hpp"
#include "core/text.hpp"
#include "engine/catalog.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/fixture_expectations.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

// "docker/non-root-user/fire.Dockerfile", "secrets/hardcoded-secret/fire-dotenv", ...
std::vector<std::string> all_fixtures() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& domain : fs::directory_iterator(fixtures_dir(), ec)) {
    if (!domain.is_directory() || domain.path().filename() == "constitution") continue;
    for (const auto& check : fs::directory_iterator(domain.path(), ec)) {
      if (!check.is_directory()) continue;
      for (const auto& fixture : fs::directory_iterator(check.path(), ec)) {
        const auto name = fixture.path().filename().string();
        if (name.starts_with("fire") || name.starts_with("silent"))
          out.push_back(fs::relative(fixture.path(), fixtures_dir()).generic_string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The fixture's files: relative name -> content.
std::vector<std::pair<std::string, std::string>> fixture_files(const fs::path& fixture) {
  std::vector<std::pair<std::string, std::string>> files;
  if (fs::is_regular_file(fixture)) {
    files.emplace_back(fixture.filename().string(), read_file(fixture));
    return files;
  }
  for (const auto& entry : fs::recursive_directory_iterator(fixture))
    if (entry.is_regular_file())
      files.emplace_back(fs::relative(entry.path(), fixture).generic_string(), read_file(entry.path()));
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view item : text::split(value, ','))
    if (!text::trim(item).empty()) out.emplace_back(text::trim(item));
  return out;
}

class CheckFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckFixture, FindingsMatchExpectationsThroughTheEngine) {
  const fs::path fixture = fixtures_dir() / GetParam();
  TempDir repo;
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  std::string config;
  std::map<std::string, FixtureExpectations> expected;
  for (const auto& [name, content] : fixture_files(fixture)) {
    repo.write(name, content);
    const bool markdown = name.ends_with(".md");
    expected[name] = parse_expectations(content, "#", markdown ? PrefixedLines::content : PrefixedLines::comments);
    // TypeScript and JavaScript fixtures annotate with `// expect:` (older
    // ones with `#`, which their checks read as text).
    if (code::language_of(name).value_or(code::Language::python) != code::Language::python) {
      FixtureExpectations slashes = parse_expectations(content, "//", PrefixedLines::content);
      auto& merged = expected[name];
      merged.findings.insert(merged.findings.end(), slashes.findings.begin(), slashes.findings.end());
      merged.errors.insert(merged.errors.end(), slashes.errors.begin(), slashes.errors.end());
      std::sort(merged.findings.begin(), merged.findings.end());
    }
    for (const auto& error : expected[name].errors) ADD_FAILURE() << name << ": " << error;
    for (const auto& [key, value] : expected[name].config) {
      config += fmt::format("docker:\n  {}:\n", key);
      for (const std::string& item : split_list(value)) config += fmt::format("    - \"{}\"\n", item);
    }
  }
  // Checks that look at the repository as a whole (a missing README, the CI
  // pipeline) would fire on every fixture: only those of the fixture's own
  // domain run.
  const std::string domain = GetParam().substr(0, GetParam().find('/'));
  std::string ignored;
  for (const engine::CheckInfo* info : engine::Catalog::builtin().infos())
    if (info->scope == engine::Scope::repository && info->domain != domain)
      ignored += fmt::format("  - \"{}\"\n", info->id);
  if (!ignored.empty()) config += "ignore:\n" + ignored;
  repo.write(".constable.yaml", config);

  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  ASSERT_TRUE(session) << session.error().to_string();
  const auto result = engine::run(session->plan, session->constitution, session->config, session->workspace, {});

  // The check the fixture is about ("kubernetes/probes" of
  // "kubernetes/probes/silent.yaml"): a silent fixture expects none of its
  // findings, though other checks' findings on the same files are expected
  // (and asserted) like any other.
  const std::string subject = GetParam().substr(0, GetParam().find('/', GetParam().find('/') + 1));
  bool any_expected = false;
  for (const auto& [name, expectations] : expected) {
    for (const auto& finding : expectations.findings) any_expected = any_expected || finding.check_id == subject;
    std::vector<ActualFinding> actual;
    for (const engine::Finding& f : result.findings)
      if (f.path == name && !f.suppressed()) {
        // A check reporting one finding per file lists its further places.
        actual.push_back({f.range.line, f.check_id, f.message});
        for (const engine::RelatedLocation& place : f.also_at)
          actual.push_back({place.range.line, f.check_id, place.message});
      }
    const std::string content = read_file(repo.path() / name);
    const std::string diff = compare_findings(expectations, actual, text::split_lines(text::strip_bom(content)));
    EXPECT_EQ(diff, "") << GetParam() << " (" << name << ") does not match its expectations:\n" << diff;
  }
  for (const engine::Finding& f : result.findings)
    EXPECT_TRUE(expected.contains(f.path) || f.path == "CONSTITUTION.md")
        << "finding outside the fixture: " << f.path << " " << f.check_id;
  const std::string name = fixture.filename().string();
  if (name.starts_with("silent")) EXPECT_FALSE(any_expected) << "a silent fixture expects no finding of " << subject;
  else EXPECT_TRUE(any_expected) << "a fire fixture expects findings of " << subject;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CheckFixture, ::testing::ValuesIn(all_fixtures()), test_name);

}  // namespace
}  // namespace constable::testing

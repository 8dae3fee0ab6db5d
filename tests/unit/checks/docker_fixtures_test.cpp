// Runs every docker check on every fixture under tests/fixtures/docker/ and
// compares the findings with the fixture's inline `# expect:` annotations.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "checks/docker/docker_checks.hpp"
#include "core/text.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"
#include "unit/checks/fixture_expectations.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> docker_fixtures() {
  std::vector<std::string> out;
  const fs::path root = fixtures_dir() / "docker";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".Dockerfile") {
      out.push_back(fs::relative(it->path(), root).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view item : text::split(value, ',')) {
    item = text::trim(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

// Options from `# config:` lines; unknown keys are an error.
std::string apply_config(const FixtureExpectations& expectations, engine::Config& config) {
  std::string errors;
  for (const auto& [key, value] : expectations.config) {
    if (key == "approved_registries") {
      config.docker.approved_registries = split_list(value);
    } else if (key == "official_registries") {
      config.docker.official_registries = split_list(value);
    } else {
      errors += fmt::format("unknown config key '{}'\n", key);
    }
  }
  return errors;
}

// What every emission must satisfy, whatever the check.
std::string validate(const Emitted& emitted, const std::vector<std::string_view>& lines) {
  std::string problems;
  const engine::Emission& e = emitted.emission;
  const auto where = fmt::format("{} at {}:{}", emitted.check_id, e.range.line, e.range.column);
  if (e.message.empty()) return where + ": empty message\n";
  if (!(e.message.front() >= 'a' && e.message.front() <= 'z')) problems += where + ": message starts upper-case\n";
  if (e.message.back() == '.') problems += where + ": message ends with a period\n";
  const auto check_range = [&](const SourceRange& r, std::string_view what) {
    if (r.line < 1 || static_cast<std::size_t>(r.line) > lines.size()) {
      problems += fmt::format("{}: {} line {} outside the file\n", where, what, r.line);
      return;
    }
    if (r.column == 0) return;  // a whole-line range
    const auto length = static_cast<int>(lines[static_cast<std::size_t>(r.line - 1)].size());
    if (r.end_line != r.line || r.column < 1 || r.end_column <= r.column || r.end_column > length + 1) {
      problems += fmt::format("{}: bad {} range {}:{}-{}:{}\n", where, what, r.line, r.column, r.end_line,
                              r.end_column);
    }
  };
  check_range(e.range, "finding");
  for (const SourceRange& secret : e.secrets) {
    check_range(secret, "secret");
    if (secret.column >= 1 && static_cast<std::size_t>(secret.line) <= lines.size()) {
      const std::string_view line = lines[static_cast<std::size_t>(secret.line - 1)];
      const auto start = static_cast<std::size_t>(secret.column - 1);
      if (start < line.size()) {
        std::string_view value = line.substr(start, static_cast<std::size_t>(secret.end_column - secret.column));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
          value = value.substr(1, value.size() - 2);
        }
        if (value.size() >= 6 && e.message.find(value) != std::string::npos) {
          problems += where + ": message shows the secret\n";
        }
      }
    }
  }
  return problems;
}

class DockerCheckFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(DockerCheckFixture, FindingsMatchExpectations) {
  const fs::path path = fixtures_dir() / "docker" / GetParam();
  const std::string text = read_file(path);
  FixtureExpectations expectations = parse_expectations(text, "#");
  // Only the docker checks run here; other domains' expectations are checked through the engine below.
  std::erase_if(expectations.findings, [](const ExpectedFinding& e) { return !e.check_id.starts_with("docker/"); });
  engine::Config config;
  const std::string config_errors = apply_config(expectations, config);
  ASSERT_EQ(config_errors, "") << path;

  const TestFileContext file(GetParam(), text, config);
  for (const dockerfile::ParseError& error : file.dockerfile().errors) {
    ADD_FAILURE() << path << ":" << error.line << ":" << error.column << ": parse error: " << error.message;
  }
  const CheckRun run = run_checks(checks::docker::docker_checks(), file);
  for (const std::string& error : run.errors) ADD_FAILURE() << error;

  std::vector<ActualFinding> actual;
  std::string problems;
  for (const Emitted& emitted : run.emitted) {
    actual.push_back({emitted.emission.range.line, emitted.check_id, emitted.emission.message});
    problems += validate(emitted, file.lines());
  }
  EXPECT_EQ(problems, "") << path;
  const std::string diff = compare_findings(expectations, actual, file.lines());
  EXPECT_EQ(diff, "") << path << " does not match its expectations:\n" << diff;

  const std::string name = path.filename().string();
  if (name.starts_with("silent")) {
    EXPECT_TRUE(expectations.findings.empty()) << path << ": a silent fixture expects no finding";
  } else if (name.starts_with("fire")) {
    EXPECT_FALSE(expectations.findings.empty()) << path << ": a fire fixture expects findings";
  } else {
    ADD_FAILURE() << path << ": fixture names start with 'fire' or 'silent'";
  }
}

std::string fixture_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    name.push_back(alnum ? c : '_');
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(DockerCheckFixtures, DockerCheckFixture, ::testing::ValuesIn(docker_fixtures()),
                         fixture_test_name);

}  // namespace
}  // namespace constable::testing

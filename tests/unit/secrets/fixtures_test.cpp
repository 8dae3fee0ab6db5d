// Runs the scanner on every file under tests/fixtures/secrets/ and compares the
// lines of its matches with the files' inline `# expect:` annotations (every
// match is reported as secrets/hardcoded-secret by the check).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "secrets/scanner.hpp"
#include "support/test_support.hpp"
#include "unit/checks/fixture_expectations.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> secret_fixtures() {
  std::vector<std::string> out;
  const fs::path root = fixtures_dir() / "secrets";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) out.push_back(fs::relative(it->path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SecretsFixtures, MatchInlineExpectations) {
  const std::vector<std::string> files = secret_fixtures();
  for (std::string_view required : {".env", ".env.example", "config.yaml", "settings.py", "values.yaml"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), required), files.end()) << required;
  }
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const std::string content = read_file(fixtures_dir() / "secrets" / file);
    const FixtureExpectations expected = parse_expectations(content, "#");
    EXPECT_TRUE(expected.errors.empty()) << file;
    std::vector<ActualFinding> actual;
    for (const secrets::Match& m : secrets::Scanner::builtin().scan(content, file)) {
      actual.push_back({m.line, "secrets/hardcoded-secret", std::string(m.rule_id)});
    }
    const std::vector<std::string_view> lines = text::split_lines(content);
    EXPECT_EQ(compare_findings(expected, actual, lines), "") << file;
    if (file == ".env.example") {
      EXPECT_TRUE(actual.empty());
    } else {
      EXPECT_FALSE(expected.findings.empty()) << file;
    }
  }
}

}  // namespace
}  // namespace constable::testing

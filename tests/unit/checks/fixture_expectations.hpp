#pragma once
// Inline expectations in fixture files, independent of how findings are
// produced (the fixture runners of every domain share this).
//
//   # expect: docker/non-root-user, docker/healthcheck
//   USER root
//
// An expectation comment names the findings the NEXT non-blank, non-comment
// line must carry, exactly. `# config: key=value` lines carry options for the
// runner.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace constable::testing {

struct ExpectedFinding {
  int line = 0;
  std::string check_id;
  friend auto operator<=>(const ExpectedFinding&, const ExpectedFinding&) = default;
};

struct FixtureExpectations {
  std::vector<ExpectedFinding> findings;                     // sorted by line, then id
  std::vector<std::pair<std::string, std::string>> config;  // in file order
  std::vector<std::string> errors;                           // malformed annotations
};

// Whether a line that starts with the comment prefix but is no annotation
// is passed over (a comment in YAML) or is the line an expectation is about
// (a heading in Markdown).
enum class PrefixedLines { comments, content };

// `comment_prefix` is "#" for Dockerfiles, YAML and Markdown.
FixtureExpectations parse_expectations(std::string_view text, std::string_view comment_prefix,
                                       PrefixedLines prefixed = PrefixedLines::comments);

struct ActualFinding {
  int line = 0;
  std::string check_id;
  std::string message;
};

// "" when the findings are exactly the expected ones (as a multiset of
// (line, check id)); otherwise a readable report of what is missing and
// what is unexpected, with the source lines.
std::string compare_findings(const FixtureExpectations& expected, const std::vector<ActualFinding>& actual,
                             const std::vector<std::string_view>& lines);

}  // namespace constable::testing

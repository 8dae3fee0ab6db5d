#include <gtest/gtest.h>

#include "core/text.hpp"
#include "engine/suppression.hpp"

namespace constable::engine {
namespace {

std::vector<InlineSuppression> parse(std::string_view text) { return find_suppressions(text::split_lines(text)); }

TEST(EngineSuppression, CoversOwnLineAndNextCodeLine) {
  const auto found = parse(
      "FROM alpine:3.20\n"
      "# constable:ignore[docker/non-root-user, docker/healthcheck] reason=\"needs root for the mount\" until=2027-01-31\n"
      "\n"
      "# another comment\n"
      "USER root\n");
  ASSERT_EQ(found.size(), 1u);
  const auto& s = found[0];
  EXPECT_EQ(s.line, 2);
  EXPECT_EQ(s.target_line, 5);
  EXPECT_EQ(s.checks, (std::vector<std::string>{"docker/non-root-user", "docker/healthcheck"}));
  EXPECT_EQ(s.reason, "needs root for the mount");
  EXPECT_EQ(s.until, Date::parse("2027-01-31"));
  EXPECT_TRUE(s.problem.empty()) << s.problem;
  EXPECT_FALSE(s.file_wide);
}

// Documentation that shows the syntax, and a program that holds it in a
// string, suppress nothing and are not invalid suppressions.
TEST(EngineSuppression, QuotedOrFencedMarkersAreExamples) {
  EXPECT_TRUE(parse("Write `# constable:ignore[CHECK] reason=\"...\" until=YYYY-MM-DD` above the line.\n").empty());
  EXPECT_TRUE(parse("constexpr auto kMarker = \"constable:ignore[\";\n").empty());
  EXPECT_TRUE(parse("```dockerfile\n# constable:ignore[docker/healthcheck]\nFROM x\n```\n").empty());
  // A marker in a string with escaped quotes, and one written inside another
  // comment (`//   # constable:ignore[...]`), are examples too.
  EXPECT_TRUE(parse("EXPECT_TRUE(parse(\"kMarker = \\\"constable:ignore[\\\";\"));\n").empty());
  EXPECT_TRUE(parse("//   # constable:ignore[docker/healthcheck] reason=\"batch job\"\n").empty());
  EXPECT_TRUE(parse(" * # constable:ignore[docker/healthcheck] reason=r\n").empty());
  EXPECT_TRUE(parse("//\t#\tconstable:ignore[docker/healthcheck] reason=r\n").empty());
  EXPECT_EQ(parse("// constable:ignore[docker/healthcheck] reason=r\nFROM x\n").size(), 1u);
  EXPECT_EQ(parse("RUN make # constable:ignore[docker/healthcheck] reason=r\n").size(), 1u);
  EXPECT_EQ(parse("x = \"a\\\\\" # constable:ignore[docker/healthcheck] reason=r\n").size(), 1u);
  // After the fence, and after a closed quote, a marker is a comment again.
  EXPECT_EQ(parse("```\nx\n```\n# constable:ignore[docker/healthcheck] reason=r\nFROM x\n").size(), 1u);
  EXPECT_EQ(parse("env: \"a\" # constable:ignore[secrets] reason=r\n").size(), 1u);
}

TEST(EngineSuppression, FileWideAndUnquotedReason) {
  const auto found = parse("# constable:ignore-file[docker] reason=vendored\nFROM x\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].file_wide);
  EXPECT_EQ(found[0].reason, "vendored");
  EXPECT_EQ(found[0].target_line, 0);
}

TEST(EngineSuppression, ProblemsAreReported) {
  EXPECT_NE(parse("# constable:ignore[docker/healthcheck]\nFROM x\n")[0].problem.find("reason is required"),
            std::string::npos);
  EXPECT_NE(parse("# constable:ignore[docker/healthcheck] reason=\"\"\n")[0].problem.find("reason"), std::string::npos);
  EXPECT_NE(parse("# constable:ignore[] reason=x\n")[0].problem.find("no check id"), std::string::npos);
  EXPECT_NE(parse("# constable:ignore docker reason=x\n")[0].problem.find("expected"), std::string::npos);
  EXPECT_NE(parse("# constable:ignore[a] reason=x until=tomorrow\n")[0].problem.find("not a date"), std::string::npos);
}

TEST(EngineSuppression, LastLineTargetsItself) {
  const auto found = parse("FROM x\nUSER root # constable:ignore[docker/non-root-user] reason=\"r\"");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].target_line, 2);
}

}  // namespace
}  // namespace constable::engine

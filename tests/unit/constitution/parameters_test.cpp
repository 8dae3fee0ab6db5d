#include <gtest/gtest.h>

#include <fmt/format.h>

#include "constitution/parameters.hpp"

namespace constable::constitution {
namespace {

using std::chrono::milliseconds;

TEST(ParametersCapture, Percentage) {
  EXPECT_EQ(capture_percentage("Maximum unavailable pods: 25%"), 25.0);
  EXPECT_EQ(capture_percentage("Dead letter queue rate: < 0.1%"), 0.1);
  EXPECT_EQ(capture_percentage("match actual usage (±20%)"), 20.0);
  EXPECT_FALSE(capture_percentage("no percentage here"));
}

TEST(ParametersCapture, Integer) {
  EXPECT_EQ(capture_integer("Topics MUST have minimum 3 partitions"), 3);
  EXPECT_EQ(capture_integer("Deployment history limit: 10 revisions"), 10);
  EXPECT_EQ(capture_integer("TLS 1.3+ with 2 ciphers"), 2);
  EXPECT_FALSE(capture_integer("none"));
  EXPECT_FALSE(capture_integer("99999999999999999999999"));
}

TEST(ParametersCapture, IntegerBeforeUnit) {
  EXPECT_EQ(capture_integer_before("history limit: 10 revisions", {"revisions"}), 10);
  EXPECT_EQ(capture_integer_before("Level 2 with 3 Partitions", {"partitions"}), 3);
  EXPECT_EQ(capture_integer_before("Maximum subagent depth: 3 levels", {"level"}), 3);
  EXPECT_FALSE(capture_integer_before("10 revisions", {"levels"}));
}

TEST(ParametersCapture, SizeInBytes) {
  EXPECT_EQ(capture_size_bytes("route-level chunks < 200KB gzipped"), 204800U);
  EXPECT_EQ(capture_size_bytes("2 KiB"), 2048U);
  EXPECT_EQ(capture_size_bytes("1.5 MB"), 1572864U);
  EXPECT_EQ(capture_size_bytes("1MiB"), 1048576U);
  EXPECT_EQ(capture_size_bytes("at most 1 GB"), 1073741824U);
  EXPECT_EQ(capture_size_bytes("1 GiB"), 1073741824U);
  EXPECT_FALSE(capture_size_bytes("200 KBps? no: 200 apples"));
}

TEST(ParametersCapture, Duration) {
  EXPECT_EQ(capture_duration("LCP: < 2.5s"), milliseconds(2500));
  EXPECT_EQ(capture_duration("FID: < 100ms"), milliseconds(100));
  EXPECT_EQ(capture_duration("24-hour resolution"), milliseconds(24LL * 3600 * 1000));
  EXPECT_EQ(capture_duration("7-day resolution"), milliseconds(7LL * 86400 * 1000));
  EXPECT_EQ(capture_duration("fixed within 48 hours"), milliseconds(48LL * 3600 * 1000));
  EXPECT_EQ(capture_duration("minimum 2 weeks"), milliseconds(14LL * 86400 * 1000));
  EXPECT_EQ(capture_duration("6 months in advance"), milliseconds(180LL * 86400 * 1000));
  EXPECT_EQ(capture_duration("under 15 minutes"), milliseconds(15LL * 60 * 1000));
  EXPECT_FALSE(capture_duration("3 services"));
  EXPECT_FALSE(capture_duration("no time"));
}

TEST(ParametersCapture, List) {
  EXPECT_EQ(capture_list("Environment isolation: dev, staging, production namespaces"),
            (std::vector<std::string>{"dev", "staging", "production"}));
  EXPECT_EQ(capture_list("(Alpine/distroless/slim preferred)"),
            (std::vector<std::string>{"Alpine", "distroless", "slim"}));
  EXPECT_EQ(capture_list("Skaffold or Tilt MUST be used"), (std::vector<std::string>{"Skaffold", "Tilt"}));
  EXPECT_EQ(capture_list("Critical, Warning, Info"), (std::vector<std::string>{"Critical", "Warning", "Info"}));
}

TEST(ParametersCapture, Parentheticals) {
  EXPECT_EQ(capture_parentheticals("Image size MUST be minimized (Alpine Linux preferred for production)"),
            (std::vector<std::string>{"Alpine Linux preferred for production"}));
  EXPECT_EQ(capture_parentheticals("a (b (c)) d (e) ()"), (std::vector<std::string>{"b (c)", "e"}));
  EXPECT_TRUE(capture_parentheticals("none (unclosed").empty());
}

TEST(ParametersCapture, TreeWithBoxDrawing) {
  const auto tree = capture_tree(
      "chart/\n"
      "├── Chart.yaml          # Chart metadata (version, dependencies)\n"
      "├── values.yaml         # Default configuration values\n"
      "├── templates/          # Kubernetes manifest templates\n"
      "│   ├── deployment.yaml\n"
      "│   └── _helpers.tpl    # Template helpers\n"
      "└── tests/              # Helm test definitions\n");
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->root, "chart/");
  ASSERT_EQ(tree->entries.size(), 6U);
  const std::vector<std::string> paths{"Chart.yaml", "values.yaml", "templates/", "templates/deployment.yaml",
                                       "templates/_helpers.tpl", "tests/"};
  for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(tree->entries[i].path, paths[i]);
  EXPECT_FALSE(tree->entries[0].directory);
  EXPECT_TRUE(tree->entries[2].directory);
  EXPECT_TRUE(tree->entries[5].directory);
  EXPECT_EQ(tree->entries[0].comment, "Chart metadata (version, dependencies)");
  EXPECT_EQ(tree->entries[4].comment, "Template helpers");
  EXPECT_EQ(tree->entries[3].comment, "");
  EXPECT_EQ(tree->entries[0].line_offset, 1);
  EXPECT_EQ(tree->entries[4].line_offset, 5);
}

TEST(ParametersCapture, TreeWithIndentationAndAscii) {
  const auto indented = capture_tree("src/\n  main.cpp\n  lib/\n    util.cpp\ntests/\n  a_test.cpp\n");
  ASSERT_TRUE(indented);
  EXPECT_EQ(indented->root, "");
  ASSERT_EQ(indented->entries.size(), 6U);
  EXPECT_EQ(indented->entries[0].path, "src/");
  EXPECT_EQ(indented->entries[3].path, "src/lib/util.cpp");
  EXPECT_EQ(indented->entries[4].path, "tests/");
  EXPECT_EQ(indented->entries.back().path, "tests/a_test.cpp");

  const auto ascii = capture_tree("app/\n|-- main.py\n`-- pkg\n    `-- mod.py\n");
  ASSERT_TRUE(ascii);
  EXPECT_EQ(ascii->root, "app/");
  ASSERT_EQ(ascii->entries.size(), 3U);
  EXPECT_EQ(ascii->entries[0].path, "main.py");
  EXPECT_EQ(ascii->entries[1].path, "pkg/");  // has children, so a directory
  EXPECT_TRUE(ascii->entries[1].directory);
  EXPECT_EQ(ascii->entries[2].path, "pkg/mod.py");

  EXPECT_FALSE(capture_tree(""));
  EXPECT_FALSE(capture_tree("\n   \n"));
}

}  // namespace
}  // namespace constable::constitution

namespace constable::constitution {
namespace {

std::vector<std::string> described(std::string_view text) {
  std::vector<std::string> out;
  for (const Quantity& q : quantities(text)) {
    const char* bound = q.bound == Bound::at_least ? ">=" : q.bound == Bound::at_most ? "<=" : "?";
    out.push_back(fmt::format("{}{}[{}]", bound, q.value, q.unit));
  }
  return out;
}

TEST(ParametersQuantities, ReferenceClauses) {
  using V = std::vector<std::string>;
  EXPECT_EQ(described("Unit Tests: Minimum 80% code coverage"), (V{">=80[%]"}));
  EXPECT_EQ(described("Bundle size MUST be monitored; route-level chunks < 200KB gzipped"), (V{"<=200[KB]"}));
  EXPECT_EQ(described("Flaky tests MUST be fixed within 48 hours or disabled"), (V{"<=48[hours]"}));
  EXPECT_EQ(described("Maximum subagent depth: 3 levels"), (V{"<=3[level]"}));
  EXPECT_EQ(described("P95 latency: < 500ms"), (V{"<=500[ms]"}));
  EXPECT_EQ(described("Breaking changes require 6-month transition period"), (V{"?6[month]"}));
  EXPECT_EQ(described("Topics MUST have minimum 3 partitions for scalability"), (V{">=3[partition]"}));
  EXPECT_EQ(described("Community feedback period (minimum 2 weeks)"), (V{">=2[weeks]"}));
  EXPECT_EQ(described("Query timeouts MUST be configured (default: 30s)"), (V{"?30[s]"}));
  EXPECT_EQ(described("REST APIs MUST follow Richardson Maturity Model Level 2 minimum"), (V{">=2[]"}));
  EXPECT_EQ(described("Data in transit MUST use TLS 1.3+"), (V{">=1.3[]"}));
  EXPECT_EQ(described("Error responses MUST follow RFC 7807 (Problem Details)"), (V{}));
  EXPECT_EQ(described("Semantic versioning for releases: v1.2.3; P99 and sha-abc1234"), (V{}));
  EXPECT_EQ(described("Tier 1 - Infrastructure Agents"), (V{}));
}

TEST(ParametersQuantities, DirectionOfAChange) {
  const auto one = [](std::string_view text) { return quantities(text).front(); };
  EXPECT_EQ(direction(one("Minimum 80% coverage"), one("Minimum 85% coverage")), Direction::tightened);
  EXPECT_EQ(direction(one("Minimum 80% coverage"), one("Minimum 70% coverage")), Direction::loosened);
  EXPECT_EQ(direction(one("within 7 days"), one("within 48 hours")), Direction::tightened);
  EXPECT_EQ(direction(one("< 200KB gzipped"), one("< 1MB gzipped")), Direction::loosened);
  EXPECT_EQ(direction(one("within 7 days"), one("within 1 week")), Direction::same);
  EXPECT_EQ(direction(one("Maximum unavailable pods: 25%"), one("Maximum unavailable pods: 20%")), Direction::tightened);
  EXPECT_EQ(direction(one("6-month transition"), one("3-month transition")), Direction::unknown);
  EXPECT_EQ(direction(one("minimum 3 partitions"), one("minimum 3 replicas")), Direction::unknown);
}

}  // namespace
}  // namespace constable::constitution

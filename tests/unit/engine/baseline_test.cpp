// Baseline JSON read back: malformed documents are errors, never exceptions
// (cases found by fuzz/baseline_fuzzer.cpp).

#include <gtest/gtest.h>

#include "engine/baseline.hpp"

namespace constable::engine {
namespace {

TEST(ParseBaseline, ReadsEntries) {
  const auto baseline = parse_baseline(
      R"({"version": 1, "created": "2026-01-15", "findings": [{"fingerprint": "f1", "check": "docker/x", "path": "Dockerfile", "line": 3}]})",
      "b.json");
  ASSERT_TRUE(baseline) << baseline.error().message;
  ASSERT_EQ(baseline->entries.size(), 1u);
  EXPECT_EQ(baseline->entries[0].path, "Dockerfile");
  EXPECT_EQ(baseline->created.to_string(), "2026-01-15");
}

TEST(ParseBaseline, VersionOfAnotherTypeIsAnError) {
  for (const char* json : {R"({"version": "1", "findings": []})", R"({"version": null, "findings": []})",
                           R"({"version": [1], "findings": []})"}) {
    const auto baseline = parse_baseline(json, "b.json");
    ASSERT_FALSE(baseline) << json;
    EXPECT_EQ(baseline.error().message, "unsupported baseline version (expected 1)");
    EXPECT_EQ(baseline.error().path, "b.json");
  }
}

TEST(ParseBaseline, CreatedOfAnotherTypeIsIgnored) {
  const auto baseline = parse_baseline(R"({"version": 1, "created": 20260115, "findings": []})", "b.json");
  ASSERT_TRUE(baseline) << baseline.error().message;
  EXPECT_TRUE(baseline->entries.empty());
}

}  // namespace
}  // namespace constable::engine

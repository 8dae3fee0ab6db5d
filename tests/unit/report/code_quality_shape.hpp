#pragma once
// The documented shape of a GitLab Code Quality report (docs.gitlab.com,
// ci/testing/code_quality, "Code Quality report format"), checked key by key:
// shared by the renderer's unit tests and the CLI tests.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace constable::report::testing {

// Every issue has a string description, check_name and fingerprint, a
// severity GitLab knows, and a location with a relative file path and an
// integer line >= 1; fingerprints are unique (GitLab keys issues by them).
inline void expect_code_quality_shape(const nlohmann::json& report) {
  ASSERT_TRUE(report.is_array()) << report.dump();
  static const std::set<std::string> kSeverities = {"info", "minor", "major", "critical", "blocker"};
  std::set<std::string> fingerprints;
  for (const auto& issue : report) {
    SCOPED_TRACE(issue.dump());
    ASSERT_TRUE(issue.is_object());
    for (const char* key : {"description", "check_name", "fingerprint", "severity"}) {
      ASSERT_TRUE(issue.contains(key) && issue[key].is_string()) << key;
      EXPECT_FALSE(issue[key].get<std::string>().empty()) << key;
    }
    EXPECT_TRUE(kSeverities.contains(issue["severity"].get<std::string>()));
    EXPECT_TRUE(fingerprints.insert(issue["fingerprint"].get<std::string>()).second) << "duplicate fingerprint";
    ASSERT_TRUE(issue.contains("location") && issue["location"].is_object());
    const auto& location = issue["location"];
    ASSERT_TRUE(location.contains("path") && location["path"].is_string());
    const std::string path = location["path"];
    EXPECT_FALSE(path.empty());
    EXPECT_NE(path.front(), '/') << "absolute path";
    EXPECT_FALSE(path.starts_with("../") || path.starts_with("./")) << path;
    EXPECT_NE(path, ".");
    EXPECT_NE(path.back(), '/') << "a directory";
    ASSERT_TRUE(location.contains("lines") && location["lines"].is_object());
    ASSERT_TRUE(location["lines"].contains("begin") && location["lines"]["begin"].is_number_integer());
    EXPECT_GE(location["lines"]["begin"].get<int>(), 1);
  }
}

}  // namespace constable::report::testing

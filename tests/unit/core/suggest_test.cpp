// "Did you mean": edit distance and the closest known name.

#include <gtest/gtest.h>

#include "core/suggest.hpp"

namespace constable::text {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(edit_distance("check", "check"), 0u);
  EXPECT_EQ(edit_distance("chek", "check"), 1u);     // insertion
  EXPECT_EQ(edit_distance("checks", "check"), 1u);   // deletion
  EXPECT_EQ(edit_distance("chock", "check"), 1u);    // substitution
  EXPECT_EQ(edit_distance("chekc", "check"), 1u);    // adjacent transposition
  EXPECT_EQ(edit_distance("", "init"), 4u);
  EXPECT_EQ(edit_distance("CHECK", "check"), 0u);    // ASCII case is folded
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(EditDistance, StopsPastTheLimit) {
  EXPECT_EQ(edit_distance("a", "abcdefghij", 3), 4u);
  EXPECT_EQ(edit_distance("abcdefgh", "hgfedcba", 2), 3u);
}

TEST(ClosestMatch, SuggestsOnlyWhatIsCloseEnoughToBeATypo) {
  const std::vector<std::string_view> commands = {"check", "checks", "coverage", "config", "init", "explain"};
  EXPECT_EQ(closest_match("chekc", commands), "check");
  EXPECT_EQ(closest_match("explian", commands), "explain");
  EXPECT_EQ(closest_match("cnofig", commands), "config");
  EXPECT_EQ(closest_match("Init", commands), "init");  // differs only in case
  EXPECT_EQ(closest_match("deploy", commands), std::nullopt);
  EXPECT_EQ(closest_match("x", commands), std::nullopt);
  EXPECT_EQ(closest_match("", commands), std::nullopt);
  EXPECT_EQ(closest_match("check", commands), std::nullopt);  // a known name is no typo
}

TEST(ClosestMatch, LongIdsAllowMoreEdits) {
  const std::vector<std::string_view> ids = {"docker/healthcheck", "docker/non-root-user", "kubernetes/resource-limits"};
  EXPECT_EQ(closest_match("docker/healtcheck", ids), "docker/healthcheck");
  EXPECT_EQ(closest_match("docker/nonroot-usr", ids), "docker/non-root-user");
  EXPECT_EQ(closest_match("kubernetes/probes", ids), std::nullopt);
}

TEST(DidYouMean, IsASentenceTailOrNothing) {
  const std::vector<std::string_view> keys = {"exclude", "include", "select", "ignore"};
  EXPECT_EQ(did_you_mean("exlude", keys), "; did you mean 'exclude'?");
  EXPECT_EQ(did_you_mean("production", keys), "");
}

}  // namespace
}  // namespace constable::text

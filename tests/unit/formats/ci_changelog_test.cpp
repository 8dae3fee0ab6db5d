// The Keep a Changelog parser and SemVer precedence.

#include <gtest/gtest.h>

#include "formats/changelog/changelog.hpp"

namespace constable::changelog {
namespace {

TEST(Changelog, ReleasesSectionsLinksAndLines) {
  const Changelog log = parse(
      "# Changelog\n"
      "\n"
      "## [Unreleased]\n"
      "### Added\n"
      "- New thing\n"
      "## [1.2.0] - 2026-02-01\n"
      "- loose entry\n"
      "### Improvements\n"
      "## 1.1.0 - 2026-01-01\n"
      "## [1.0.0] - 2026-01-01 [YANKED]\n"
      "## Release notes\n"
      "```\n"
      "## [9.9.9] - 2030-01-01\n"
      "```\n"
      "[Unreleased]: https://x/compare/v1.2.0...HEAD\n"
      "[1.2.0]: https://x/compare/v1.1.0...v1.2.0\n");
  EXPECT_EQ(log.title, "Changelog");
  ASSERT_EQ(log.releases.size(), 5u);  // the fenced heading is not one
  EXPECT_TRUE(log.releases[0].unreleased);
  EXPECT_TRUE(log.releases[0].well_formed);
  ASSERT_EQ(log.releases[0].sections.size(), 1u);
  EXPECT_EQ(log.releases[0].sections[0].line, 4);
  EXPECT_EQ(log.releases[1].version, "1.2.0");
  EXPECT_EQ(log.releases[1].date, "2026-02-01");
  EXPECT_EQ(log.releases[1].loose_entries, (std::vector<int>{7}));
  EXPECT_EQ(log.releases[1].sections[0].name, "Improvements");
  EXPECT_TRUE(log.releases[2].well_formed);
  EXPECT_FALSE(log.releases[2].bracketed);
  EXPECT_TRUE(log.releases[3].yanked);
  EXPECT_FALSE(log.releases[4].well_formed);
  ASSERT_EQ(log.links.size(), 2u);
  EXPECT_EQ(log.links[1].label, "1.2.0");
  EXPECT_EQ(log.links[1].line, 16);
}

TEST(Changelog, MalformedHeadings) {
  const Changelog log = parse("## [1.0.0]\n## [Unreleased] - 2026-01-01\n## [1.0.0 - 2026-01-01\n## v2.0.0 - 2026-01-01\n");
  ASSERT_EQ(log.releases.size(), 4u);
  EXPECT_FALSE(log.releases[0].well_formed);  // a release needs its date
  EXPECT_FALSE(log.releases[1].well_formed);  // Unreleased has none
  EXPECT_FALSE(log.releases[2].well_formed);
  EXPECT_TRUE(log.releases[3].well_formed);
  EXPECT_EQ(log.releases[3].version, "2.0.0");
  EXPECT_TRUE(parse("").releases.empty());
}

TEST(SemVer, Precedence) {
  EXPECT_EQ(compare_semver("1.10.0", "1.9.0"), 1);
  EXPECT_EQ(compare_semver("1.0.0", "1.0.0+build.5"), 0);
  EXPECT_EQ(compare_semver("1.0.0-rc.1", "1.0.0"), -1);
  EXPECT_EQ(compare_semver("1.0.0-alpha", "1.0.0-alpha.1"), -1);
  EXPECT_EQ(compare_semver("1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);
  EXPECT_EQ(compare_semver("1.0.0-rc.11", "1.0.0-rc.2"), 1);
  EXPECT_FALSE(compare_semver("1.0", "1.0.0"));
  EXPECT_FALSE(is_semver("01.0.0"));
  EXPECT_FALSE(is_semver("1.0.0-"));
  EXPECT_TRUE(is_semver("v1.2.3-rc.1+sha.abc"));
}

}  // namespace
}  // namespace constable::changelog

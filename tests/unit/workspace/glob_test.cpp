#include "workspace/glob.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace constable::workspace {
namespace {

struct Case {
  std::string_view pattern;
  std::string_view path;
  bool is_dir;
  bool expected;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << "pattern '" << c.pattern << "' path '" << c.path << "'" << (c.is_dir ? " (dir)" : "") << " expect "
            << c.expected;
}

// Every rule of `man gitignore`, base "" (the root .gitignore).
const std::vector<Case> kCases = {
    // Plain names match at any depth, files and directories.
    {"foo", "foo", false, true},
    {"foo", "a/foo", false, true},
    {"foo", "a/b/foo", true, true},
    {"foo", "foobar", false, false},
    {"foo", "barfoo", false, false},
    {"foo", "foo/bar", false, false},  // the directory is ignored, not matched by path
    // Trailing slash: directories only; man page `frotz/` vs `doc/frotz/`.
    {"frotz/", "frotz", true, true},
    {"frotz/", "frotz", false, false},
    {"frotz/", "a/frotz", true, true},
    {"doc/frotz/", "doc/frotz", true, true},
    {"doc/frotz/", "doc/frotz", false, false},
    {"doc/frotz/", "a/doc/frotz", true, false},
    {"doc/frotz", "doc/frotz", false, true},
    {"doc/frotz", "x/doc/frotz", false, false},
    // Leading or middle slash anchors; man page `/*.c` vs `*.c` vs `**/*.c`.
    {"/*.c", "cat-file.c", false, true},
    {"/*.c", "mozilla-sha1/sha1.c", false, false},
    {"*.c", "mozilla-sha1/sha1.c", false, true},
    {"**/*.c", "mozilla-sha1/sha1.c", false, true},
    {"**/*.c", "cat-file.c", false, true},
    {"/foo", "foo", false, true},
    {"/foo", "a/foo", false, false},
    // `*` and `?` do not cross '/': man page `foo/*`.
    {"foo/*", "foo/test.json", false, true},
    {"foo/*", "foo/bar", true, true},
    {"foo/*", "foo/bar/hello.c", false, false},
    {"a/*.txt", "a/b/c.txt", false, false},
    {"x/a?b", "x/a/b", false, false},
    {"x/a?b", "x/acb", false, true},
    {"?.txt", "a.txt", false, true},
    {"?.txt", "ab.txt", false, false},
    {"*", "anything", false, true},
    {"*", "deep/er/file", false, true},
    {"*.txt", "dir.txt", true, true},
    // Leading `**/`.
    {"**/foo", "foo", false, true},
    {"**/foo", "a/b/foo", true, true},
    {"**/foo/bar", "foo/bar", false, true},
    {"**/foo/bar", "x/y/foo/bar", false, true},
    {"**/foo/bar", "x/foo/baz", false, false},
    // Trailing `/**`: everything inside, not the directory itself.
    {"abc/**", "abc/x", false, true},
    {"abc/**", "abc/x/y/z", false, true},
    {"abc/**", "abc", true, false},
    {"abc/**", "x/abc/y", false, false},
    // `/**/` in the middle: zero or more directories.
    {"a/**/b", "a/b", false, true},
    {"a/**/b", "a/x/b", false, true},
    {"a/**/b", "a/x/y/b", false, true},
    {"a/**/b", "a/xb", false, false},
    {"a/**/b", "ab", false, false},
    {"a/**/b", "x/a/b", false, false},
    // `**` not alone in a component acts like `*`.
    {"a**b/c", "axyb/c", false, true},
    {"a**b/c", "ax/yb/c", false, false},
    // Character classes.
    {"[a-c].txt", "b.txt", false, true},
    {"[a-c].txt", "d.txt", false, false},
    {"[!a-c].txt", "d.txt", false, true},
    {"[!a-c].txt", "a.txt", false, false},
    {"[^a].txt", "a.txt", false, false},
    {"[^a].txt", "z.txt", false, true},
    {"[]]", "]", false, true},
    {"[[:digit:]]x", "1x", false, true},
    {"[[:digit:]]x", "ax", false, false},
    {"x[/]y", "x/y", false, false},
    {"[abc", "a", false, false},  // unterminated class matches nothing
    // Escapes.
    {"\\!important", "!important", false, true},
    {"\\#file", "#file", false, true},
    {"\\*", "*", false, true},
    {"\\*", "a", false, false},
    {"\\?", "?", false, true},
    {"\\[a]", "[a]", false, true},
    {"\\[a]", "a", false, false},
    // Trailing spaces are trimmed unless escaped.
    {"foo   ", "foo", false, true},
    {"foo\\ ", "foo ", false, true},
    {"foo\\ ", "foo", false, false},
    // Negation: the pattern itself still matches.
    {"!foo", "foo", false, true},
    {"!*.log", "a/b.log", false, true},
};

TEST(GlobPatternTest, TableOfGitignoreRules) {
  for (const auto& c : kCases) {
    GlobPattern pattern;
    ASSERT_TRUE(GlobPattern::parse(c.pattern, "", pattern)) << c;
    EXPECT_EQ(pattern.matches(c.path, c.is_dir), c.expected) << c;
  }
}

TEST(GlobPatternTest, BlankLinesCommentsAndEmptyPatternsAreNotPatterns) {
  GlobPattern pattern;
  for (const std::string_view line : {"", "   ", "#comment", "# foo", "!", "/", "!/", "//"}) {
    EXPECT_FALSE(GlobPattern::parse(line, "", pattern)) << "'" << line << "'";
  }
  EXPECT_TRUE(GlobPattern::parse(" #not-a-comment", "", pattern));
}

TEST(GlobPatternTest, NegationFlagAndText) {
  GlobPattern pattern;
  ASSERT_TRUE(GlobPattern::parse("!keep.log  ", "", pattern));
  EXPECT_TRUE(pattern.negated());
  EXPECT_EQ(pattern.text(), "!keep.log");
  ASSERT_TRUE(GlobPattern::parse("\\!keep.log", "", pattern));
  EXPECT_FALSE(pattern.negated());
}

TEST(GlobPatternTest, BaseDirectoryScopesPatterns) {
  GlobPattern name;
  ASSERT_TRUE(GlobPattern::parse("*.log", "sub", name));
  EXPECT_TRUE(name.matches("sub/a.log", false));
  EXPECT_TRUE(name.matches("sub/x/a.log", false));
  EXPECT_FALSE(name.matches("a.log", false));
  EXPECT_FALSE(name.matches("subway/a.log", false));

  GlobPattern rooted;
  ASSERT_TRUE(GlobPattern::parse("/x.log", "sub", rooted));
  EXPECT_TRUE(rooted.matches("sub/x.log", false));
  EXPECT_FALSE(rooted.matches("sub/y/x.log", false));
  EXPECT_FALSE(rooted.matches("x.log", false));

  GlobPattern middle;
  ASSERT_TRUE(GlobPattern::parse("y/x.log", "a/sub", middle));
  EXPECT_TRUE(middle.matches("a/sub/y/x.log", false));
  EXPECT_FALSE(middle.matches("a/sub/z/y/x.log", false));

  GlobPattern deep;
  ASSERT_TRUE(GlobPattern::parse("**/gen", "sub", deep));
  EXPECT_TRUE(deep.matches("sub/gen", true));
  EXPECT_TRUE(deep.matches("sub/a/b/gen", true));
  EXPECT_FALSE(deep.matches("gen", true));
}

TEST(GlobPatternTest, PathologicalPatternsTerminate) {
  GlobPattern pattern;
  ASSERT_TRUE(GlobPattern::parse("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "", pattern));
  EXPECT_FALSE(pattern.matches(std::string(200, 'a'), false));
  ASSERT_TRUE(GlobPattern::parse("**/**/**/**/**/**/**/**/**/**/**/**/x", "", pattern));
  std::string deep;
  for (int i = 0; i < 60; ++i) deep += "d/";
  EXPECT_FALSE(pattern.matches(deep + "y", false));
  EXPECT_TRUE(pattern.matches(deep + "x", false));
  ASSERT_TRUE(GlobPattern::parse("**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b", "", pattern));
  std::string as;
  for (int i = 0; i < 80; ++i) as += "a/";
  EXPECT_FALSE(pattern.matches(as + "c", false));  // terminates (budget), no match
  EXPECT_FALSE(GlobPattern::parse(std::string(10000, '*'), "", pattern));
  // Odd but harmless inputs.
  for (const std::string_view line : {"[", "[!", "[[:", "[[:bogus:]]", "\\", "a\\", "[a-", "[z-a]"}) {
    if (GlobPattern::parse(line, "", pattern)) {
      EXPECT_FALSE(pattern.matches("a", false)) << line;
    }
  }
}

TEST(GlobIgnoreRulesTest, LastMatchWins) {
  IgnoreRules rules;
  rules.add_lines("# logs\n*.log\n!keep.log\n\nbuild/\n", "");
  EXPECT_EQ(rules.ignored("a.log", false), std::optional<bool>(true));
  EXPECT_EQ(rules.ignored("x/keep.log", false), std::optional<bool>(false));
  EXPECT_EQ(rules.ignored("build", true), std::optional<bool>(true));
  EXPECT_EQ(rules.ignored("build", false), std::nullopt);
  EXPECT_EQ(rules.ignored("README.md", false), std::nullopt);

  IgnoreRules reversed;
  reversed.add_lines("!keep.log\r\n*.log\r\n", "");
  EXPECT_EQ(reversed.ignored("keep.log", false), std::optional<bool>(true));
  EXPECT_FALSE(reversed.empty());
  EXPECT_TRUE(IgnoreRules{}.empty());
}

TEST(GlobIgnoreRulesTest, IndexKeepsGitSemanticsAcrossPatternKinds) {
  IgnoreRules rules;
  // Patterns with and without a literal tail, anchored, negated, escaped.
  rules.add_lines("*.log\n**/b\nout/*.tmp\n!important.log\nsecret\\*\n/only-root\n*\n!*.md\n!src\n!src/**\n", "");
  EXPECT_EQ(rules.ignored("docs/README.md", false), std::optional<bool>(false)) << "the last pattern wins";
  EXPECT_EQ(rules.ignored("src", true), std::optional<bool>(false));
  EXPECT_EQ(rules.ignored("src/a/important.log", false), std::optional<bool>(false));
  EXPECT_EQ(rules.ignored("x/b", false), std::optional<bool>(true)) << "'*' comes after '!important.log'";

  IgnoreRules tails;
  tails.add_lines("**/b\nsecret\\*\nout/*.tmp\n!keep/out/*.tmp\na/**/c\n", "");
  EXPECT_EQ(tails.ignored("b", false), std::optional<bool>(true)) << "'**/' matches no directory too";
  EXPECT_EQ(tails.ignored("secret*", false), std::optional<bool>(true));
  EXPECT_EQ(tails.ignored("secrets", false), std::nullopt);
  EXPECT_EQ(tails.ignored("out/x.tmp", false), std::optional<bool>(true));
  EXPECT_EQ(tails.ignored("keep/out/x.tmp", false), std::optional<bool>(false));
  EXPECT_EQ(tails.ignored("a/c", false), std::optional<bool>(true));
  EXPECT_EQ(tails.ignored("a/x/y/c", true), std::optional<bool>(true));
  EXPECT_EQ(tails.ignored("c", false), std::nullopt);
}

TEST(GlobIgnoreRulesTest, HundredThousandPatternsStillMeanLastMatchWins) {
  std::string lines;
  for (int i = 0; i < 100000; ++i) lines += "generated-" + std::to_string(i) + "/**/*.tmp" + std::to_string(i) + "\n";
  lines += "*.tmp99999\n!keep/*.tmp99999\n";
  IgnoreRules rules;
  rules.add_lines(lines, "");
  EXPECT_EQ(rules.ignored("src/a.txt", false), std::nullopt);
  EXPECT_EQ(rules.ignored("generated-42/x/y.tmp42", false), std::optional<bool>(true));
  EXPECT_EQ(rules.ignored("generated-42/x/y.tmp43", false), std::nullopt);
  EXPECT_EQ(rules.ignored("any/z.tmp99999", false), std::optional<bool>(true));
  EXPECT_EQ(rules.ignored("keep/z.tmp99999", false), std::optional<bool>(false));
}

TEST(GlobMatchesTest, ConfigGlobs) {
  EXPECT_TRUE(glob_matches("*.md", "README.md"));
  EXPECT_TRUE(glob_matches("*.md", "docs/guide/intro.md"));
  EXPECT_FALSE(glob_matches("*.md", "docs/guide/intro.mdx"));
  EXPECT_TRUE(glob_matches("vendor/**", "vendor/lib/a.go"));
  EXPECT_FALSE(glob_matches("vendor/**", "src/vendor/a.go"));
  EXPECT_TRUE(glob_matches("services/legacy/**", "services/legacy/api/Dockerfile"));
  EXPECT_FALSE(glob_matches("services/legacy/**", "services/legacy-new/Dockerfile"));
  EXPECT_TRUE(glob_matches("services/legacy/Dockerfile", "services/legacy/Dockerfile"));
  EXPECT_TRUE(glob_matches("Dockerfile", "a/b/Dockerfile"));
  // A path inside a matching directory matches, as in git.
  EXPECT_TRUE(glob_matches("vendor", "vendor/a.go"));
  EXPECT_TRUE(glob_matches("docs/", "docs/a.md"));
  EXPECT_FALSE(glob_matches("docs/", "docs"));
  EXPECT_TRUE(glob_matches("/build", "./build/out.txt"));
  EXPECT_FALSE(glob_matches("", "anything"));
  EXPECT_FALSE(glob_matches("# comment", "# comment"));
}

}  // namespace
}  // namespace constable::workspace

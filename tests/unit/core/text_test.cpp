#include <gtest/gtest.h>

#include "core/date.hpp"
#include "core/text.hpp"

namespace constable::text {
namespace {

TEST(CoreText, SplitLinesHandlesEveryTerminator) {
  EXPECT_EQ(split_lines("a\nb\r\nc\rd"), (std::vector<std::string_view>{"a", "b", "c", "d"}));
  EXPECT_EQ(split_lines("a\n"), (std::vector<std::string_view>{"a"}));
  EXPECT_EQ(split_lines("\n\n"), (std::vector<std::string_view>{"", ""}));
  EXPECT_TRUE(split_lines("").empty());
}

// Text without '\r' takes a faster path: it splits as the general one does.
TEST(CoreText, SplitLinesWithAndWithoutCarriageReturnsAgree) {
  EXPECT_EQ(split_lines("a\n\nb"), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(split_lines("\n"), (std::vector<std::string_view>{""}));
  EXPECT_EQ(split_lines("no newline"), (std::vector<std::string_view>{"no newline"}));
  std::string unix_text;
  for (int i = 0; i < 500; ++i) unix_text += std::string(static_cast<std::size_t>(i % 7), 'x') + "\n";
  std::string dos_text;
  for (const auto line : split_lines(unix_text)) dos_text += std::string(line) + "\r\n";
  EXPECT_EQ(split_lines(unix_text), split_lines(dos_text));
  EXPECT_EQ(split_lines(unix_text).size(), 500u);
}

TEST(CoreText, IcontainsIgnoresCaseWherePrefixesRepeat) {
  EXPECT_TRUE(icontains("Content-Security-Policy", "content-security-policy"));
  EXPECT_TRUE(icontains("xxAaAB", "aab"));     // candidates in both cases, the match after a false start
  EXPECT_TRUE(icontains("ab", "AB"));          // the whole haystack
  EXPECT_FALSE(icontains("aaaa", "aab"));
  EXPECT_FALSE(icontains("short", "much longer"));
  EXPECT_TRUE(icontains("anything", ""));
  EXPECT_TRUE(icontains("1-2_3", "-2_"));      // characters with no case
  EXPECT_FALSE(icontains("abc", "bcd"));       // a candidate too close to the end
}

// icontains anchors its search on the needle's rarest byte, wherever it is:
// every needle cut from a text, in every case, against a plain reference.
TEST(CoreText, IcontainsAgreesWithAFoldedFindWhereverItsRarestByteIs) {
  const std::string haystack = "Trace sampling: ParentBased(TraceIdRatioBased) x-q_z\nsamplER 1.0 qz";
  const std::string folded = text::to_lower(haystack);
  for (std::size_t start = 0; start < haystack.size(); ++start)
    for (std::size_t length = 1; length <= 9 && start + length <= haystack.size(); ++length)
      for (const std::string& needle :
           {haystack.substr(start, length), to_upper(haystack.substr(start, length)),
            to_lower(haystack.substr(start, length))}) {
        EXPECT_TRUE(icontains(haystack, needle)) << needle;
        const std::string absent = needle + "#";
        EXPECT_EQ(icontains(haystack, absent), folded.find(to_lower(absent)) != std::string::npos) << absent;
      }
  EXPECT_TRUE(icontains("zq", "ZQ"));        // the rarest byte first and last
  EXPECT_FALSE(icontains("q", "xq"));        // a rare byte before any room for the needle
  EXPECT_FALSE(icontains("sampxq", "ampq"));
}

TEST(CoreText, ContainsAgreesWithFind) {
  using namespace std::literals;
  const std::string_view text = "asyncap asyncapi: 3.0.0\nspecversion\0binary after a NUL"sv;
  for (const std::string_view needle : {"asyncapi"sv, "asyncapi:"sv, "specversion"sv, "binary"sv, "after a NUL"sv, ""sv,
                                        "a"sv, "asyncapx"sv, "NUL!"sv, "\0binary"sv, "n\0b"sv}) {
    EXPECT_EQ(text::contains(text, needle), text.find(needle) != std::string_view::npos) << needle;
  }
  EXPECT_TRUE(text::contains(text, "\0binary"sv)) << "past a NUL byte";
  EXPECT_TRUE(text::contains("", ""));
  EXPECT_FALSE(text::contains("", "a"));
  EXPECT_FALSE(text::contains("ab", "abc"));
  // An empty view may hold a null pointer (an empty file's text): never passed on.
  EXPECT_FALSE(text::contains(std::string_view{}, "a"));
  EXPECT_TRUE(text::contains(std::string_view{}, std::string_view{}));
  EXPECT_TRUE(text::contains("a", std::string_view{}));
}

// text::find is std::string_view::find, faster: every needle length (the
// short ones take another path), every start, past the end included.
TEST(CoreText, FindAgreesWithStringViewFindFromEveryStart) {
  using namespace std::literals;
  const std::string_view text = "expr: up\n  expression: {{ .x }}\0k6 expr\"  :"sv;
  for (const std::string_view needle : {"e"sv, "ex"sv, "expr"sv, "{{"sv, "k6"sv, "\0k"sv, "expr\""sv, ""sv, "zz"sv,
                                        "not there"sv}) {
    for (std::size_t from = 0; from <= text.size() + 1; ++from)
      EXPECT_EQ(text::find(text, needle, from), text.find(needle, from)) << needle << " from " << from;
  }
  EXPECT_EQ(text::find(std::string_view{}, "a"), std::string_view::npos);
  EXPECT_EQ(text::find(std::string_view{}, ""), 0U);
}

// find() looks for a needle's rarest byte first and hands a text dense with
// that byte to memmem: every substring of texts built to take each path
// (near misses, the anchor at either end, a run of one byte) is found where
// std::string_view::find finds it, from every start.
TEST(CoreText, FindAgreesWithStringViewFindForEverySubstring) {
  using namespace std::literals;
  std::string dense(300, 'q');
  dense += "qqz qQz";
  for (const std::string_view text : {"matchExpressions: [expr] expr: x Expr"sv, "zzqzzq zq zqz QZ z"sv,
                                      std::string_view{dense}}) {
    for (std::size_t at = 0; at < text.size(); ++at) {
      for (std::size_t length = 3; length <= 12 && at + length <= text.size(); ++length) {
        const std::string_view needle = text.substr(at, length);
        for (std::size_t from = 0; from <= text.size(); from += 7)
          ASSERT_EQ(text::find(text, needle, from), text.find(needle, from)) << needle << " from " << from;
      }
    }
    for (const std::string_view absent : {"qqqqx"sv, "zqzqz"sv, "exprs"sv, "QQZ"sv})
      EXPECT_EQ(text::find(text, absent), text.find(absent)) << absent;
  }
}

// CodepointColumns answers as codepoint_column does, from every byte column
// of a line of mixed one- to four-byte characters, past its end included.
TEST(CoreText, CodepointColumnsAgreeWithCountingFromTheStart) {
  std::string line;
  for (int i = 0; line.size() < 3 * CodepointColumns::kStride + 17; ++i)
    line += i % 4 == 0 ? "é" : i % 4 == 1 ? "日" : i % 4 == 2 ? "😀" : "a";
  const std::string_view whole = line;
  for (const std::string_view text : {whole, whole.substr(0, CodepointColumns::kStride), std::string_view()}) {
    const CodepointColumns columns(text);
    for (int byte = 0; byte <= static_cast<int>(text.size()) + 3; ++byte)
      ASSERT_EQ(columns.of(byte), codepoint_column(text, byte)) << "byte column " << byte << " of " << text.size();
  }
}

TEST(CoreText, Slugify) {
  EXPECT_EQ(slugify("Non-root user MUST be specified"), "non-root-user-must-be-specified");
  EXPECT_EQ(slugify("  Use {{ include }} over {{ template }}!"), "use-include-over-template");
  EXPECT_EQ(slugify("All development SHALL begin with comprehensive, machine-readable specs", 6),
            "all-development-shall-begin-with-comprehensive");
  EXPECT_EQ(slugify("one two", 1), "one");
  EXPECT_EQ(slugify("***"), "");
}

TEST(CoreText, Utf8) {
  EXPECT_FALSE(first_invalid_utf8("plain ascii, café, 日本"));
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), 0u) << "overlong encoding";
  EXPECT_EQ(first_invalid_utf8("\xed\xa0\x80"), 0u) << "surrogate";
  // Past runs of ASCII read eight bytes at a time, at every offset.
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xff';
    EXPECT_EQ(first_invalid_utf8(text), at);
    text[at] = '\xc3';  // the first byte of 'é' with nothing after it where at is last
    if (at + 1 < text.size()) text[at + 1] = '\xa9';
    EXPECT_EQ(first_invalid_utf8(text), at + 1 < text.size() ? std::nullopt : std::optional<std::size_t>(at));
  }
  EXPECT_FALSE(first_invalid_utf8(std::string(1000, 'a') + "日本" + std::string(13, 'b')));
  EXPECT_EQ(sanitize_utf8("a\xffz"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(codepoint_column("café x", 7), 6);
  EXPECT_EQ(strip_bom("\xEF\xBB\xBFx"), "x");
  EXPECT_TRUE(looks_binary(std::string_view("a\0b", 3)));
}

TEST(CoreText, RedactNeverShowsTheWholeValue) {
  EXPECT_EQ(redact("sk_live_51HxQ2eKf8vT3mZpL0aB9cD7"), "sk_l…(32 chars)");
  EXPECT_EQ(redact("hunter2"), "h…(7 chars)");
  EXPECT_EQ(redact("abc"), "…(3 chars)");
  EXPECT_EQ(redact(""), "…(0 chars)");
}

TEST(CoreText, HashIsStable) {
  EXPECT_EQ(hex64(fnv1a64("")), "cbf29ce484222325");
  EXPECT_EQ(hex64(fnv1a64("a")), "af63dc4c8601ec8c");
}

TEST(CoreDate, ParseAndArithmetic) {
  EXPECT_EQ(Date::parse("2026-11-22")->plus_days(10).to_string(), "2026-12-02");
  EXPECT_EQ(Date::parse("2028-02-28")->plus_days(1).to_string(), "2028-02-29");
  EXPECT_FALSE(Date::parse("2026-02-30"));
  EXPECT_FALSE(Date::parse("2026-1-01"));
  EXPECT_FALSE(Date::parse("tomorrow!!"));
  EXPECT_LT(*Date::parse("2026-01-01"), *Date::parse("2026-01-02"));
}

}  // namespace
}  // namespace constable::text

TEST(Shorten, KeepsWhatFitsAndCutsAtACharacterBoundary) {
  EXPECT_EQ(constable::text::shorten("short", 10), "short");
  EXPECT_EQ(constable::text::shorten("exactly10!", 10), "exactly10!");
  EXPECT_EQ(constable::text::shorten("abcdefghijkl", 10), "abcdefg\u2026");
  // "é" is two bytes: a cut inside it backs up to before it.
  const std::string cut = constable::text::shorten("abcdef\u00e9\u00e9\u00e9", 10);
  EXPECT_EQ(cut, "abcdef\u2026");
  EXPECT_LE(cut.size(), 10u);
  EXPECT_EQ(constable::text::shorten("abcdef", 2), "");
}

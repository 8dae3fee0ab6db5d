// The headings the docs checks read: ATX and setext, outside fences, with
// their lines, whatever the line terminators.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checks/docs/docs_support.hpp"

namespace constable::checks::docs {
namespace {

std::vector<std::string> shown(std::string_view markdown) {
  std::vector<std::string> out;
  for (const auto& h : headings(markdown)) out.push_back(std::to_string(h.level) + ":" + h.text + "@" + std::to_string(h.line));
  return out;
}

TEST(DocsHeadings, AtxSetextAndFences) {
  const std::string markdown =
      "\xEF\xBB\xBF# Title #\n"
      "text\n"
      "Setext one\n"
      "===\n"
      "```\n"
      "# not a heading\n"
      "```\n"
      "    # indented code\n"
      "Setext two\n"
      "--\n"
      "- item\n"
      "---\n"
      "###### Six\n"
      "####### seven is text\n"
      "Last line\n"
      "==";
  const std::vector<std::string> expected = {"1:Title@1", "1:Setext one@3", "2:Setext two@9", "6:Six@13",
                                             "1:Last line@15"};
  EXPECT_EQ(shown(markdown), expected);
  std::string crlf;
  for (const char c : markdown) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(shown(crlf), expected);
  std::string cr = markdown;
  for (char& c : cr)
    if (c == '\n') c = '\r';
  EXPECT_EQ(shown(cr), expected);
}

TEST(DocsHeadings, AHeadingOnTheLastLineAndNoneAtAll) {
  EXPECT_EQ(shown("text\n## End"), (std::vector<std::string>{"2:End@2"}));
  EXPECT_TRUE(shown("").empty());
  EXPECT_TRUE(shown("just text\nand more\n").empty());
}

}  // namespace
}  // namespace constable::checks::docs

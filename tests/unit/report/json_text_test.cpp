// JsonText writes what nlohmann's dump(2) writes for the same document, so
// the JSON report stays byte-identical whichever of the two wrote a part.

#include "report/json_text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

#include "core/text.hpp"

namespace constable::report {
namespace {

using Json = nlohmann::ordered_json;

// `doc` through JsonText, starting `depth` spaces in.
void write(JsonText& out, const Json& doc) {
  switch (doc.type()) {
    case Json::value_t::object:
      out.begin_object();
      for (const auto& [name, value] : doc.items()) {
        out.key(name);
        write(out, value);
      }
      out.end_object();
      return;
    case Json::value_t::array:
      out.begin_array();
      for (const auto& value : doc) write(out, value);
      out.end_array();
      return;
    case Json::value_t::string: out.string(doc.get<std::string>()); return;
    case Json::value_t::number_integer: out.number(doc.get<std::int64_t>()); return;
    case Json::value_t::number_unsigned: out.unsigned_number(doc.get<std::uint64_t>()); return;
    case Json::value_t::boolean: out.boolean(doc.get<bool>()); return;
    default: out.null(); return;
  }
}

std::string through_writer(const Json& doc, int depth = 0) {
  std::string out;
  JsonText text(out, depth);
  write(text, doc);
  return out;
}

TEST(JsonText, MatchesNlohmannOnNestedDocuments) {
  const Json doc = Json::parse(R"({
    "a": 1, "b": -7, "c": 18446744073709551615, "d": true, "e": false, "f": null,
    "empty_object": {}, "empty_array": [], "nested": {"x": [1, [2, []], {"y": {}}], "z": "s"},
    "list": [{"k": 1}, {"k": [null, false]}]
  })");
  EXPECT_EQ(through_writer(doc), doc.dump(2));
}

TEST(JsonText, EscapesAsNlohmannDoes) {
  std::string every_byte_below_0x80;
  for (int c = 0; c < 0x80; ++c) every_byte_below_0x80 += static_cast<char>(c);
  for (const std::string& s : {every_byte_below_0x80, std::string("quote \" back \\ slash / é 漢 😀 \x7F"),
                               std::string("\xC2\x85 next line, \xE2\x80\xA8 line separator")}) {
    const Json doc = Json{{"key \"\n", s}};
    EXPECT_EQ(through_writer(doc), doc.dump(2, ' ', false, Json::error_handler_t::replace)) << s;
  }
}

TEST(JsonText, InvalidUtf8IsReplacedAsTheReportsCleanDoes) {
  // The reporters pass text through sanitize_utf8 before nlohmann sees it.
  for (const std::string s : {"\xFF", "a\xC3", "\xED\xA0\x80 surrogate", "\xC0\xAF overlong", "\xF4\x90\x80\x80"}) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(out, Json(text::sanitize_utf8(s)).dump()) << s;
  }
}

TEST(JsonText, MatchesNlohmannOnRandomStrings) {
  std::mt19937 random(20261204);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    for (int i = length(random); i > 0; --i) s += static_cast<char>(byte(random));
    std::string out;
    append_json_string(out, s);
    ASSERT_EQ(out, Json(text::sanitize_utf8(s)).dump()) << "round " << round;
  }
}

TEST(JsonText, FindsEveryByteThatNeedsALookWhereverItIs) {
  // The scan takes eight bytes at a time: each byte value at each place of
  // a plain string, across several words and a tail.
  for (int value = 0; value < 0x100; ++value) {
    for (std::size_t at = 0; at < 25; ++at) {
      std::string s(25, 'a');
      s[at] = static_cast<char>(value);
      std::string out;
      append_json_string(out, s);
      ASSERT_EQ(out, Json(text::sanitize_utf8(s)).dump()) << "byte " << value << " at " << at;
    }
  }
}

TEST(JsonText, StartsAtTheGivenDepth) {
  const Json doc = Json{{"a", Json::array({1, 2})}};
  const std::string dumped = doc.dump(2);
  std::string expected;
  for (const std::string_view line : text::split_lines(dumped)) {
    expected += expected.empty() ? "" : "\n    ";
    expected += line;
  }
  EXPECT_EQ(through_writer(doc, 4), expected);
}

}  // namespace
}  // namespace constable::report

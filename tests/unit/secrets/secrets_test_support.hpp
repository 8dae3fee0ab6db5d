#pragma once
// Helpers of the secret scanner tests. Fake tokens are generated at run time
// (deterministic pseudo-random bodies) so that no test source or fixture holds
// a literal credential that another scanner would flag.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "secrets/scanner.hpp"

namespace constable::secrets::testing {

inline constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kUpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
inline constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
inline constexpr std::string_view kHex = "0123456789abcdef";
inline constexpr std::string_view kDigits = "0123456789";
inline constexpr std::string_view kPassword = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrsuvwxyz23456789!%*+-=?@^_";

// `n` characters of `alphabet`, deterministic for a given seed.
inline std::string random_string(std::size_t n, std::string_view alphabet, std::uint64_t seed) {
  std::string out;
  out.reserve(n);
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
  for (std::size_t i = 0; i < n; ++i) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    const std::uint64_t r = state * 0x2545F4914F6CDD1DULL;
    out.push_back(alphabet[static_cast<std::size_t>((r >> 33) % alphabet.size())]);
  }
  return out;
}

// Base64 lines of a PEM body.
inline std::string pem_body(std::size_t lines, std::uint64_t seed, std::string_view eol = "\n") {
  std::string out;
  for (std::size_t i = 0; i < lines; ++i) {
    out += random_string(64, kBase64, seed + i);
    out += eol;
  }
  return out;
}

inline std::vector<Match> scan(std::string_view text, std::string_view path = "config/app.yaml") {
  return Scanner::builtin().scan(text, path);
}

// 1-based line and byte column of `offset`, counted independently of the scanner.
inline std::pair<int, int> line_column(std::string_view text, std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start + 1)};
}

// Exactly one match, of `rule_id`, covering exactly `value` (its first occurrence in `text`).
inline void expect_single(std::string_view text, std::string_view path, std::string_view rule_id,
                          std::string_view value) {
  SCOPED_TRACE(::testing::Message() << "rule " << rule_id << " in " << path);
  const std::vector<Match> matches = scan(text, path);
  ASSERT_EQ(matches.size(), 1U) << text;
  const Match& m = matches.front();
  EXPECT_EQ(m.rule_id, rule_id);
  const std::size_t expected_offset = text.find(value);
  ASSERT_NE(expected_offset, std::string_view::npos);
  EXPECT_EQ(m.offset, expected_offset);
  EXPECT_EQ(m.length, value.size());
  EXPECT_EQ(text.substr(m.offset, m.length), value);
  const auto [line, column] = line_column(text, expected_offset);
  EXPECT_EQ(m.line, line);
  EXPECT_EQ(m.column, column);
  const auto [end_line, end_column] = line_column(text, expected_offset + value.size());
  EXPECT_EQ(m.end_line, end_line);
  EXPECT_EQ(m.end_column, end_column);
  EXPECT_GT(m.entropy, 0.0);
}

inline void expect_silent(std::string_view text, std::string_view path = "config/app.yaml") {
  const std::vector<Match> matches = scan(text, path);
  EXPECT_TRUE(matches.empty()) << "in " << path << ": " << text << "\n  first match: "
                               << (matches.empty() ? std::string_view{} : matches.front().rule_id) << " -> "
                               << (matches.empty() ? std::string_view{}
                                                   : text.substr(matches.front().offset, matches.front().length));
}

}  // namespace constable::secrets::testing

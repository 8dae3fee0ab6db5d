// Snippets and messages never show a secret: every secret of the file on the
// line is redacted, not only the one the finding's check marked, and each
// once, however the ranges overlap.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.hpp"
#include "engine/snippet.hpp"
#include "unit/secrets/secrets_test_support.hpp"

namespace constable::engine {
namespace {

using secrets::testing::kAlnum;
using secrets::testing::kBase64;
using secrets::testing::kBase64Url;
using secrets::testing::kDigits;
using secrets::testing::pem_body;
using secrets::testing::random_string;

// 1-based byte column of `part` in `line`.
int column_of(std::string_view line, std::string_view part) {
  const auto at = line.find(part);
  EXPECT_NE(at, std::string_view::npos) << part;
  return static_cast<int>(at) + 1;
}

SourceRange range_of(std::string_view line, std::string_view part, int line_number = 1) {
  const int column = column_of(line, part);
  return {line_number, column, line_number, column + static_cast<int>(part.size())};
}

// No run of `min` characters of `secret` appears in `shown`.
void expect_hidden(std::string_view shown, std::string_view secret, std::size_t min = 8) {
  for (std::size_t i = 0; i + min <= secret.size(); ++i)
    ASSERT_EQ(shown.find(secret.substr(i, min)), std::string_view::npos)
        << "shows '" << secret.substr(i, min) << "' of the secret in: " << shown;
}

TEST(EngineSnippet, OverlappingRangesAreRedactedOnceAndWhole) {
  const std::string secret = random_string(32, kAlnum, 1);
  const std::string line = "KEY=" + secret + " # note";
  const int c = column_of(line, secret);
  // The second range starts inside the first and ends after it: nothing of it may show.
  const std::vector<SourceRange> ranges{{1, c, 1, c + 10}, {1, c + 5, 1, c + 32}, {1, c, 1, c + 32}};
  const std::string shown = make_snippet(line, 1, ranges);
  expect_hidden(shown, secret, 5);
  EXPECT_EQ(shown, "KEY=" + text::redact(secret) + " # note");
}

TEST(EngineSnippet, RangesPastTheLineWholeLinesAndSpanningSecrets) {
  const std::string line = "password: " + random_string(20, kAlnum, 2);
  // Past the end of the line: clamped, not a crash.
  EXPECT_EQ(make_snippet(line, 1, std::vector<SourceRange>{{1, 11, 1, 400}}),
            "password: " + text::redact(line.substr(10)));
  EXPECT_EQ(make_snippet(line, 1, std::vector<SourceRange>{{1, 900, 1, 950}}), line);
  // To the end of the line: end on a later line, or no end column.
  const std::string value_hidden = "password: " + text::redact(line.substr(10));
  EXPECT_EQ(make_snippet(line, 1, std::vector<SourceRange>{{1, 11, 3, 5}}), value_hidden);
  EXPECT_EQ(make_snippet(line, 1, std::vector<SourceRange>{{1, 11, 1, 0}}), value_hidden);
  // A secret marked on the whole line (column unknown), or begun on an earlier line.
  EXPECT_EQ(make_snippet(line, 1, std::vector<SourceRange>{SourceRange::at_line(1)}), "[redacted]");
  EXPECT_EQ(make_snippet(line, 4, std::vector<SourceRange>{{2, 3, 6, 10}}), "[redacted]");
  EXPECT_EQ(make_snippet(line, 6, std::vector<SourceRange>{{2, 3, 6, 10}}), "[redacted]");
  // Secrets of other lines change nothing.
  EXPECT_EQ(make_snippet(line, 1, std::vector<SourceRange>{{2, 1, 2, 9}, SourceRange::whole_file()}), line);
}

TEST(EngineSnippet, EverySecretOfTheFileOnTheLine) {
  const std::string slack = "xoxb-" + random_string(12, kDigits, 3) + "-" + random_string(24, kAlnum, 4);
  const std::string jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + random_string(40, kBase64Url, 5) + "." +
                          random_string(43, kBase64Url, 6);
  const std::string password = random_string(18, kAlnum, 7);
  const std::string run = "RUN curl -H \"Authorization: Bearer " + jwt + "\" --data token=" + slack +
                          " https://x && psql postgres://app:" + password + "@db.internal:5432/app";
  const std::string text = "FROM alpine:3.20\n" + run + "\nUSER app\n";
  const FileSecrets file(text, "Dockerfile");
  EXPECT_TRUE(file.on_line(1).empty());
  EXPECT_TRUE(file.on_line(3).empty());
  const auto on_run = file.on_line(2);
  ASSERT_EQ(on_run.size(), 3U);
  // The finding's own check marked only the password.
  const std::vector<SourceRange> own{range_of(run, password, 2)};
  const std::string shown = make_snippet(run, 2, own, on_run);
  for (const std::string& secret : {slack, jwt, password}) expect_hidden(shown, secret);
  EXPECT_NE(shown.find("RUN curl -H \"Authorization: Bearer "), std::string::npos) << shown;
  EXPECT_NE(shown.find("@db.internal:5432/app"), std::string::npos) << shown;
}

TEST(EngineSnippet, ALineOfManySecretsCostsEachFindingABoundedAmount) {
  // One minified line: 20,000 tokens, each reported by its own finding.
  std::string line = "const tokens = [";
  for (std::uint64_t i = 0; i < 20000; ++i) line += "'ghp_" + random_string(36, kAlnum, 100 + i) + "', ";
  line += "];";
  const FileSecrets file(line, "web/bundle.min.js");
  const auto detected = file.on_line(1);
  ASSERT_GT(detected.size(), 19900U);  // a random body may spell a placeholder word
  const std::string first = make_snippet(line, 1, detected.subspan(0, 1), detected);
  for (std::size_t i = 0; i < detected.size(); i += 1000)
    EXPECT_EQ(make_snippet(line, 1, detected.subspan(i, 1), detected), first);
  // Stopping early shows exactly what redacting every secret shows.
  EXPECT_EQ(first, make_snippet(line, 1, detected));
  EXPECT_NE(first.find("const tokens = ['ghp_…(40 chars)', 'ghp_…(40 chars)'"), std::string::npos) << first;
  EXPECT_TRUE(first.ends_with("…")) << first;
  EXPECT_LE(first.size(), 240U + std::string_view("…").size());
}

TEST(EngineSnippet, LinesOfAKeyBlock) {
  const std::string block = "-----BEGIN RSA PRIVATE KEY-----\n" + pem_body(4, 8) + "-----END RSA PRIVATE KEY-----";
  const std::string text = "tls:\n  key: |\n" + block + "\nport: 443\n";
  const FileSecrets file(text, "chart/values.yaml");
  const auto lines = text::split_lines(text);
  for (int n = 3; n <= 8; ++n) {
    const auto on = file.on_line(n);
    ASSERT_EQ(on.size(), 1U) << n;
    const std::string shown = make_snippet(lines[static_cast<std::size_t>(n - 1)], n, on);
    for (std::size_t i = 3; i < 7; ++i) expect_hidden(shown, lines[i]);
  }
  EXPECT_TRUE(file.on_line(9).empty());
  EXPECT_TRUE(file.on_line(2).empty());
}

TEST(EngineSnippet, MessagesHideQuotedSecrets) {
  // Found by the scanner in the message itself.
  const std::string token = "ghp_" + random_string(36, kAlnum, 9);
  const std::string with_token = redact_message("commit abc \"fix: use " + token + "\" is not conventional");
  expect_hidden(with_token, token);
  EXPECT_NE(with_token.find(text::redact(token)), std::string::npos) << with_token;

  // Only recognisable in its file (by the key name before it): found there.
  const std::string aws = random_string(40, kBase64, 10);
  const std::string text = "[default]\naws_secret_access_key = " + aws + "\n";
  const FileSecrets file(text, "aws/credentials");
  const std::string message = "value '" + aws + "' is quoted, and again: " + aws;
  EXPECT_NE(redact_message(message).find(aws), std::string::npos) << "the scanner alone cannot tell";
  const std::string redacted = redact_message(message, {}, &file);
  expect_hidden(redacted, aws);
  EXPECT_EQ(redacted, "value '" + text::redact(aws) + "' is quoted, and again: " + text::redact(aws));

  // A value the check marked, not one the scanner knows.
  const std::vector<std::string_view> known{"hunter2orders"};
  EXPECT_EQ(redact_message("ENV DB_PASSWORD=hunter2orders", known), "ENV DB_PASSWORD=" + text::redact("hunter2orders"));
  // Nothing to hide: the message unchanged, as valid UTF-8.
  EXPECT_EQ(redact_message("image 'nginx' has no tag", known, &file), "image 'nginx' has no tag");
  EXPECT_EQ(redact_message("bad \xff byte"), text::sanitize_utf8("bad \xff byte"));
}

TEST(EngineSnippet, ValuesOfMarkedRanges) {
  const std::vector<std::string_view> lines{"a: b", "password: hunter2orders"};
  const std::vector<SourceRange> marked{{2, 11, 2, 24}, {2, 11, 3, 1}, SourceRange::at_line(2), {9, 1, 9, 4},
                                        {2, 80, 2, 90}};
  const auto values = values_in(marked, lines);
  ASSERT_EQ(values.size(), 1U);
  EXPECT_EQ(values[0], "hunter2orders");
}

TEST(EngineSnippet, RedactSpansMergesAndClamps) {
  EXPECT_EQ(text::redact_spans("abcdefghijklmnop", {}), "abcdefghijklmnop");
  EXPECT_EQ(text::redact_spans("abcdefghijklmnop", {{8, 12}, {2, 6}, {4, 10}}),
            "ab" + text::redact("cdefghijkl") + "mnop");
  EXPECT_EQ(text::redact_spans("abcdefgh", {{4, 100}, {6, 6}}), "abcd" + text::redact("efgh"));
  EXPECT_EQ(text::redact_spans("abcdefgh", {{20, 30}, {3, 3}}), "abcdefgh");
  // Built up to one byte past the limit.
  EXPECT_EQ(text::redact_spans("abcdefghijklmnop", {{8, 12}}, 4), "abcde");
  EXPECT_EQ(text::redact_spans("abcdefghijklmnop", {{2, 12}}, 4), "ab" + text::redact("cdefghijkl"));
  EXPECT_EQ(text::redact_spans("abcdefghijklmnop", {{2, 12}}, 100), "ab" + text::redact("cdefghijkl") + "mnop");
}

}  // namespace
}  // namespace constable::engine

// Hostile input: binary, invalid UTF-8, CRLF, a huge single line, dense
// candidates, and concurrent scans.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "unit/secrets/secrets_test_support.hpp"

namespace constable::secrets::testing {
namespace {

TEST(SecretsRobustness, BinaryGarbage) {
  std::string garbage;
  garbage.reserve(1 << 20);
  std::uint64_t state = 42;
  for (std::size_t i = 0; i < (1U << 20); ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    garbage.push_back(static_cast<char>(state >> 56));
  }
  (void)scan(garbage, "blob.bin");  // must not crash; matches in random bytes are possible but irrelevant
  const std::string token = "ghp_" + random_string(36, kAlnum, 1);
  const std::string embedded = std::string("\0\x01\x02 ", 4) + token + std::string(" \0\xff", 3);
  expect_single(embedded, "a.out", "github-token", token);
}

TEST(SecretsRobustness, InvalidUtf8AroundSecrets) {
  const std::string token = "npm_" + random_string(36, kAlnum, 2);
  const std::string text = "\xff\xfe\xc3(\n\xe2\x82 token: " + token + " \xed\xa0\x80\n\xc0\xaf";
  expect_single(text, "x.yaml", "npm-token", token);
  expect_silent("\xff\xff\xff\xfe\xfe\xfe password=\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\n");
}

TEST(SecretsRobustness, CrlfAndLoneCr) {
  const std::string v = random_string(24, kPassword, 3);
  const std::string crlf = "a: 1\r\nb: 2\r\npassword: " + v + "\r\nc: 3\r\n";
  expect_single(crlf, "config.yaml", "generic-assignment", v);
  const auto m = scan(crlf, "config.yaml");
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0].line, 3);
  EXPECT_EQ(m[0].column, 11);
  const std::string cr = "a: 1\rpassword: " + v + "\r";
  const auto m2 = scan(cr, "config.yaml");
  ASSERT_EQ(m2.size(), 1U);
  EXPECT_EQ(m2[0].line, 2);
  EXPECT_EQ(m2[0].column, 11);
}

TEST(SecretsRobustness, FiftyMegabyteSingleLine) {
  std::string line(50U << 20, 'a');
  EXPECT_TRUE(scan(line, "huge.txt").empty());
  const std::string token = "glpat-" + random_string(20, kAlnum, 4);
  line += " " + token;
  const auto m = scan(line, "huge.txt");
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0].rule_id, "gitlab-token");
  EXPECT_EQ(m[0].line, 1);
  EXPECT_EQ(m[0].offset, (50U << 20) + 1);
  EXPECT_EQ(m[0].column, static_cast<int>((50U << 20) + 2));
}

TEST(SecretsRobustness, DenseOverlappingCandidates) {
  std::string dense;
  for (int i = 0; i < 200000; ++i) dense += "password=";
  (void)scan(dense, "dense.txt");
  std::string lines;
  for (int i = 0; i < 100000; ++i) lines += "password=\n";
  EXPECT_TRUE(scan(lines, "lines.txt").empty());
  EXPECT_TRUE(scan(lines, ".env").empty());

  std::string begins;
  const std::string begin = "-----BEGIN RSA " + std::string("PRIVATE KEY-----");
  for (int i = 0; i < 50000; ++i) begins += begin;
  EXPECT_TRUE(scan(begins, "keys.txt").empty());
  begins += "\n" + pem_body(4, 5) + "-----END RSA " + std::string("PRIVATE KEY-----") + "\n";
  EXPECT_EQ(scan(begins, "keys.txt").size(), 1U);

  std::string jwts;
  for (int i = 0; i < 100000; ++i) jwts += "eyJhbGciOi.eyJzdWIiOi.";
  (void)scan(jwts, "jwts.txt");
  std::string prefixes;
  for (int i = 0; i < 100000; ++i) prefixes += "ghp_AKIApostgres://u:";
  (void)scan(prefixes, "prefixes.txt");
  std::string sa;
  for (int i = 0; i < 20000; ++i) sa += "{\"type\": \"service_account\", \"private_key\": \"x\"}";
  EXPECT_TRUE(scan(sa, "sa.json").empty());
}

TEST(SecretsRobustness, ManySecretsInOneFile) {
  std::string text;
  for (int i = 0; i < 2000; ++i)
    text += "k" + std::to_string(i) + ": ghp_" + random_string(36, kAlnum, 100 + static_cast<std::uint64_t>(i)) + "\n";
  const auto m = scan(text, "many.yaml");
  ASSERT_EQ(m.size(), 2000U);
  for (std::size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].line, static_cast<int>(i + 1));
}

TEST(SecretsRobustness, EmptyAndTiny) {
  EXPECT_TRUE(scan("", "a").empty());
  EXPECT_TRUE(scan("p", "a").empty());
  EXPECT_TRUE(scan("password=", "").empty());
  EXPECT_TRUE(scan("-----BEGIN PRIVATE KEY-----", "").empty());
}

TEST(SecretsConcurrency, TwoThreadsScanAtOnce) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "line " + std::to_string(i) + ": value\n";
    if (i % 10 == 0) text += "token: ghp_" + random_string(36, kAlnum, 500 + static_cast<std::uint64_t>(i)) + "\n";
    if (i % 15 == 0)
      text += "password: \"" + random_string(24, kPassword, 900 + static_cast<std::uint64_t>(i)) + "\"\n";
  }
  const auto expected = scan(text, "c.yaml");
  ASSERT_EQ(expected.size(), 30U + 20U);
  std::vector<int> failures(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 30; ++round) {
        const auto got = Scanner::builtin().scan(text, "c.yaml");
        if (got.size() != expected.size()) {
          ++failures[static_cast<std::size_t>(t)];
          continue;
        }
        for (std::size_t i = 0; i < got.size(); ++i) {
          if (got[i].offset != expected[i].offset || got[i].rule_id != expected[i].rule_id) {
            ++failures[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures[0], 0);
  EXPECT_EQ(failures[1], 0);
}

}  // namespace
}  // namespace constable::secrets::testing

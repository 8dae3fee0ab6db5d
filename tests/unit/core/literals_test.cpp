#include "core/literals.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/text.hpp"

namespace constable::text {
namespace {

// `size` characters drawn from `alphabet`.
std::string random_text(std::mt19937& random, std::string_view alphabet, std::size_t size) {
  std::string text(size, ' ');
  for (char& c : text) c = alphabet[random() % alphabet.size()];
  return text;
}

// A case-insensitive set agrees with icontains, searching literal by
// literal and once compiled.
TEST(CoreLiterals, CaseInsensitiveAgreesWithIcontains) {
  const Literals set({"backoff", "Flight", "acks"}, Literals::Case::insensitive);
  std::mt19937 random(11);
  const auto text_of = [&](std::size_t size) { return random_text(random, "bBaAcCkKoOfFlLiIgGhHtTsS_. \n", size); };
  const auto expected = [&](std::string_view text) {
    std::uint64_t found = 0;
    for (const std::string_view literal : {"backoff", "Flight", "acks"})
      if (icontains(text, literal)) found |= set.bit(literal);
    return found;
  };
  const auto agree = [&](std::size_t size) {
    const std::string text = text_of(size);
    EXPECT_EQ(set.found_in(text).bits, expected(text)) << "size " << size;
  };
  EXPECT_TRUE(set.found_in("RETRY_BACKOFF_MS").has("backoff"));
  EXPECT_TRUE(set.found_in("maxInFlight: 5").has("Flight"));
  EXPECT_FALSE(set.any_in("a tracker, backups, a fight"));
  for (const std::size_t size : {0, 3, 40, 2000}) agree(size);
  const std::string large = text_of(1024 * 1024);
  const std::uint64_t in_large = expected(large);
  while (!set.compiled()) ASSERT_EQ(set.found_in(large).bits, in_large);
  for (const std::size_t size : {0, 3, 40, 2000, 100000}) agree(size);
  EXPECT_EQ(set.found_in("x RETRY_BACKOFF_MS y").bits, set.bit("backoff"));
}

// The set's answer is what a text::contains per literal gives, on texts
// searched literal by literal (before the set compiled) and through the
// compiled matcher (once it searched kCompileAfter bytes times literals).
TEST(CoreLiterals, AgreeWithContainsBeforeAndAfterCompiling) {
  const Literals set{"sampl", "Sampl", "k6", "ratio_based", "config:", "x"};
  std::mt19937 random(7);
  const auto text_of = [&](std::size_t size) { return random_text(random, "samplSAMPLk6ratio_bdcnfgx: \n", size); };
  std::uint64_t every = 0;
  const auto expected = [&](std::string_view text) {
    std::uint64_t found = 0;
    for (const std::string_view literal : {"sampl", "Sampl", "k6", "ratio_based", "config:", "x"})
      if (contains(text, literal)) found |= set.bit(literal);
    return found;
  };
  for (const std::string_view literal : {"sampl", "Sampl", "k6", "ratio_based", "config:", "x"})
    every |= set.bit(literal);
  const auto agree = [&](std::size_t size) {
    for (int round = 0; round < 20; ++round) {
      const std::string text = text_of(size);
      EXPECT_EQ(set.found_in(text).bits, expected(text)) << "size " << size;
      EXPECT_EQ(set.any_in(text), expected(text) != 0) << "size " << size;
      EXPECT_EQ(set.all_in(text), expected(text) == every) << "size " << size;
    }
  };
  for (const std::size_t size : {0, 1, 5, 40, 300}) agree(size);
  ASSERT_FALSE(set.compiled());
  const std::string large = text_of(1024 * 1024);
  while (!set.compiled()) {
    ASSERT_EQ(set.found_in(large).bits, expected(large));
    ASSERT_LE(set.found_in(large).bits, every);
  }
  for (const std::size_t size : {0, 1, 5, 40, 300, 100000}) agree(size);
  // At the very start and the very end, in a text long enough to be compiled for.
  std::string edges(100000, '.');
  edges.replace(0, 2, "k6");
  edges.replace(edges.size() - 7, 7, "config:");
  const Literals::Found at_edges = set.found_in(edges);
  EXPECT_EQ(at_edges.bits, set.bit("k6") | set.bit("config:"));
  EXPECT_TRUE(at_edges.has("k6"));
  EXPECT_FALSE(at_edges.has("sampl"));
  EXPECT_FALSE(set.any_in(std::string(100000, '.')));
  EXPECT_EQ(set.bit("not in the set"), 0U);
}

// Every thread scans with scratch space of its own, for every set it uses.
TEST(CoreLiterals, ThreadsScanTogether) {
  const Literals one{"needle"};
  const Literals other{"pin", "thread"};
  std::string text(4 * 1024 * 1024, '-');
  text.replace(text.size() / 2, 6, "needle");
  std::vector<std::thread> threads;
  std::vector<int> agreed(4, 0);
  for (std::size_t t = 0; t < agreed.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i)
        agreed[t] += one.any_in(text) && !other.any_in(text) && other.found_in("a pin").has("pin") &&
                     !other.found_in("a pin").has("thread");
    });
  for (auto& thread : threads) thread.join();
  for (const int count : agreed) EXPECT_EQ(count, 20);
  EXPECT_TRUE(one.compiled());
  EXPECT_TRUE(other.compiled());
}

}  // namespace
}  // namespace constable::text

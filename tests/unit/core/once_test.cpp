// Once (core/once.hpp): call_once's contract without its system call.

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/once.hpp"

namespace constable {
namespace {

TEST(Once, RunsTheInitialiserOnceWhileOthersWaitForIt) {
  for (int round = 0; round < 200; ++round) {
    Once once;
    std::atomic<int> runs{0};
    int value = 0;  // written by the initialiser, read by every caller after call()
    std::vector<int> seen(4, -1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t)
      threads.emplace_back([&, t] {
        once.call([&] {
          ++runs;
          std::this_thread::yield();  // let the others arrive while it runs
          value = 42;
        });
        seen[t] = value;
      });
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(runs.load(), 1);
    for (const int v : seen) ASSERT_EQ(v, 42);
    EXPECT_TRUE(once.done());
  }
}

TEST(Once, AnInitialiserThatThrowsLeavesItToTheNextCaller) {
  Once once;
  EXPECT_THROW(once.call([] { throw std::runtime_error("unreadable"); }), std::runtime_error);
  EXPECT_FALSE(once.done());
  int runs = 0;
  once.call([&] { ++runs; });
  once.call([&] { ++runs; });
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(once.done());
}

}  // namespace
}  // namespace constable

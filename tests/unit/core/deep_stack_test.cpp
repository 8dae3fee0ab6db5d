// Deep-stack threads: work runs on them, reuses them, and really has the
// stack they promise.

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/deep_stack.hpp"
#include "engine/parallel.hpp"

namespace constable::deep_stack {
namespace {

// Recursion that uses about `frames` KiB of stack; the volatile buffer keeps
// the compiler from folding it into a loop.
std::size_t recurse(std::size_t frames) {
  volatile char buffer[1024];
  buffer[0] = static_cast<char>(frames);
  if (frames == 0) return static_cast<std::size_t>(buffer[0]);
  return recurse(frames - 1) + static_cast<std::size_t>(buffer[0] != 0);
}

TEST(DeepStack, TheCallingThreadHasNone) { EXPECT_FALSE(here()); }

TEST(DeepStack, RunGivesADeepStack) {
  bool deep = false;
  std::size_t depth = 0;
  // 64 MiB of frames: beyond the 8 MiB a thread gets by default.
  run([&] {
    deep = here();
    depth = recurse(64 * 1024);
  });
  EXPECT_TRUE(deep);
  EXPECT_GT(depth, 0u);
}

TEST(DeepStack, RunOnADeepThreadStaysOnIt) {
  std::thread::id outer;
  std::thread::id inner;
  run([&] {
    outer = std::this_thread::get_id();
    run([&] { inner = std::this_thread::get_id(); });
  });
  EXPECT_EQ(outer, inner);
}

TEST(DeepStack, ParallelForDeepRunsEveryTaskOnceOnDeepThreads) {
  constexpr std::size_t kTasks = 200;
  std::vector<int> runs(kTasks, 0);
  std::atomic<bool> all_deep{true};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  engine::parallel_for_deep(kTasks, 2, [&](std::size_t i) {
    ++runs[i];
    if (!here()) all_deep = false;
    const std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  for (std::size_t i = 0; i < kTasks; ++i) EXPECT_EQ(runs[i], 1) << i;
  EXPECT_TRUE(all_deep);
  EXPECT_LE(threads.size(), 2u);  // the threads are reused, not one per task
  EXPECT_FALSE(threads.contains(std::this_thread::get_id()));
  engine::parallel_for_deep(0, 2, [&](std::size_t) { ADD_FAILURE() << "no task to run"; });
}

}  // namespace
}  // namespace constable::deep_stack

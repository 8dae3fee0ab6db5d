#pragma once
// The engine's one way of spreading work over threads: items taken in index
// order from a shared counter, so callers that write item i's result into
// slot i get output independent of the number of threads.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "core/deep_stack.hpp"

namespace constable::engine {

// Runs `task(i)` for i in [0, count) on up to `jobs` threads (the calling
// thread is one of them).
template <class Task>
void parallel_for(std::size_t count, unsigned jobs, Task task) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) task(i);
  };
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(1, count)));
  std::vector<std::jthread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
}

// As parallel_for, on threads with deep stacks (core/deep_stack.hpp), for
// tasks that recurse as deep as their input (rendering a chart); the calling
// thread only waits.
template <class Task>
void parallel_for_deep(std::size_t count, unsigned jobs, Task task) {
  if (count == 0) return;
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) task(i);
  };
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(1, count)));
  deep_stack::run_on_threads(jobs, worker);
}

}  // namespace constable::engine

#pragma once
// The engine's one way of spreading work over threads: items taken in index
// order from a shared counter, so callers that write item i's result into
// slot i get output independent of the number of threads.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

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

}  // namespace constable::engine

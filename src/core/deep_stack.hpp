#pragma once
// Work that recurses as deep as its input does (a Helm template's chain of
// include calls, 1000 deep at Helm's limit) runs on a thread with a generous
// stack. Such threads are started once per phase and reused for every item,
// not once per item: a thread started per chart render cost a third of the
// rendering (mapping and unmapping its stack, faulting it in, a fresh heap
// cache), measured on helm/charts.

#include <cstddef>
#include <functional>

namespace constable::deep_stack {

inline constexpr std::size_t kStackBytes = std::size_t{512} * 1024 * 1024;

// Whether the calling thread was started here, with a deep stack.
bool here();

// Runs `body` with a deep stack: on this thread when it has one, else on a
// thread started for it (or on this one when none can be started).
void run(const std::function<void()>& body);

// Runs `worker` on `threads` threads with deep stacks and waits for them all.
// Threads that cannot be started leave their share to those that could; when
// none could, `worker` runs once on this thread.
void run_on_threads(unsigned threads, const std::function<void()>& worker);

}  // namespace constable::deep_stack

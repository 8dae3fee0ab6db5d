#pragma once
// std::call_once without its system call. glibc's pthread_once wakes the
// futex every time an initialiser finishes, waiters or not; the engine runs
// one per file read, parse and derived value (tens of thousands a run on a
// chart repository), and on a virtual machine each system call is dear.
// Here a finished initialiser wakes only threads that wait for it.

#include <atomic>
#include <exception>

namespace constable {

class Once {
 public:
  Once() = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  // Runs `init` unless it ran already; other callers meanwhile wait for it.
  // An initialiser that throws leaves it to the next caller, as call_once does.
  template <class Init>
  void call(Init&& init) {
    int state = state_.load(std::memory_order_acquire);
    while (state != kDone) {
      if (state == kIdle) {
        if (!state_.compare_exchange_weak(state, kRunning, std::memory_order_acquire)) continue;
        try {
          init();
        } catch (...) {
          finish(kIdle);
          throw;
        }
        finish(kDone);
        return;
      }
      // Another thread runs it: waiting is a system call, but a rare one.
      waiters_.fetch_add(1, std::memory_order_seq_cst);
      state_.wait(kRunning, std::memory_order_acquire);
      waiters_.fetch_sub(1, std::memory_order_relaxed);
      state = state_.load(std::memory_order_acquire);
    }
  }

  bool done() const { return state_.load(std::memory_order_acquire) == kDone; }

 private:
  static constexpr int kIdle = 0, kRunning = 1, kDone = 2;

  void finish(int state) {
    state_.store(state, std::memory_order_seq_cst);
    if (waiters_.load(std::memory_order_seq_cst) != 0) state_.notify_all();
  }

  std::atomic<int> state_{kIdle};
  std::atomic<int> waiters_{0};
};

}  // namespace constable

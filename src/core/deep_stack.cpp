#include "core/deep_stack.hpp"

#include <pthread.h>

#include <vector>

namespace constable::deep_stack {

namespace {

thread_local bool has_deep_stack = false;

void* trampoline(void* arg) {
  has_deep_stack = true;
  (*static_cast<const std::function<void()>*>(arg))();
  return nullptr;
}

bool start(pthread_t& thread, const std::function<void()>& body) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  const bool started = pthread_attr_setstacksize(&attr, kStackBytes) == 0 &&
                       pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()>*>(&body)) == 0;
  pthread_attr_destroy(&attr);
  return started;
}

}  // namespace

bool here() { return has_deep_stack; }

void run(const std::function<void()>& body) {
  if (here()) return body();
  run_on_threads(1, body);
}

void run_on_threads(unsigned threads, const std::function<void()>& worker) {
  std::vector<pthread_t> started;
  started.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    pthread_t thread;
    if (start(thread, worker)) started.push_back(thread);
  }
  if (started.empty()) worker();
  for (const pthread_t thread : started) pthread_join(thread, nullptr);
}

}  // namespace constable::deep_stack

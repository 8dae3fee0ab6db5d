#include "core/memory.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>  // defines __GLIBC__ on glibc, which the test below needs first

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// jemalloc's control interface: present when the executable links jemalloc
// (CONSTABLE_JEMALLOC, src/cli/allocator.cpp), null elsewhere (the tests,
// the sanitizer build). Only its presence is used.
extern "C" [[gnu::weak]] int mallctl(const char* name, void* old_value, std::size_t* old_size, void* new_value,
                                     std::size_t new_size);

namespace constable::memory {

namespace {
bool jemalloc() { return mallctl != nullptr; }
}  // namespace

ExtentLayout extent_layout(std::size_t size, std::size_t alignment) {
  ExtentLayout out;
  out.huge = size >= kHugePage;
  out.align = std::max({alignment, kPage, out.huge ? kHugePage : kPage});
  const std::size_t granule = out.huge ? kHugePage : kPage;
  out.span = (size + granule - 1) / granule * granule;
  // The kernel maps at page boundaries: at most align - kPage bytes come before the first multiple of align.
  out.reserve = out.span + (out.align - kPage);
  return out;
}

void tune_for_batch_runs() {
  if (jemalloc()) return;  // its options are compiled in
#if defined(__GLIBC__)
  constexpr int kKeepFreeAtTop = 64 << 20;
  constexpr int kMapFrom = 32 << 20;  // glibc's largest mmap threshold on 64-bit
  mallopt(M_TRIM_THRESHOLD, kKeepFreeAtTop);
  mallopt(M_MMAP_THRESHOLD, kMapFrom);
#endif
}

void release_free_pages() {
  // jemalloc hands unused pages back over time by itself; purging its
  // arenas here measured no lower peak and cost a cached run 3% of its time.
  if (jemalloc()) return;
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

void use_own_arena() {
  thread_local bool has_own = false;
  if (!jemalloc() || has_own) return;
  has_own = true;
  // The first arena's extent hooks (extent_hooks_t*), handed to the new one.
  void* hooks = nullptr;
  std::size_t hooks_size = sizeof hooks;
  const bool has_hooks = mallctl("arena.0.extent_hooks", &hooks, &hooks_size, nullptr, 0) == 0 && hooks != nullptr;
  unsigned arena = 0;
  std::size_t size = sizeof arena;
  if (mallctl("arenas.create", &arena, &size, has_hooks ? &hooks : nullptr, has_hooks ? sizeof hooks : 0) != 0) return;
  (void)mallctl("thread.arena", nullptr, nullptr, &arena, sizeof arena);
}

}  // namespace constable::memory

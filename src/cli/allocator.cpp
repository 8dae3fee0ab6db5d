// The allocator's options, compiled into the executable where
// CONSTABLE_JEMALLOC links jemalloc (cmake/dependencies.cmake,
// docs/adr/0011-jemalloc.md).

#if defined(CONSTABLE_JEMALLOC)

#include <jemalloc/jemalloc.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

#include "core/memory.hpp"

extern "C" {
// Read by jemalloc as it starts, before main(); MALLOC_CONF in the
// environment still overrides it. "thp:always": the heap in transparent huge
// pages, which the kernel's usual setting ("madvise") gives only to memory
// that asks for them. A run allocates and drops hundreds of megabytes (every
// parse, every render), and faulting that in 4 KB at a time was a third of a
// chart repository's run. "metadata_thp:auto": the allocator's own tables
// too, once they are large enough to fill one. "narenas:1": one arena for
// every thread. jemalloc purges an arena whenever the last thread bound to
// it exits, and a run starts and ends worker threads at every phase: with an
// arena per CPU, each phase gave back what the last one freed and faulted
// it in again, and a fault on this virtual machine costs the host's too
// (docs/adr/0011-jemalloc.md). Memory one thread frees another now reuses;
// the thread caches keep the two cores off each other's locks.
const char* malloc_conf = "thp:always,metadata_thp:auto,narenas:1";
}

namespace {

using constable::memory::ExtentLayout;

// The arena's memory (src/core/memory.hpp, extent_layout): each extent of
// 2 MB or more on whole huge pages. jemalloc's own mapping left 1,440 of
// microservices-demo's 2,250 page faults, each a trip to the host on this
// virtual machine.
void* map_extent(extent_hooks_t*, void* new_addr, std::size_t size, std::size_t alignment, bool* zero, bool* commit,
                 unsigned) {
  constexpr int kProtection = PROT_READ | PROT_WRITE;
  constexpr int kFlags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  if (new_addr != nullptr) {  // growing an extent in place: there or nowhere
    void* at = mmap(new_addr, size, kProtection, kFlags | MAP_FIXED_NOREPLACE, -1, 0);
    if (at == MAP_FAILED) return nullptr;
    if (at != new_addr) {  // a kernel before 4.17 takes the flag as a hint
      munmap(at, size);
      return nullptr;
    }
    *zero = *commit = true;
    return at;
  }
  const ExtentLayout layout = constable::memory::extent_layout(size, alignment);
  void* mapped = mmap(nullptr, layout.reserve, kProtection, kFlags, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  const auto first = reinterpret_cast<std::uintptr_t>(mapped);
  const std::uintptr_t start = (first + layout.align - 1) / layout.align * layout.align;
  if (start > first) munmap(mapped, start - first);
  if (const std::uintptr_t end = first + layout.reserve; end > start + layout.span)
    munmap(reinterpret_cast<void*>(start + layout.span), end - (start + layout.span));
  if (layout.huge) madvise(reinterpret_cast<void*>(start), layout.span, MADV_HUGEPAGE);
  *zero = *commit = true;
  return reinterpret_cast<void*>(start);
}

// The rest as jemalloc's own hooks do on Linux. Its own cannot be kept
// beside ours: called through a table they look up the thread's state, and
// a thread that has not allocated yet allocates there, under the lock of
// the extent being merged (a deadlock, seen).
void destroy_extent(extent_hooks_t*, void* addr, std::size_t size, bool, unsigned) { munmap(addr, size); }
bool purge_lazily(extent_hooks_t*, void* addr, std::size_t, std::size_t offset, std::size_t length, unsigned) {
  return madvise(static_cast<char*>(addr) + offset, length, MADV_FREE) != 0;
}
bool purge_now(extent_hooks_t*, void* addr, std::size_t, std::size_t offset, std::size_t length, unsigned) {
  return madvise(static_cast<char*>(addr) + offset, length, MADV_DONTNEED) != 0;
}
bool split_extent(extent_hooks_t*, void*, std::size_t, std::size_t, std::size_t, bool, unsigned) { return false; }
bool merge_extents(extent_hooks_t*, void*, std::size_t, void*, std::size_t, bool, unsigned) { return false; }

extent_hooks_t huge_page_hooks{
    .alloc = &map_extent,
    .dalloc = nullptr,  // null: extents are kept for reuse, as jemalloc keeps its own (opt.retain)
    .destroy = &destroy_extent,
    .commit = nullptr,  // null: always committed, as jemalloc's own are where the kernel overcommits
    .decommit = nullptr,
    .purge_lazy = &purge_lazily,
    .purge_forced = &purge_now,
    .split = &split_extent,
    .merge = &merge_extents,
};

// Before main(), ahead of most of the heap; what jemalloc mapped before
// stays as it was. audit's own arenas take the same hooks
// (memory::use_own_arena). The executable's own objects call no allocation
// function by name: this call to mallctl is also what makes the linker take
// jemalloc's from its archive, not glibc's.
[[gnu::constructor]] void map_the_heap_in_huge_pages() {
  extent_hooks_t* hooks = &huge_page_hooks;
  (void)mallctl("arena.0.extent_hooks", nullptr, nullptr, &hooks, sizeof hooks);
}

}  // namespace

#endif

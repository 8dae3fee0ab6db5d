#pragma once
// The process's heap, as the operating system sees it.

#include <cstddef>

namespace constable::memory {

// Where a stretch of heap the allocator asks the kernel for goes, so that
// the kernel can back it with transparent huge pages. It backs only whole
// 2 MB pages that start on a 2 MB boundary; jemalloc maps its extents at
// 4 KB alignment in sizes of 2, 2.5, 3, 3.5 MB and on, so most of such an
// extent was faulted in 4 KB at a time (src/cli/allocator.cpp). Map
// `reserve` bytes, start the extent at the first multiple of `align` in
// them, keep `span` bytes from there and unmap the rest; `huge`: ask for
// huge pages over the span. What the span holds past the extent's size is
// never touched, so it costs address space, not memory.
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;
inline constexpr std::size_t kPage = 4096;
struct ExtentLayout {
  std::size_t reserve = 0;
  std::size_t align = kPage;
  std::size_t span = 0;
  bool huge = false;
};
// For an extent of `size` bytes aligned to `alignment` (a power of two):
// at 2 MB or more, on huge pages; smaller, as asked.
ExtentLayout extent_layout(std::size_t size, std::size_t alignment);

// Sets the allocator up for a batch run: many threads each building and
// dropping large trees (a chart's render, a file's parse, its findings).
// glibc's defaults hand a heap's top back to the system whenever more than
// 128 KB of it is free and map each allocation over 128 KB afresh, so a
// thread that renders chart after chart faults the same memory in again for
// each one (and where that happens shifts with the size of a node). This
// keeps up to 64 MB free at a heap's top and serves allocations under 32 MB
// from the heap; release_free_pages gives back what a finished run leaves.
// Not for the server, whose steady state should stay small. A no-op off
// glibc, and with jemalloc (its options are compiled into the CLI).
void tune_for_batch_runs();

// Hands the heap's free pages back to the operating system. glibc keeps
// what a phase freed, per thread arena, for later allocations; the next
// phase's allocations on another thread cannot use it, so a large run's
// resident size would keep what every phase ever held. It walks every
// heap: once a run, not once a request. A no-op off glibc, and with
// jemalloc, which hands pages back over time by itself.
void release_free_pages();

// Gives the calling thread a jemalloc arena of its own, once, mapping its
// memory as the CLI's first arena does (src/cli/allocator.cpp). The CLI's
// threads share one arena, right for a check's short-lived workers; audit's
// workers each run whole repositories side by side for the length of the
// audit, and on one arena they wait on each other's locks (8% slower on
// 2,000 repositories). A no-op without jemalloc.
void use_own_arena();

}  // namespace constable::memory

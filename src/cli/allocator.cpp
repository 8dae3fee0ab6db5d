// The allocator's options, compiled into the executable where
// CONSTABLE_JEMALLOC links jemalloc (cmake/dependencies.cmake,
// docs/adr/0011-jemalloc.md).

#if defined(CONSTABLE_JEMALLOC)

#include <cstddef>

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
int mallctl(const char* name, void* old_value, std::size_t* old_size, void* new_value, std::size_t new_size);
}

namespace {
// The executable's own objects call no allocation function by name: this
// reference makes the linker take jemalloc's from its archive, not glibc's.
[[gnu::used]] int (*const kTakeJemalloc)(const char*, void*, std::size_t*, void*, std::size_t) = &mallctl;
}  // namespace

#endif

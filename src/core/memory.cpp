#include "core/memory.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc, which the test below needs first

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace constable::memory {

void tune_for_batch_runs() {
#if defined(__GLIBC__)
  constexpr int kKeepFreeAtTop = 64 << 20;
  constexpr int kMapFrom = 32 << 20;  // glibc's largest mmap threshold on 64-bit
  mallopt(M_TRIM_THRESHOLD, kKeepFreeAtTop);
  mallopt(M_MMAP_THRESHOLD, kMapFrom);
#endif
}

void release_free_pages() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace constable::memory

#include "core/memory.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc, which the test below needs first

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace constable::memory {

void release_free_pages() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace constable::memory

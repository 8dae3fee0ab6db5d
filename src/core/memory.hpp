#pragma once
// The process's heap, as the operating system sees it.

namespace constable::memory {

// Hands the heap's free pages back to the operating system. glibc keeps
// what a phase freed, per thread arena, for later allocations; the next
// phase's allocations on another thread cannot use it, so a large run's
// resident size would keep what every phase ever held. A no-op elsewhere.
void release_free_pages();

}  // namespace constable::memory

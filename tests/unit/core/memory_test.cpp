// Where the CLI's allocator puts a stretch of heap so that the kernel backs
// it with huge pages (core/memory.hpp, src/cli/allocator.cpp).

#include <gtest/gtest.h>

#include <cstddef>

#include "core/memory.hpp"

namespace constable::memory {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(ExtentLayout, AnExtentOfHugePageSizeStartsAndEndsOnHugePages) {
  // jemalloc grows its arena by 2, 2.5, 3, 3.5 MB...: 2.5 MB takes two whole huge pages.
  const ExtentLayout layout = extent_layout(2 * kMiB + kMiB / 2, kPage);
  EXPECT_TRUE(layout.huge);
  EXPECT_EQ(layout.align, kHugePage);
  EXPECT_EQ(layout.span, 4 * kMiB);
  // Wherever the kernel maps it, a 2 MB boundary with 4 MB after it lies inside.
  EXPECT_EQ(layout.reserve, 4 * kMiB + kHugePage - kPage);
}

TEST(ExtentLayout, ExactlyHugePagesSpanNoMore) {
  const ExtentLayout layout = extent_layout(6 * kMiB, kPage);
  EXPECT_TRUE(layout.huge);
  EXPECT_EQ(layout.span, 6 * kMiB);
}

TEST(ExtentLayout, ALargerAlignmentIsKept) {
  const ExtentLayout layout = extent_layout(2 * kMiB, 8 * kMiB);
  EXPECT_EQ(layout.align, 8 * kMiB);
  EXPECT_EQ(layout.reserve, 2 * kMiB + 8 * kMiB - kPage);
}

TEST(ExtentLayout, ASmallExtentIsMappedAsAsked) {
  const ExtentLayout page_aligned = extent_layout(64 * 1024, kPage);
  EXPECT_FALSE(page_aligned.huge);
  EXPECT_EQ(page_aligned.align, kPage);
  EXPECT_EQ(page_aligned.span, 64u * 1024);
  EXPECT_EQ(page_aligned.reserve, 64u * 1024);  // mmap's own alignment is enough

  const ExtentLayout aligned = extent_layout(kMiB, 64 * 1024);
  EXPECT_FALSE(aligned.huge);
  EXPECT_EQ(aligned.align, 64u * 1024);
  EXPECT_EQ(aligned.reserve, kMiB + 64 * 1024 - kPage);
}

}  // namespace
}  // namespace constable::memory

#include "shardsim/util/huge_page_allocator.h"

#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace shardsim::huge_pages {
namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}  // namespace

void* allocate(std::size_t bytes) {
  if (bytes < kHugePage) {
    void* pointer = std::malloc(bytes == 0 ? 1 : bytes);
    if (pointer == nullptr) throw std::bad_alloc();
    return pointer;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* pointer = std::aligned_alloc(kHugePage, rounded);
  if (pointer == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Advice only: where transparent huge pages are off, the memory stays in ordinary pages.
  (void)madvise(pointer, rounded, MADV_HUGEPAGE);
#endif
  return pointer;
}

void release(void* pointer, std::size_t /*bytes*/) noexcept {
  std::free(pointer);
}

}  // namespace shardsim::huge_pages

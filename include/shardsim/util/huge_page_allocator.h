// An allocator for the model's big random-access tables (the per-key state of a replication log,
// the entries and index of a cache node) that asks Linux to back them with 2 MiB pages.
//
// Why: a read in a large scenario touches a few entries of tables of hundreds of megabytes at
// random. With 4 KiB pages nearly every such touch also misses the TLB, and the page walk costs as
// much again as the cache miss; it also stalls the prefetches that hide those misses. With 2 MiB
// pages the whole table is covered by a few hundred TLB entries. The allocator changes where
// memory comes from, never what is stored, so results are unchanged. Small allocations, and
// systems without madvise(MADV_HUGEPAGE), get ordinary memory.
#pragma once

#include <cstddef>
#include <new>

namespace shardsim {

namespace huge_pages {
// Memory for `bytes`, 2 MiB-aligned and advised for huge pages when bytes >= 2 MiB; throws
// std::bad_alloc when none is left. Release it with release(pointer, bytes).
void* allocate(std::size_t bytes);
void release(void* pointer, std::size_t bytes) noexcept;
}  // namespace huge_pages

template <class T>
class HugePageAllocator {
 public:
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: allocators convert implicitly

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(huge_pages::allocate(n * sizeof(T)));
  }
  void deallocate(T* pointer, std::size_t n) noexcept { huge_pages::release(pointer, n * sizeof(T)); }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace shardsim

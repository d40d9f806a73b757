#include "spamcore/base/zeroed_array.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace spamcore::detail {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t mapped_size(std::size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }

}  // namespace

void* zeroed_allocate(std::size_t bytes) {
  if (bytes < kHugePage) {
    if (void* p = std::calloc(bytes == 0 ? 1 : bytes, 1)) return p;
    throw std::bad_alloc();
  }
  if (bytes > static_cast<std::size_t>(-1) - 2 * kHugePage) throw std::bad_alloc();
  const std::size_t size = mapped_size(bytes);
  // Map one huge page more than needed, then unmap the slack on both sides of the aligned block.
  void* raw = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > start) ::munmap(raw, aligned - start);
  const std::uintptr_t tail = aligned + size, raw_end = start + size + kHugePage;
  if (raw_end > tail) ::munmap(reinterpret_cast<void*>(tail), raw_end - tail);
  // Advice only: without transparent huge pages (or with them off) the block keeps small pages, nothing fails.
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

void zeroed_free(void* p, std::size_t bytes) noexcept {
  if (bytes < kHugePage) std::free(p);
  else ::munmap(p, mapped_size(bytes));
}

}  // namespace spamcore::detail

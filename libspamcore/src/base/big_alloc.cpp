#include "spamcore/base/big_alloc.hpp"

#include <sys/mman.h>

#include <cstdlib>

namespace spamcore::detail {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Alignment of blocks too small for a huge page: what operator new would give.
constexpr std::size_t kSmallAlign = alignof(std::max_align_t);

}  // namespace

void* big_allocate(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < kHugePage) {
    if (void* p = std::aligned_alloc(kSmallAlign, (bytes + kSmallAlign - 1) / kSmallAlign * kSmallAlign)) return p;
    throw std::bad_alloc();
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
  // Advice only: a kernel without transparent huge pages (or with them off) keeps small pages, nothing fails.
  ::madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void big_deallocate(void* p, std::size_t) noexcept { std::free(p); }

}  // namespace spamcore::detail

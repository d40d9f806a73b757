#pragma once
// An allocator for the few big tables of training (naive-Bayes counts, the model file being written): blocks of
// 2 MiB and more are aligned to 2 MiB and marked for transparent huge pages, so filling 16 MiB takes 8 page faults
// instead of 4096 (page faults were a tenth of `train`). Smaller blocks come from the ordinary heap.
#include <cstddef>
#include <new>

namespace spamcore {

namespace detail {
void* big_allocate(std::size_t bytes);
void big_deallocate(void* p, std::size_t bytes) noexcept;
}  // namespace detail

template <typename T>
struct BigAllocator {
  using value_type = T;
  BigAllocator() = default;
  template <typename U>
  BigAllocator(const BigAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(detail::big_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { detail::big_deallocate(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const BigAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace spamcore

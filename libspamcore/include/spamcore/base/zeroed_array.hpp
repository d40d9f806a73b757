#pragma once
// Big zero-filled arrays (the naive-Bayes count table, the model file being written) straight from the kernel:
// fresh anonymous pages are zero already, so no byte is written twice, and blocks of 2 MiB and more are aligned and
// marked for transparent huge pages, so filling 16 MiB takes 8 page faults instead of 4096. Page faults and
// zeroing were a fifth of `train`.
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace spamcore {

namespace detail {
/// `bytes` zero bytes (calloc below 2 MiB, an aligned anonymous mapping from there); throws std::bad_alloc.
void* zeroed_allocate(std::size_t bytes);
/// Frees a block of zeroed_allocate(bytes), with the same `bytes`.
void zeroed_free(void* p, std::size_t bytes) noexcept;
}  // namespace detail

/// A fixed-size array of T whose all-zero bytes are T's empty value.
template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n) : size_(n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    data_ = static_cast<T*>(detail::zeroed_allocate(n * sizeof(T)));
  }
  ZeroedArray(ZeroedArray&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  ZeroedArray(const ZeroedArray& o) : ZeroedArray(o.size_) {
    if (size_) std::memcpy(data_, o.data_, size_ * sizeof(T));
  }
  ZeroedArray& operator=(const ZeroedArray& o) {
    if (this != &o) *this = ZeroedArray(o);
    return *this;
  }
  ~ZeroedArray() { release(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  void release() noexcept {
    if (data_) detail::zeroed_free(data_, size_ * sizeof(T));
    data_ = nullptr;
    size_ = 0;
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace spamcore

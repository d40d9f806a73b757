#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "spamcore/base/big_alloc.hpp"

using namespace spamcore;

TEST_CASE("BigAllocator: big blocks are 2 MiB aligned, small ones ordinarily aligned, and both hold their values") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{(2u << 20) / 8},
                        std::size_t{(5u << 20) / 8 + 3}}) {
    std::vector<std::uint64_t, BigAllocator<std::uint64_t>> v(n);
    bool zero = true;
    for (std::size_t i = 0; i < n; ++i) zero = zero && v[i] == 0;
    CHECK(zero);
    for (std::size_t i = 0; i < n; ++i) v[i] = i * 7;
    bool same = true;
    for (std::size_t i = 0; i < n; ++i) same = same && v[i] == i * 7;
    CHECK(same);
    const auto address = reinterpret_cast<std::uintptr_t>(v.data());
    if (n * 8 >= (2u << 20)) CHECK(address % (2u << 20) == 0);
    else if (n > 0) CHECK(address % alignof(std::max_align_t) == 0);
  }
  // Growth moves the contents across the size classes.
  std::vector<char, BigAllocator<char>> bytes;
  for (int i = 0; i < (3 << 20); ++i) bytes.push_back(static_cast<char>(i % 251));
  bool same = true;
  for (int i = 0; i < (3 << 20); ++i) same = same && bytes[static_cast<std::size_t>(i)] == static_cast<char>(i % 251);
  CHECK(same);
}

TEST_CASE("BigAllocator: an impossible size throws instead of wrapping around") {
  BigAllocator<std::uint64_t> a;
  CHECK_THROWS_AS((void)a.allocate(static_cast<std::size_t>(-1) / 4), std::bad_array_new_length);
}

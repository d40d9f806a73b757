#include <doctest/doctest.h>

#include <cstdint>
#include <utility>

#include "spamcore/base/zeroed_array.hpp"

using namespace spamcore;

TEST_CASE("ZeroedArray: zero at every size, big blocks 2 MiB aligned, values kept, moves hand the block over, copies copy it") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{(2u << 20) / 8 - 1},
                        std::size_t{(2u << 20) / 8}, std::size_t{(5u << 20) / 8 + 3}}) {
    ZeroedArray<std::uint64_t> a(n);
    REQUIRE(a.size() == n);
    CHECK(a.empty() == (n == 0));
    bool zero = true;
    for (const std::uint64_t v : a) zero = zero && v == 0;
    CHECK(zero);
    for (std::size_t i = 0; i < n; ++i) a[i] = i * 7 + 1;
    const auto address = reinterpret_cast<std::uintptr_t>(a.data());
    if (n * 8 >= (2u << 20)) CHECK(address % (2u << 20) == 0);
    else if (n > 0) CHECK(address % alignof(std::max_align_t) == 0);
    ZeroedArray<std::uint64_t> b(std::move(a));
    CHECK(a.empty());
    CHECK(a.data() == nullptr);
    CHECK(b.size() == n);
    bool same = true;
    for (std::size_t i = 0; i < n; ++i) same = same && b[i] == i * 7 + 1;
    CHECK(same);
    const ZeroedArray<std::uint64_t> copy(b);
    CHECK((copy.size() == n && (n == 0 || copy.data() != b.data())));
    bool copied = true;
    for (std::size_t i = 0; i < n; ++i) copied = copied && copy[i] == b[i];
    CHECK(copied);
    ZeroedArray<std::uint64_t> assigned(5);
    assigned = copy;  // copy-assignment: its own block of 5 is freed, a new one of n holds the values
    CHECK((assigned.size() == n && (n == 0 || assigned.data() != copy.data())));
    bool assigned_same = true;
    for (std::size_t i = 0; i < n; ++i) assigned_same = assigned_same && assigned[i] == copy[i];
    CHECK(assigned_same);
    const ZeroedArray<std::uint64_t>& alias = assigned;
    const std::uint64_t* before = assigned.data();
    assigned = alias;  // self-assignment keeps the block
    CHECK((assigned.data() == before && assigned.size() == n));
    ZeroedArray<std::uint64_t> c(3);
    c = std::move(b);  // c's own block is freed (ASan would see a leak otherwise)
    CHECK(c.size() == n);
    c = {};
    CHECK(c.empty());
  }
}

TEST_CASE("ZeroedArray: an impossible size throws instead of wrapping around") {
  CHECK_THROWS_AS(ZeroedArray<std::uint64_t>(static_cast<std::size_t>(-1) / 4), std::bad_array_new_length);
  CHECK_THROWS_AS(ZeroedArray<char>(static_cast<std::size_t>(-1) - 100), std::bad_alloc);
}

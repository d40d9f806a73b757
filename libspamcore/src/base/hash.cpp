#include "spamcore/base/hash.hpp"

namespace spamcore {
namespace {

constexpr std::uint64_t kP1 = 0x9e3779b185ebca87ull;
constexpr std::uint64_t kP2 = 0xc2b2ae3d27d4eb4full;
constexpr std::uint64_t kP3 = 0x165667b19e3779f9ull;

constexpr std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline std::uint64_t load64(const std::uint8_t* p) {
  // Assembled byte by byte: compilers turn this into one load on little-endian machines.
  return std::uint64_t(p[0]) | std::uint64_t(p[1]) << 8 | std::uint64_t(p[2]) << 16 | std::uint64_t(p[3]) << 24 |
         std::uint64_t(p[4]) << 32 | std::uint64_t(p[5]) << 40 | std::uint64_t(p[6]) << 48 |
         std::uint64_t(p[7]) << 56;
}

inline std::uint64_t round(std::uint64_t acc, std::uint64_t lane) {
  acc += lane * kP2;
  acc = rotl(acc, 31);
  return acc * kP1;
}

}  // namespace

std::uint64_t hash64(const void* data, std::size_t size, std::uint64_t seed) noexcept {
  const auto* p = static_cast<const std::uint8_t*>(data);
  const std::uint8_t* const end = p + size;
  std::uint64_t h;
  if (size >= 32) {
    // Four independent lanes keep the multipliers busy: several GB/s, for checksums over mapped models.
    std::uint64_t v1 = seed + kP1 + kP2, v2 = seed + kP2, v3 = seed, v4 = seed - kP1;
    for (; end - p >= 32; p += 32) {
      v1 = round(v1, load64(p));
      v2 = round(v2, load64(p + 8));
      v3 = round(v3, load64(p + 16));
      v4 = round(v4, load64(p + 24));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
    for (std::uint64_t v : {v1, v2, v3, v4}) h = (h ^ round(0, v)) * kP1 + kP3;
  } else {
    h = seed + kP3;
  }
  h += static_cast<std::uint64_t>(size);
  for (; end - p >= 8; p += 8) h = rotl(h ^ round(0, load64(p)), 27) * kP1 + kP3;
  std::uint64_t tail = 0;
  for (int shift = 0; p < end; ++p, shift += 8) tail |= std::uint64_t(*p) << shift;
  h ^= tail * kP3;
  return mix64(h);
}

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) noexcept {
  return hash64(bytes.data(), bytes.size(), seed);
}

}  // namespace spamcore

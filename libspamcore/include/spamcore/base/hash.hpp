#pragma once
// Stable 64-bit hashing of bytes: feature ids and model checksums. Bytes are read as uint8_t and words assembled
// little-endian by hand, so a model trained on one machine scores identically on any other.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace spamcore {

/// The fixed seed of feature ids (changing it invalidates every model: it is part of TokenizerSettings' version).
inline constexpr std::uint64_t kFeatureSeed = 0x5350414d434f5245ull;  // "SPAMCORE"

/// 64-bit hash of `bytes` under `seed`; the same on every platform.
std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = kFeatureSeed) noexcept;

/// 64-bit hash of a raw buffer (checksums); equals hash64 over the same bytes.
std::uint64_t hash64(const void* data, std::size_t size, std::uint64_t seed) noexcept;

/// Mixes a 64-bit value (splitmix64 finaliser): for combining ids.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

}  // namespace spamcore

#pragma once
// The model file's layout constants, shared by the writer (model_writer.cpp) and the reader (model_file.cpp).
// The layout itself, and why blocks are checksummed one by one: spamcore/store/model_file.hpp.
#include <cstddef>
#include <cstdint>

#include "spamcore/base/feature.hpp"

namespace spamcore::store::detail {

inline constexpr char kMagic[8] = {'S', 'P', 'A', 'M', 'C', 'O', 'R', 'E'};
inline constexpr std::size_t kHeaderSize = 128;
inline constexpr std::size_t kSectionEntry = 24;
/// The data area is checksummed in blocks of kBlockSize bytes (format 2; format 1 used 1 KiB). A scorer's lookup reads
/// 16 bytes of a cold block, so hashing the whole block is its cost: 2 cache lines, not 16.
inline constexpr std::uint32_t kBlockSize = 128;
inline constexpr std::uint32_t block_size(std::uint32_t format_version) {
  return format_version == 1 ? 1024 : kBlockSize;
}
/// Where the data area starts: a multiple of this (readers take any offset past the checksum table, zeros between).
/// A page, so that the writer's writes can end on the 2 MiB boundaries the kernel's large folios want.
inline constexpr std::size_t kDataAlign = 4096;
inline constexpr std::uint64_t kChecksumSeed = 0x6d6f64656c763121ull;  // "model v1!"
inline constexpr std::uint32_t kMaxSections = 16;

enum class Section : std::uint32_t { meta = 1, nb = 2, lr = 3, digests = 4, names = 5 };

inline constexpr std::size_t kNbEntry = 16;
inline constexpr std::size_t kDigestEntry = 33;

/// Feature id 0 marks an empty slot of the NB table; the one id in 2^64 that hashes to 0 is stored as 1.
inline FeatureId slot_key(FeatureId id) { return id == 0 ? 1 : id; }

}  // namespace spamcore::store::detail

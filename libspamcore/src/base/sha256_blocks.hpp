#pragma once
// The SHA-256 compression function over whole 64-byte blocks, with the fastest implementation this CPU has.
#include <cstddef>
#include <cstdint>

namespace spamcore::detail {

/// Compresses `blocks` consecutive 64-byte blocks at `p` into `state` (FIPS 180-4 order: a..h).
void sha256_blocks(std::uint32_t state[8], const std::uint8_t* p, std::size_t blocks);

/// The portable implementation, for tests that compare it with the dispatched one.
void sha256_blocks_portable(std::uint32_t state[8], const std::uint8_t* p, std::size_t blocks);

/// Whether sha256_blocks uses the x86 SHA extensions on this machine.
bool sha256_uses_sha_ni();

}  // namespace spamcore::detail

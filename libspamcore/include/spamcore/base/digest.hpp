#pragma once
// SHA-256, for message identity (`list`, --incremental) and deterministic evaluation order.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace spamcore {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// Incremental SHA-256 (FIPS 180-4).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  Sha256Digest finish();

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
};

/// SHA-256 of `bytes`.
Sha256Digest sha256(std::string_view bytes);
/// Lower-case hex of a digest.
std::string to_hex(const Sha256Digest& d);

}  // namespace spamcore

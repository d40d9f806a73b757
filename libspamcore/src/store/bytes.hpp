#pragma once
// Little-endian encoding, field by field, with bounds-checked reads: one routine per type for both directions.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace spamcore::store::detail {

inline std::uint32_t f32_bits(float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, 4);
  return bits;
}
class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  void f32(float v) { u32(f32_bits(v)); }
  void bytes(std::string_view b) { out_.append(b); }
  void pad_to(std::size_t alignment) {
    while (out_.size() % alignment) out_.push_back('\0');
  }
  std::size_t size() const { return out_.size(); }
  std::string& buffer() { return out_; }

 private:
  std::string out_;
};

inline void store_u32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void store_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

inline std::uint32_t load_u32(const unsigned char* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
inline std::uint64_t load_u64(const unsigned char* p) {
  return std::uint64_t(load_u32(p)) | std::uint64_t(load_u32(p + 4)) << 32;
}
inline float load_f32(const unsigned char* p) {
  const std::uint32_t bits = load_u32(p);
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

/// Sequential reader over a verified range; `ok()` turns false (and reads return 0) past the end.
class ByteReader {
 public:
  ByteReader(const unsigned char* p, std::size_t n) : p_(p), n_(n) {}
  std::uint32_t u32() { return take(4) ? load_u32(p_ + pos_ - 4) : 0; }
  std::uint64_t u64() { return take(8) ? load_u64(p_ + pos_ - 8) : 0; }
  std::uint8_t u8() { return take(1) ? p_[pos_ - 1] : 0; }
  float f32() { return take(4) ? load_f32(p_ + pos_ - 4) : 0.0f; }
  std::string_view bytes(std::size_t n) {
    return take(n) ? std::string_view(reinterpret_cast<const char*>(p_ + pos_ - n), n) : std::string_view{};
  }
  bool ok() const { return ok_; }
  std::size_t remaining() const { return n_ - pos_; }

 private:
  bool take(std::size_t k) {
    if (!ok_ || n_ - pos_ < k) {
      ok_ = false;
      return false;
    }
    pos_ += k;
    return true;
  }
  const unsigned char* p_;
  std::size_t n_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace spamcore::store::detail

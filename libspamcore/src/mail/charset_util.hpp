#pragma once
// Small charset helpers shared by the mail sources.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace spamcore::mail::detail {

inline bool word_is_ascii(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return (w & 0x8080808080808080ull) == 0;
}

/// Index of the first non-ASCII byte of p[0..n) at or after i (n when none).
inline std::size_t skip_ascii(const unsigned char* p, std::size_t n, std::size_t i) {
#ifdef __SSE2__
  for (; i + 16 <= n; i += 16) {  // the high bits of 16 bytes at once
    const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (high != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(high)));
  }
#endif
  while (i + 8 <= n && word_is_ascii(p + i)) i += 8;
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

/// True when every byte is below 0x80 (8 bytes at a time).
bool is_ascii(std::string_view s);

/// `bytes` as is when valid UTF-8, else read as windows-1252.
std::string utf8_or_cp1252(std::string_view bytes);

/// Appends code point `cp` as UTF-8 (U+FFFD for surrogates and values above U+10FFFF).
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  char b[4];
  std::size_t n;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x800) {
    b[0] = static_cast<char>(0xC0 | (cp >> 6));
    b[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = static_cast<char>(0xE0 | (cp >> 12));
    b[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    b[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    b[0] = static_cast<char>(0xF0 | (cp >> 18));
    b[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    b[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    b[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  out.append(b, n);
}

}  // namespace spamcore::mail::detail

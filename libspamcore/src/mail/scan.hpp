#pragma once
// Fast searches for the inner loops of the line, URL, QP, HTML and header scanners: 16 bytes a step with SSE2,
// inline (no library call: most searches here stop within a few dozen bytes, where a call costs more than the scan).
#include <cstddef>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace spamcore::mail::detail {

/// The first byte in [p, end) equal to one of Cs, or end.
template <char... Cs>
inline const char* find_any(const char* p, const char* end) {
#ifdef __SSE2__
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_setzero_si128();
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(Cs)))), ...);
    if (const int bits = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(bits));
    p += 16;
  }
#endif
  while (p < end && ((*p != Cs) && ...)) ++p;
  return p;
}

/// s.find(c, from).
inline std::size_t find_char(std::string_view s, char c, std::size_t from = 0) {
  if (from >= s.size()) return std::string_view::npos;
  const char* p = s.data() + from;
  const char* const end = s.data() + s.size();
#ifdef __SSE2__
  const __m128i cv = _mm_set1_epi8(c);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (const int bits = _mm_movemask_epi8(_mm_cmpeq_epi8(v, cv)))
      return static_cast<std::size_t>(p - s.data()) + __builtin_ctz(static_cast<unsigned>(bits));
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (*p == c) return static_cast<std::size_t>(p - s.data());
  return std::string_view::npos;
}

/// s.find(needle, from). Candidates are the positions where both the first and the last byte of the needle match
/// (rare even where the first byte alone is common), confirmed byte by byte.
inline std::size_t find_str(std::string_view s, std::string_view needle, std::size_t from = 0) {
  const std::size_t m = needle.size();
  if (m < 2) return s.find(needle, from);
  if (from > s.size() || s.size() - from < m) return std::string_view::npos;
  const auto matches_inside = [&](const char* at) {  // bytes 1 .. m-2
    for (std::size_t k = 1; k + 1 < m; ++k)
      if (at[k] != needle[k]) return false;
    return true;
  };
  const char* p = s.data() + from;
  const char* const last = s.data() + s.size() - m;  // the last possible start
#ifdef __SSE2__
  const __m128i first_v = _mm_set1_epi8(needle[0]), last_v = _mm_set1_epi8(needle[m - 1]);
  while (last - p >= 15) {  // 16 starts, all possible: both loads stay inside s
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + m - 1));
    auto bits = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first_v), _mm_cmpeq_epi8(b, last_v))));
    for (; bits != 0; bits &= bits - 1) {
      const char* at = p + __builtin_ctz(bits);
      if (matches_inside(at)) return static_cast<std::size_t>(at - s.data());
    }
    p += 16;
  }
#endif
  for (; p <= last; ++p)
    if (p[0] == needle[0] && p[m - 1] == needle[m - 1] && matches_inside(p))
      return static_cast<std::size_t>(p - s.data());
  return std::string_view::npos;
}

}  // namespace spamcore::mail::detail

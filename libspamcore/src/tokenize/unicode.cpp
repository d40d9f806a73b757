#include "tokenize/unicode.hpp"

namespace spamcore::tokenize::detail {

char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len;
  char32_t c;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) { len = 2; c = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; c = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; c = b0 & 0x07; min = 0x10000; }
  else { ++i; return 0xFFFD; }
  if (i + len > s.size()) { ++i; return 0xFFFD; }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) { ++i; return 0xFFFD; }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) { ++i; return 0xFFFD; }
  i += len;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool is_invisible(char32_t c) noexcept {
  return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
         (c >= 0xFE00 && c <= 0xFE0F);
}

bool is_cjk(char32_t c) noexcept {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

bool is_word_char(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (c <= 0xBF) return c == 0xAA || c == 0xB5 || c == 0xBA;  // Latin-1 punctuation and symbols
  if (c == 0xD7 || c == 0xF7) return false;                     // multiplication and division signs
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows, box drawing, dingbats
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // fullwidth punctuation
  if (c >= 0xE000 && c <= 0xF8FF) return false;  // private use
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;  // emoji and pictographs
  return c != 0xFFFD;
}

char32_t fold_case(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    // Latin Extended-A pairs: mostly even = upper; 0x139-0x148 and 0x179-0x17E are odd = upper.
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;  // Greek capitals
  if (c >= 0x410 && c <= 0x42F) return c + 32;                // Cyrillic basic capitals
  if (c >= 0x400 && c <= 0x40F) return c + 80;                // Cyrillic Ѐ..Џ
  if (c >= 0xFF21 && c <= 0xFF3A) return c - 0xFF21 + 'a';   // fullwidth A-Z
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0xFF41 + 'a';   // fullwidth a-z
  if (c >= 0xFF10 && c <= 0xFF19) return c - 0xFF10 + '0';   // fullwidth digits
  return c;
}

char32_t latin_lookalike(char32_t c) noexcept {
  switch (c) {
    // Cyrillic (lower case; fold_case runs first)
    case 0x0430: return 'a';
    case 0x0432: return 'b';
    case 0x0435: return 'e';
    case 0x043A: return 'k';
    case 0x043C: return 'm';
    case 0x043D: return 'h';
    case 0x043E: return 'o';
    case 0x0440: return 'p';
    case 0x0441: return 'c';
    case 0x0442: return 't';
    case 0x0443: return 'y';
    case 0x0445: return 'x';
    case 0x0455: return 's';
    case 0x0456: return 'i';
    case 0x0458: return 'j';
    case 0x0501: return 'd';
    // Greek
    case 0x03B1: return 'a';
    case 0x03B5: return 'e';
    case 0x03B9: return 'i';
    case 0x03BA: return 'k';
    case 0x03BD: return 'v';
    case 0x03BF: return 'o';
    case 0x03C1: return 'p';
    case 0x03C4: return 't';
    case 0x03C5: return 'u';
    case 0x03C7: return 'x';
    default: return 0;
  }
}

}  // namespace spamcore::tokenize::detail

// HTML -> visible text: a hand-written single-pass stripper (libraries.md section 3). Linear on any input: every
// search either moves the cursor forward for good or is memoised, and the open-element stack is capped.
#include "mail/html_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "mail/charset_util.hpp"
#include "mail/scan.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace spamcore::mail::detail {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Tables

enum TagFlags : std::uint8_t {
  kBlock = 1,    // a line break before and after
  kVoid = 2,     // no content, never pushed
  kRawSkip = 4,  // content skipped up to the matching end tag (script, style, ...)
  kClosesP = 8,  // the start tag closes an open <p>
};

struct TagInfo {
  std::string_view name;
  std::uint8_t flags;
};

constexpr TagInfo kTags[] = {
    {"address", kBlock | kClosesP}, {"area", kVoid}, {"article", kBlock | kClosesP}, {"aside", kBlock | kClosesP},
    {"base", kVoid}, {"basefont", kVoid}, {"bgsound", kVoid}, {"blockquote", kBlock | kClosesP},
    {"body", kBlock}, {"br", kBlock | kVoid}, {"caption", kBlock}, {"center", kBlock | kClosesP}, {"col", kVoid},
    {"dd", kBlock | kClosesP}, {"details", kBlock | kClosesP}, {"dialog", kBlock | kClosesP},
    {"dir", kBlock | kClosesP}, {"div", kBlock | kClosesP}, {"dl", kBlock | kClosesP}, {"dt", kBlock | kClosesP},
    {"embed", kVoid}, {"fieldset", kBlock | kClosesP}, {"figcaption", kBlock | kClosesP},
    {"figure", kBlock | kClosesP}, {"footer", kBlock | kClosesP}, {"form", kBlock | kClosesP}, {"frame", kVoid},
    {"frameset", kBlock}, {"h1", kBlock | kClosesP}, {"h2", kBlock | kClosesP}, {"h3", kBlock | kClosesP},
    {"h4", kBlock | kClosesP}, {"h5", kBlock | kClosesP}, {"h6", kBlock | kClosesP}, {"header", kBlock | kClosesP},
    {"hr", kBlock | kVoid | kClosesP}, {"iframe", kBlock | kRawSkip}, {"img", kVoid}, {"input", kVoid},
    {"isindex", kVoid}, {"keygen", kVoid}, {"legend", kBlock}, {"li", kBlock | kClosesP}, {"link", kVoid},
    {"main", kBlock | kClosesP}, {"menu", kBlock | kClosesP}, {"meta", kVoid}, {"nav", kBlock | kClosesP},
    {"noembed", kRawSkip}, {"ol", kBlock | kClosesP}, {"option", kBlock}, {"p", kBlock | kClosesP},
    {"param", kVoid}, {"pre", kBlock | kClosesP}, {"script", kRawSkip}, {"section", kBlock | kClosesP},
    {"select", kBlock}, {"source", kVoid}, {"style", kRawSkip}, {"table", kBlock | kClosesP}, {"tbody", kBlock},
    {"td", kBlock}, {"template", kRawSkip}, {"textarea", kBlock}, {"tfoot", kBlock}, {"th", kBlock},
    {"thead", kBlock}, {"title", kBlock}, {"tr", kBlock}, {"track", kVoid}, {"ul", kBlock | kClosesP},
    {"wbr", kVoid},
};

struct Entity {
  std::string_view name;
  char32_t cp;
  bool legacy;  // also recognised without the ';' in text (HTML's legacy set)
};

// In name order (byte order), for the reader.
constexpr Entity kEntities[] = {
    {"AElig", 0xC6, true}, {"AMP", 0x26, true}, {"Aacute", 0xC1, true}, {"Acirc", 0xC2, true}, {"Agrave", 0xC0, true},
    {"ApplyFunction", 0x2061, false}, {"Aring", 0xC5, true}, {"Atilde", 0xC3, true}, {"Auml", 0xC4, true},
    {"COPY", 0xA9, true}, {"Ccedil", 0xC7, true}, {"Dagger", 0x2021, false}, {"ETH", 0xD0, true},
    {"Eacute", 0xC9, true}, {"Ecirc", 0xCA, true}, {"Egrave", 0xC8, true}, {"Euml", 0xCB, true}, {"GT", 0x3E, true},
    {"Hat", 0x5E, false}, {"Iacute", 0xCD, true}, {"Icirc", 0xCE, true}, {"Igrave", 0xCC, true},
    {"InvisibleComma", 0x2063, false}, {"InvisibleTimes", 0x2062, false}, {"Iuml", 0xCF, true}, {"LT", 0x3C, true},
    {"NewLine", 0xA, false}, {"NoBreak", 0x2060, false}, {"NonBreakingSpace", 0xA0, false}, {"Ntilde", 0xD1, true},
    {"OElig", 0x152, false}, {"Oacute", 0xD3, true}, {"Ocirc", 0xD4, true}, {"Ograve", 0xD2, true},
    {"Oslash", 0xD8, true}, {"Otilde", 0xD5, true}, {"Ouml", 0xD6, true}, {"Prime", 0x2033, false},
    {"QUOT", 0x22, true}, {"REG", 0xAE, true}, {"Scaron", 0x160, false}, {"THORN", 0xDE, true}, {"Tab", 0x9, false},
    {"ThinSpace", 0x2009, false}, {"Uacute", 0xDA, true}, {"Ucirc", 0xDB, true}, {"Ugrave", 0xD9, true},
    {"Uuml", 0xDC, true}, {"Yacute", 0xDD, true}, {"Yuml", 0x178, false}, {"ZeroWidthSpace", 0x200B, false},
    {"aacute", 0xE1, true}, {"acirc", 0xE2, true}, {"acute", 0xB4, true}, {"aelig", 0xE6, true}, {"af", 0x2061, false},
    {"agrave", 0xE0, true}, {"alpha", 0x3B1, false}, {"amp", 0x26, true}, {"apos", 0x27, false}, {"aring", 0xE5, true},
    {"ast", 0x2A, false}, {"asymp", 0x2248, false}, {"atilde", 0xE3, true}, {"auml", 0xE4, true},
    {"bdquo", 0x201E, false}, {"beta", 0x3B2, false}, {"brvbar", 0xA6, true}, {"bsol", 0x5C, false},
    {"bull", 0x2022, false}, {"ccedil", 0xE7, true}, {"cedil", 0xB8, true}, {"cent", 0xA2, true},
    {"check", 0x2713, false}, {"circ", 0x2C6, false}, {"clubs", 0x2663, false}, {"colon", 0x3A, false},
    {"comma", 0x2C, false}, {"commat", 0x40, false}, {"copy", 0xA9, true}, {"curren", 0xA4, true},
    {"dagger", 0x2020, false}, {"darr", 0x2193, false}, {"dash", 0x2010, false}, {"deg", 0xB0, true},
    {"delta", 0x3B4, false}, {"diams", 0x2666, false}, {"divide", 0xF7, true}, {"dollar", 0x24, false},
    {"eacute", 0xE9, true}, {"ecirc", 0xEA, true}, {"egrave", 0xE8, true}, {"emsp", 0x2003, false},
    {"emsp13", 0x2004, false}, {"emsp14", 0x2005, false}, {"ensp", 0x2002, false}, {"equals", 0x3D, false},
    {"equiv", 0x2261, false}, {"eth", 0xF0, true}, {"euml", 0xEB, true}, {"euro", 0x20AC, false},
    {"excl", 0x21, false}, {"fnof", 0x192, false}, {"frac12", 0xBD, true}, {"frac14", 0xBC, true},
    {"frac34", 0xBE, true}, {"frasl", 0x2044, false}, {"gamma", 0x3B3, false}, {"ge", 0x2265, false},
    {"grave", 0x60, false}, {"gt", 0x3E, true}, {"hairsp", 0x200A, false}, {"harr", 0x2194, false},
    {"hearts", 0x2665, false}, {"hellip", 0x2026, false}, {"horbar", 0x2015, false}, {"hyphen", 0x2010, false},
    {"iacute", 0xED, true}, {"ic", 0x2063, false}, {"icirc", 0xEE, true}, {"iexcl", 0xA1, true},
    {"igrave", 0xEC, true}, {"infin", 0x221E, false}, {"iquest", 0xBF, true}, {"it", 0x2062, false},
    {"iuml", 0xEF, true}, {"laquo", 0xAB, true}, {"larr", 0x2190, false}, {"lcub", 0x7B, false},
    {"ldquo", 0x201C, false}, {"le", 0x2264, false}, {"lowbar", 0x5F, false}, {"loz", 0x25CA, false},
    {"lpar", 0x28, false}, {"lrm", 0x200E, false}, {"lsaquo", 0x2039, false}, {"lsqb", 0x5B, false},
    {"lsquo", 0x2018, false}, {"lt", 0x3C, true}, {"macr", 0xAF, true}, {"mdash", 0x2014, false},
    {"micro", 0xB5, true}, {"middot", 0xB7, true}, {"minus", 0x2212, false}, {"mu", 0x3BC, false},
    {"nbsp", 0xA0, true}, {"ndash", 0x2013, false}, {"ne", 0x2260, false}, {"not", 0xAC, true}, {"ntilde", 0xF1, true},
    {"num", 0x23, false}, {"numsp", 0x2007, false}, {"oacute", 0xF3, true}, {"ocirc", 0xF4, true},
    {"oelig", 0x153, false}, {"ograve", 0xF2, true}, {"oline", 0x203E, false}, {"omega", 0x3C9, false},
    {"ordf", 0xAA, true}, {"ordm", 0xBA, true}, {"oslash", 0xF8, true}, {"otilde", 0xF5, true}, {"ouml", 0xF6, true},
    {"para", 0xB6, true}, {"percnt", 0x25, false}, {"period", 0x2E, false}, {"permil", 0x2030, false},
    {"pi", 0x3C0, false}, {"plus", 0x2B, false}, {"plusmn", 0xB1, true}, {"pound", 0xA3, true},
    {"prime", 0x2032, false}, {"prod", 0x220F, false}, {"puncsp", 0x2008, false}, {"quest", 0x3F, false},
    {"quot", 0x22, true}, {"radic", 0x221A, false}, {"raquo", 0xBB, true}, {"rarr", 0x2192, false},
    {"rcub", 0x7D, false}, {"rdquo", 0x201D, false}, {"reg", 0xAE, true}, {"rlm", 0x200F, false},
    {"rpar", 0x29, false}, {"rsaquo", 0x203A, false}, {"rsqb", 0x5D, false}, {"rsquo", 0x2019, false},
    {"sbquo", 0x201A, false}, {"scaron", 0x161, false}, {"sdot", 0x22C5, false}, {"sect", 0xA7, true},
    {"semi", 0x3B, false}, {"shy", 0xAD, true}, {"sigma", 0x3C3, false}, {"sim", 0x223C, false}, {"sol", 0x2F, false},
    {"spades", 0x2660, false}, {"star", 0x2606, false}, {"starf", 0x2605, false}, {"sum", 0x2211, false},
    {"sup1", 0xB9, true}, {"sup2", 0xB2, true}, {"sup3", 0xB3, true}, {"szlig", 0xDF, true}, {"thinsp", 0x2009, false},
    {"thorn", 0xFE, true}, {"tilde", 0x2DC, false}, {"times", 0xD7, true}, {"trade", 0x2122, false},
    {"uacute", 0xFA, true}, {"uarr", 0x2191, false}, {"ucirc", 0xFB, true}, {"ugrave", 0xF9, true},
    {"uml", 0xA8, true}, {"uuml", 0xFC, true}, {"verbar", 0x7C, false}, {"yacute", 0xFD, true}, {"yen", 0xA5, true},
    {"yuml", 0xFF, true}, {"zwj", 0x200D, false}, {"zwnj", 0x200C, false},
};

// Inline comparison: this runs per tag and attribute, where library memcmp calls were a hot spot.
constexpr bool eq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// FNV-1a, a byte at a time (read_name hashes a name while it reads it).
constexpr std::uint32_t kNameHashSeed = 2166136261u;
constexpr std::uint32_t name_hash_step(std::uint32_t h, char c) {
  return (h ^ static_cast<unsigned char>(c)) * 16777619u;
}
constexpr std::uint32_t name_hash(std::string_view n) {
  std::uint32_t h = kNameHashSeed;
  for (char c : n) h = name_hash_step(h, c);
  return h;
}

// A constexpr open-addressing hash table over a name table: one hash and (nearly always) one comparison per
// lookup, where a binary search over the tags was a hot spot (a dozen string comparisons per tag).
template <std::size_t Slots, class T, std::size_t N>
class NameIndex {
  static_assert((Slots & (Slots - 1)) == 0 && N < Slots / 2 && N < 0xFFFF, "power of two, at most half full");

 public:
  constexpr explicit NameIndex(const T (&table)[N]) : table_(table) {
    for (auto& s : slots_) s = kEmpty;
    for (std::size_t i = 0; i < N; ++i) {
      std::size_t k = name_hash(table[i].name) & (Slots - 1);
      while (slots_[k] != kEmpty) k = (k + 1) & (Slots - 1);
      slots_[k] = static_cast<std::uint16_t>(i);
    }
  }

  /// The entry called `name` (whose name_hash is `h`), or nullptr.
  const T* find(std::string_view name, std::uint32_t h) const {
    for (std::size_t k = h & (Slots - 1); slots_[k] != kEmpty; k = (k + 1) & (Slots - 1))
      if (eq(table_[slots_[k]].name, name)) return &table_[slots_[k]];
    return nullptr;
  }
  const T* find(std::string_view name) const { return find(name, name_hash(name)); }

 private:
  static constexpr std::uint16_t kEmpty = 0xFFFF;
  const T* table_;
  std::array<std::uint16_t, Slots> slots_{};
};

constexpr NameIndex<256, TagInfo, std::size(kTags)> kTagIndex(kTags);
constexpr NameIndex<512, Entity, std::size(kEntities)> kEntityIndex(kEntities);

// Byte classes for the text loop.
enum : std::uint8_t { kText = 0, kSpace = 1, kLt = 2, kAmp = 3 };
constexpr std::array<std::uint8_t, 256> make_class_table() {
  std::array<std::uint8_t, 256> t{};
  for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) t[c] = kSpace;
  t['<'] = kLt;
  t['&'] = kAmp;
  return t;
}
constexpr std::array<std::uint8_t, 256> kClass = make_class_table();

// Numeric references 0x80..0x9F mean windows-1252 (HTML spec); the undefined ones stay C1.
constexpr char16_t kCp1252High[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                      0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_space(char c) { return kClass[static_cast<unsigned char>(c)] == kSpace; }
inline char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
// A letter for the comment-in-word test: ASCII letters and any byte of a non-ASCII character.
inline bool is_wordish(char c) { return is_alpha(c) || static_cast<unsigned char>(c) >= 0x80; }
inline bool is_whitespace_cp(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0;
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes the character reference at s[i] == '&'. Returns the bytes consumed (0: not a reference, keep the '&').
/// In attribute values a named reference needs its ';' (HTML's rule, so "?a=1&copy=2" survives).
std::size_t decode_entity(std::string_view s, std::size_t i, bool in_attr, char32_t* cp) {
  const std::size_t n = s.size();
  std::size_t j = i + 1;
  if (j < n && s[j] == '#') {
    ++j;
    const bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    const std::size_t digits_start = j;
    std::uint32_t v = 0;
    while (j < n) {
      const int d = hex ? hex_digit(s[j]) : (is_digit(s[j]) ? s[j] - '0' : -1);
      if (d < 0) break;
      v = std::min<std::uint32_t>(v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d), 0x110000);  // saturate
      ++j;
    }
    if (j == digits_start) return 0;
    if (j < n && s[j] == ';') ++j;
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
      v = 0xFFFD;
    } else if (v >= 0x80 && v <= 0x9F) {
      v = kCp1252High[v - 0x80];
    }
    *cp = v;
    return j - i;
  }
  constexpr std::size_t kMaxEntityName = 32;
  while (j < n && j - i - 1 < kMaxEntityName && is_alnum(s[j])) ++j;
  const std::size_t len = j - i - 1;
  if (len == 0) return 0;
  const std::string_view name = s.substr(i + 1, len);
  if (j < n && s[j] == ';') {
    if (const Entity* e = kEntityIndex.find(name)) {
      *cp = e->cp;
      return len + 2;
    }
  }
  if (in_attr) return 0;
  // Legacy references work without ';', also as a prefix ("&copy2024", "&ampfoo").
  for (std::size_t k = std::min<std::size_t>(len, 6); k >= 2; --k) {
    const Entity* e = kEntityIndex.find(name.substr(0, k));
    if (e && e->legacy) {
      *cp = e->cp;
      return k + 1;
    }
  }
  return 0;
}

/// `v` with character references decoded (attribute rules), appended to `out`.
void decode_attr_value(std::string_view v, std::string& out) {
  std::size_t i = 0;
  while (i < v.size()) {
    const std::size_t amp = find_char(v, '&', i);
    if (amp == std::string_view::npos) {
      out.append(v.substr(i));
      return;
    }
    out.append(v.substr(i, amp - i));
    char32_t cp = 0;
    const std::size_t used = decode_entity(v, amp, true, &cp);
    if (used == 0) {
      out.push_back('&');
      i = amp + 1;
    } else {
      append_utf8(out, cp);
      i = amp + used;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CSS: just enough to see display:none, visibility:hidden and tiny fonts.

struct Style {
  bool hidden = false;
  int tiny = -1;  // -1: no font size given, 0: a readable size, 1: tiny
};

// Leading number of `v` ("1.5px" -> 1.5, rest "px"); false without digits.
bool parse_number(std::string_view v, double* num, std::string_view* unit) {
  std::size_t i = 0;
  if (i < v.size() && (v[i] == '+')) ++i;
  if (i < v.size() && v[i] == '-') return false;
  double x = 0;
  bool any = false;
  while (i < v.size() && is_digit(v[i])) {
    if (x < 1e9) x = x * 10 + (v[i] - '0');
    any = true;
    ++i;
  }
  if (i < v.size() && v[i] == '.') {
    ++i;
    double scale = 0.1;
    while (i < v.size() && is_digit(v[i])) {
      x += (v[i] - '0') * scale;
      scale /= 10;
      any = true;
      ++i;
    }
  }
  if (!any) return false;
  *num = x;
  *unit = v.substr(i);
  return true;
}

// Font size value: tiny under 4px / 3pt / 0.25em / 25%.
int font_size_tiny(std::string_view v) {
  double x = 0;
  std::string_view unit;
  if (!parse_number(v, &x, &unit)) return -1;  // keywords (small, x-small...) are readable
  const auto starts = [&](std::string_view u) { return unit.substr(0, u.size()) == u; };
  if (unit.empty() || unit[0] == '!' || starts("px")) return x < 4 ? 1 : 0;
  if (starts("pt")) return x < 3 ? 1 : 0;
  if (starts("em") || starts("rem") || starts("ex") || starts("ch")) return x < 0.25 ? 1 : 0;
  if (starts("%")) return x < 25 ? 1 : 0;
  if (starts("mm")) return x < 1 ? 1 : 0;
  return x < 0.05 ? 1 : 0;  // cm, in, pc, vw...: only zero-ish is tiny
}

/// Parses a style attribute (already entity-decoded). `scratch` is reused storage.
Style parse_style(std::string_view css, std::string& scratch) {
  // Lower-case, drop blanks and /* comments */: "Display : NONE" and "display:/**/none" become "display:none".
  scratch.clear();
  for (std::size_t i = 0; i < css.size(); ++i) {
    const char c = css[i];
    if (c == '/' && i + 1 < css.size() && css[i + 1] == '*') {
      const std::size_t e = css.find("*/", i + 2);
      if (e == std::string_view::npos) break;
      i = e + 1;
      continue;
    }
    if (is_space(c) || c == '"' || c == '\'') continue;
    scratch.push_back(to_lower(c));
  }
  Style st;
  std::string_view s = scratch;
  while (!s.empty()) {
    const std::size_t semi = s.find(';');
    const std::string_view decl = s.substr(0, semi);
    s = semi == std::string_view::npos ? std::string_view() : s.substr(semi + 1);
    const std::size_t colon = decl.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view prop = decl.substr(0, colon), val = decl.substr(colon + 1);
    const auto val_is = [&](std::string_view w) { return val.substr(0, w.size()) == w; };
    if (prop == "display") {
      if (val_is("none")) st.hidden = true;
    } else if (prop == "visibility") {
      if (val_is("hidden") || val_is("collapse")) st.hidden = true;
    } else if (prop == "mso-hide") {
      if (val_is("all")) st.hidden = true;
    } else if (prop == "opacity") {
      double x = 1;
      std::string_view unit;
      if (parse_number(val, &x, &unit) && (unit.empty() || unit[0] != '%' ? x < 0.1 : x < 10)) st.hidden = true;
    } else if (prop == "font-size") {
      st.tiny = font_size_tiny(val);
    } else if (prop == "font") {
      // Shorthand: the size is the first token that starts with a digit ("bold 1px/2px arial", "0/0 a").
      std::size_t d = 0;
      while (d < val.size() && !is_digit(val[d]) && val[d] != '.') ++d;
      if (d < val.size()) st.tiny = font_size_tiny(val.substr(d));
    }
  }
  return st;
}

// <font size=N>: 1..7, or relative to 3 with a sign. Tiny at or below kTinyFontAttr. Not 1: size=1 renders at
// about 10px and is everyday small print -- in the SpamAssassin corpus it sits in 128 of 163 hard-ham HTML parts
// (10% of their text), while size 0 / -3 (browsers render them as 1 too, but only spam writes them) is in 9 spam
// parts and no ham.
constexpr int kTinyFontAttr = 0;

int font_attr_tiny(std::string_view v) {
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  int sign = 0;
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
    sign = v[0] == '+' ? 1 : -1;
    v.remove_prefix(1);
  }
  if (v.empty() || !is_digit(v[0])) return -1;
  int x = 0;
  for (std::size_t i = 0; i < v.size() && is_digit(v[i]) && x < 100; ++i) x = x * 10 + (v[i] - '0');
  const int eff = sign == 0 ? x : 3 + sign * x;
  return eff <= kTinyFontAttr ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// The converter

constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxName = 15;

struct Open {
  std::uint32_t hash;  // name_hash(name)
  char name[kMaxName];
  std::uint8_t len;
  bool hidden;  // this element or an ancestor is hidden
  bool tiny;    // the font in effect is tiny
  bool pre;     // inside <pre>
  bool is(std::string_view n) const { return eq(n, std::string_view(name, len)); }
};

// Attributes of one start tag that matter here (views into the document): the tag's link target (href, src or
// action, by tag), style, size (of <font>) and hidden. Small, so that clearing it per tag stays cheap.
struct Attrs {
  std::string_view url, style, size;
  bool has_url = false, hidden = false;
};

class Converter {
 public:
  Converter(std::string_view html, HtmlText& r) : in_(html), n_(html.size()), r_(r), out_(r.text) {
    out_.reserve(n_ / 2 + 16);
    stack_.reserve(32);  // grows as needed, up to kMaxDepth
  }

  void run() {
    while (i_ < n_) {
      const unsigned char c = static_cast<unsigned char>(in_[i_]);
      switch (kClass[c]) {
        case kText: {
          const std::size_t j = text_run_end(i_ + 1, !hidden() && !tiny());
          emit_text(in_.substr(i_, j - i_));
          i_ = j;
          break;
        }
        case kSpace: {  // a run of blanks is one separator
          bool line_break = false;
          std::size_t j = i_;
          for (; j < n_ && kClass[static_cast<unsigned char>(in_[j])] == kSpace; ++j)
            line_break |= in_[j] == '\n' || in_[j] == '\r';
          whitespace(line_break);
          i_ = j;
          break;
        }
        case kLt:
          markup();
          break;
        default:
          text_entity();
          break;
      }
    }
    count_invisible();
  }

 private:
  // The end of the text run that goes on at in_[j]: the first '<', '&' or blank. When `keep_single_spaces` (the text
  // is visible), a single ' ' followed by text stays in the run: as a separator it would become the same single
  // space, with one emit_text per word. 16 bytes a step where SSE2 is there: this loop sees most of the input.
  std::size_t text_run_end(std::size_t j, bool keep_single_spaces) const {
    const auto is_text = [&](std::size_t k) { return kClass[static_cast<unsigned char>(in_[k])] == kText; };
#ifdef __SSE2__
    // Bytes that are not text: '<', '&', ' ' and 9..13 (\t \n \v \f \r).
    const auto not_text = [](__m128i v, __m128i* spaces) {
      *spaces = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
      const __m128i c = _mm_sub_epi8(v, _mm_set1_epi8(9));
      const __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(c, _mm_set1_epi8(4)), c);
      return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')), _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))),
                          _mm_or_si128(ctl, *spaces));
    };
    while (n_ - j >= 17) {  // the block at j and the byte after it
      const char* p = in_.data() + j;
      __m128i spaces, next_spaces;
      const __m128i here = not_text(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), &spaces);
      __m128i stop = here;
      if (keep_single_spaces) {  // a space stops the run only when the byte after it is not text
        const __m128i next = not_text(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1)), &next_spaces);
        stop = _mm_or_si128(_mm_andnot_si128(spaces, here), _mm_and_si128(spaces, next));
      }
      if (const int bits = _mm_movemask_epi8(stop)) return j + __builtin_ctz(static_cast<unsigned>(bits));
      j += 16;
    }
#endif
    for (;;) {
      while (j < n_ && is_text(j)) ++j;
      if (!keep_single_spaces || j + 1 >= n_ || in_[j] != ' ' || !is_text(j + 1)) return j;
      j += 2;
    }
  }

  // -- output --------------------------------------------------------------------------------------------------
  enum class Sep : std::uint8_t { none, space, newline };

  bool hidden() const { return !stack_.empty() && stack_.back().hidden; }
  bool tiny() const { return !stack_.empty() && stack_.back().tiny; }
  bool in_pre() const { return !stack_.empty() && stack_.back().pre; }

  void emit_text(std::string_view t) {
    if (hidden()) {
      r_.signals.hidden_chars += t.size();
      return;
    }
    if (tiny()) {
      r_.signals.tiny_font_chars += t.size();
      return;
    }
    if (sep_ != Sep::none && !out_.empty()) out_.push_back(sep_ == Sep::newline ? '\n' : ' ');
    sep_ = Sep::none;
    out_.append(t);
  }

  void whitespace(bool line_break) {
    if (hidden() || tiny()) return;
    const Sep s = line_break && in_pre() ? Sep::newline : Sep::space;
    if (s > sep_) sep_ = s;
  }

  void block_break() {
    if (hidden() || tiny()) return;
    sep_ = Sep::newline;
  }

  void text_entity() {
    char32_t cp = 0;
    const std::size_t used = decode_entity(in_, i_, false, &cp);
    if (used == 0) {
      emit_text(in_.substr(i_, 1));
      ++i_;
      return;
    }
    i_ += used;
    // &nbsp; does not collapse in a browser: "F R E E&nbsp;&nbsp;&nbsp;O F F E R" shows its word gaps, so the text
    // keeps them (the tokenizer reads U+00A0 as a separator, and several in a row as a gap between spaced words).
    if (is_whitespace_cp(cp) && cp != 0xA0) {
      whitespace(cp == '\n');
      return;
    }
    std::string buf;  // short: stays in the small-string buffer
    append_utf8(buf, cp);
    emit_text(buf);
  }

  // -- markup --------------------------------------------------------------------------------------------------
  // in_[i_] == '<'
  void markup() {
    const std::size_t i = i_;
    if (i + 1 >= n_) {
      emit_text("<");
      ++i_;
      return;
    }
    const char next = in_[i + 1];
    if (next == '!') {
      if (in_.compare(i, 4, "<!--") == 0) {
        comment();
      } else {
        skip_past('>', i + 2);  // <!DOCTYPE>, <![CDATA[...]]>, other bogus comments
      }
    } else if (next == '?') {
      skip_past('>', i + 2);
    } else if (next == '/') {
      if (i + 2 < n_ && is_alpha(in_[i + 2])) {
        end_tag();
      } else if (i + 2 < n_ && in_[i + 2] == '>') {
        i_ = i + 3;  // "</>" is ignored
      } else {
        skip_past('>', i + 2);
      }
    } else if (is_alpha(next)) {
      start_tag();
    } else {
      emit_text("<");  // "a < b", "<3", "<<<<"
      ++i_;
    }
  }

  // Moves past the next `c` at or after `from`, or to the end.
  void skip_past(char c, std::size_t from) {
    const std::size_t p = find_char(in_, c, from);
    i_ = p == std::string_view::npos ? n_ : p + 1;
  }

  void comment() {
    const std::size_t i = i_;
    std::size_t end;  // one past the comment
    if (in_.compare(i + 4, 1, ">") == 0) {
      end = i + 5;  // "<!-->"
    } else if (in_.compare(i + 4, 2, "->") == 0) {
      end = i + 6;  // "<!--->"
    } else {
      const std::size_t p = find_str(in_, "-->", i + 4);
      end = p == std::string_view::npos ? n_ : p + 3;  // unclosed: the rest is a comment, as in browsers
    }
    ++r_.signals.comments;
    if (i > 0 && end < n_ && is_wordish(in_[i - 1]) && is_wordish(in_[end])) ++r_.signals.comments_in_words;
    i_ = end;
  }

  // Reads a tag name at in_[j] (lower-cased, truncated to kMaxName) and its name_hash; returns the index after it.
  std::size_t read_name(std::size_t j, char* name, std::uint8_t* len, std::uint32_t* hash) const {
    std::uint8_t l = 0;
    std::uint32_t h = kNameHashSeed;
    while (j < n_) {
      const char c = in_[j];
      if (is_space(c) || c == '/' || c == '>') break;
      if (l < kMaxName) {
        name[l++] = to_lower(c);
        h = name_hash_step(h, name[l - 1]);
      }
      ++j;
    }
    *len = l;
    *hash = h;
    return j;
  }

  // Position of the next `q` at or after `from`, memoised so that many unclosed quotes stay linear.
  std::size_t find_quote(char q, std::size_t from) {
    std::size_t& none_from = q == '"' ? no_dquote_from_ : no_squote_from_;
    if (from >= none_from) return std::string_view::npos;
    const std::size_t p = find_char(in_, q, from);
    if (p == std::string_view::npos) none_from = from;
    return p;
  }

  // Parses attributes from in_[j] to the closing '>', keeping the link target called `url_name` (none when empty)
  // and, when `want_size`, size. Returns the index after the tag, or npos when the document ends inside the tag
  // (browsers drop such a tag).
  std::size_t parse_attrs(std::size_t j, std::string_view url_name, bool want_size, Attrs& a) {
    while (true) {
      while (j < n_ && (is_space(in_[j]) || in_[j] == '/')) ++j;
      if (j >= n_) return std::string_view::npos;
      if (in_[j] == '>') return j + 1;
      // name
      char name[16];
      std::size_t nl = 0;
      const std::size_t name_start = j;
      while (j < n_) {
        const char c = in_[j];
        if (is_space(c) || c == '/' || c == '>' || (c == '=' && j != name_start)) break;
        if (nl < sizeof(name)) name[nl] = to_lower(c);
        ++nl;
        ++j;
      }
      const std::string_view an(name, std::min(nl, sizeof(name)));
      const bool known_len = nl <= sizeof(name);
      std::size_t k = j;
      while (k < n_ && is_space(in_[k])) ++k;
      std::string_view value;
      bool has_value = false;
      if (k < n_ && in_[k] == '=') {
        j = k + 1;
        while (j < n_ && is_space(in_[j])) ++j;
        if (j >= n_) return std::string_view::npos;
        has_value = true;
        const char q = in_[j];
        if (q == '"' || q == '\'') {
          const std::size_t close = find_quote(q, j + 1);
          if (close != std::string_view::npos) {
            value = in_.substr(j + 1, close - j - 1);
            j = close + 1;
          } else {
            // Unclosed quote: the value ends at the next '>' (a browser would swallow the rest of the document).
            const std::size_t gt = find_char(in_, '>', j + 1);
            if (gt == std::string_view::npos) return std::string_view::npos;
            value = in_.substr(j + 1, gt - j - 1);
            j = gt;
          }
        } else {
          const std::size_t vs = j;
          while (j < n_ && !is_space(in_[j]) && in_[j] != '>') ++j;
          value = in_.substr(vs, j - vs);
        }
      }
      if (!known_len) continue;
      if (!url_name.empty() && eq(an, url_name)) {
        a.url = value;
        a.has_url = has_value;
      } else if (eq(an, "style")) {
        a.style = value;
      } else if (want_size && eq(an, "size")) {
        a.size = value;
      } else if (eq(an, "hidden")) {
        a.hidden = true;
      }
    }
  }

  void add_url(std::string_view raw) {
    scratch_.clear();
    decode_attr_value(raw, scratch_);
    // Browsers strip leading/trailing C0 controls and spaces and remove tabs and newlines anywhere.
    std::erase_if(scratch_, [](char c) { return c == '\t' || c == '\n' || c == '\r'; });
    std::string_view url = scratch_;
    while (!url.empty() && static_cast<unsigned char>(url.front()) <= 0x20) url.remove_prefix(1);
    while (!url.empty() && static_cast<unsigned char>(url.back()) <= 0x20) url.remove_suffix(1);
    if (!url.empty()) r_.urls.emplace_back(url);
  }

  // -- the open-element stack ----------------------------------------------------------------------------------
  // A count per hash bucket tells in O(1) when a name is not open at all, so stray end tags cost nothing; a search
  // that finds its element pops everything above it, so searches are paid for by pushes.
  static constexpr std::size_t kBuckets = 1024;

  void push(const Open& o) {
    stack_.push_back(o);
    ++open_count_[o.hash % kBuckets];
  }

  void pop_to(std::size_t k) {
    while (stack_.size() > k) {
      --open_count_[stack_.back().hash % kBuckets];
      stack_.pop_back();
    }
  }

  bool maybe_open(std::uint32_t h) const { return open_count_[h % kBuckets] != 0; }

  // Pops to the nearest open element called one of `names`, unless one of `stops` comes first.
  void close_nearest(std::initializer_list<std::string_view> names, std::initializer_list<std::string_view> stops) {
    std::uint32_t nh[4], sh[8];
    std::size_t nn = 0, ns = 0;
    bool any = false;
    for (std::string_view nm : names) {
      nh[nn] = name_hash(nm);
      any |= maybe_open(nh[nn++]);
    }
    if (!any) return;
    for (std::string_view st : stops) sh[ns++] = name_hash(st);
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const Open& o = stack_[k];
      std::size_t m = 0;
      for (std::string_view nm : names) {
        if (o.hash == nh[m++] && o.is(nm)) {
          pop_to(k);
          return;
        }
      }
      m = 0;
      for (std::string_view st : stops)
        if (o.hash == sh[m++] && o.is(st)) return;
    }
  }

  void implicit_closes(std::string_view name, const TagInfo* info) {
    if (info && (info->flags & kClosesP) && !stack_.empty() && stack_.back().is("p")) pop_to(stack_.size() - 1);
    if (eq(name, "li")) {
      close_nearest({"li"}, {"ul", "ol", "menu", "dir", "table"});
    } else if (eq(name, "dt") || eq(name, "dd")) {
      close_nearest({"dt", "dd"}, {"dl", "table"});
    } else if (eq(name, "td") || eq(name, "th")) {
      close_nearest({"td", "th"}, {"tr", "table"});
    } else if (eq(name, "tr")) {
      close_nearest({"tr"}, {"table", "tbody", "thead", "tfoot"});
    } else if (eq(name, "option")) {
      close_nearest({"option"}, {"select"});
    }
  }

  void start_tag() {
    char name_buf[kMaxName];
    std::uint8_t len = 0;
    std::uint32_t hash = 0;
    const std::size_t after_name = read_name(i_ + 1, name_buf, &len, &hash);
    const std::string_view name(name_buf, len);
    const bool link = eq(name, "a") || eq(name, "area"), img = eq(name, "img"), form = eq(name, "form");
    const bool font = eq(name, "font");
    Attrs a;
    const std::size_t end = parse_attrs(after_name, link ? "href" : img ? "src" : form ? "action" : "", font, a);
    if (end == std::string_view::npos) {  // the document ends inside the tag
      i_ = n_;
      return;
    }
    i_ = end;
    const TagInfo* info = kTagIndex.find(name, hash);
    const std::uint8_t flags = info ? info->flags : 0;
    note_tag(name);

    implicit_closes(name, info);
    if (flags & kBlock) block_break();

    if (link) {
      if (a.has_url) {
        ++r_.signals.links;
        add_url(a.url);
      }
    } else if (img) {
      ++r_.signals.images;
      if (a.has_url) add_url(a.url);
    } else if (form) {
      ++r_.signals.forms;
      if (a.has_url) add_url(a.url);
    }

    if (flags & kRawSkip) {
      if (eq(name, "script")) ++r_.signals.scripts;
      skip_raw_text(name);
      return;
    }
    if (flags & kVoid) return;
    if (stack_.size() >= kMaxDepth) return;  // hostile nesting: stop tracking, stay linear

    Open o{};
    o.hash = hash;
    std::memcpy(o.name, name_buf, len);
    o.len = len;
    const Open* parent = stack_.empty() ? nullptr : &stack_.back();
    o.hidden = parent && parent->hidden;
    o.tiny = parent && parent->tiny;
    o.pre = (parent && parent->pre) || eq(name, "pre");
    if (a.hidden) o.hidden = true;
    if (font && !a.size.empty()) {  // presentational size first; CSS below overrides it
      const int t = font_attr_tiny(a.size);
      if (t >= 0) o.tiny = t == 1;
    }
    if (!a.style.empty()) {
      std::string_view css = a.style;
      if (css.find('&') != std::string_view::npos) {
        decoded_style_.clear();
        decode_attr_value(css, decoded_style_);
        css = decoded_style_;
      }
      const Style st = parse_style(css, scratch_);
      if (st.hidden) o.hidden = true;
      if (st.tiny >= 0) o.tiny = st.tiny == 1;
    }
    push(o);
  }

  // Which tags a document uses says much about who wrote it (a mail client, a web page saved as mail, a spam kit).
  void note_tag(std::string_view name) {
    auto& tags = r_.signals.tags;
    if (name.empty() || name.size() > 12 || tags.size() >= HtmlSignals::kMaxTagNames) return;
    for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return;
    for (const std::string& t : tags)
      if (t == name) return;
    tags.emplace_back(name);
  }

  // Skips the content of a raw-text element up to "</name" + '>' (case-insensitive), or to the end.
  void skip_raw_text(std::string_view name) {
    std::size_t j = i_;
    while (j < n_) {
      const void* p = std::memchr(in_.data() + j, '<', n_ - j);
      if (!p) break;
      const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(p) - in_.data());
      const std::size_t k = lt + 2 + name.size();
      if (k <= n_ && in_[lt + 1] == '/') {
        bool match = true;
        for (std::size_t m = 0; m < name.size() && match; ++m) match = to_lower(in_[lt + 2 + m]) == name[m];
        if (match && (k == n_ || is_space(in_[k]) || in_[k] == '/' || in_[k] == '>')) {
          skip_past('>', k);
          return;
        }
      }
      j = lt + 1;
    }
    i_ = n_;
  }

  void end_tag() {
    char name_buf[kMaxName];
    std::uint8_t len = 0;
    std::uint32_t h = 0;
    const std::size_t after_name = read_name(i_ + 2, name_buf, &len, &h);
    const std::string_view name(name_buf, len);
    skip_past('>', after_name);
    if (eq(name, "br")) {  // "</br>" is a line break in browsers
      block_break();
      return;
    }
    const TagInfo* info = kTagIndex.find(name, h);
    if (maybe_open(h)) {
      for (std::size_t k = stack_.size(); k-- > 0;) {
        if (stack_[k].hash == h && stack_[k].is(name)) {
          pop_to(k);
          break;
        }
      }
    }
    if ((info && (info->flags & kBlock)) || eq(name, "p")) block_break();
  }

  void count_invisible() {
    // U+00AD, U+034F, U+180E, U+200B..U+200F, U+202A..U+202E, U+2060..U+2064, U+2066..U+2069, U+FEFF.
    const auto* p = reinterpret_cast<const unsigned char*>(out_.data());
    const std::size_t n = out_.size();
    std::size_t count = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      i = skip_ascii(p, n, i);
      if (i + 1 >= n) break;
      const unsigned c = p[i];
      if (c < 0xC2) continue;
      const unsigned c1 = p[i + 1];
      if (c == 0xC2) {
        count += c1 == 0xAD;
      } else if (c == 0xCD) {
        count += c1 == 0x8F;
      } else if (i + 2 < n) {
        const unsigned c2 = p[i + 2];
        if (c == 0xE2 && c1 == 0x80) {
          count += (c2 >= 0x8B && c2 <= 0x8F) || (c2 >= 0xAA && c2 <= 0xAE);
        } else if (c == 0xE2 && c1 == 0x81) {
          count += (c2 >= 0xA0 && c2 <= 0xA4) || (c2 >= 0xA6 && c2 <= 0xA9);
        } else if (c == 0xE1) {
          count += c1 == 0xA0 && c2 == 0x8E;
        } else if (c == 0xEF) {
          count += c1 == 0xBB && c2 == 0xBF;
        }
      }
    }
    r_.signals.invisible_chars = count;
  }

  std::string_view in_;
  std::size_t n_;
  std::size_t i_ = 0;
  HtmlText& r_;
  std::string& out_;
  Sep sep_ = Sep::none;
  std::vector<Open> stack_;
  std::array<std::uint16_t, kBuckets> open_count_{};
  std::size_t no_dquote_from_ = std::string_view::npos;
  std::size_t no_squote_from_ = std::string_view::npos;
  std::string scratch_, decoded_style_;
};

}  // namespace

HtmlText html_to_text(std::string_view html) {
  HtmlText r;
  std::string no_nul;
  if (!html.empty() && std::memchr(html.data(), '\0', html.size())) {
    no_nul.reserve(html.size());
    for (char c : html)
      if (c != '\0') no_nul.push_back(c);
    html = no_nul;
  }
  Converter(html, r).run();
  return r;
}

}  // namespace spamcore::mail::detail

// Charset conversion to UTF-8: ASCII / UTF-8 / windows-1252 by hand, everything else through glibc iconv with a
// manual error loop (libraries.md section 2 and P13).
#include "mail/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "mail/charset_util.hpp"

namespace spamcore::mail::detail {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// ---------------------------------------------------------------------------------------------------------------
// Label normalisation

struct Alias {
  std::string_view from;
  std::string_view to;
};

// Sorted by `from` (checked below). WHATWG-style supersets: what the sender's software really emitted.
constexpr Alias kAliases[] = {
    {"8859-1", "windows-1252"},
    {"ansi_x3.4-1968", "windows-1252"},
    {"ascii", "windows-1252"},
    {"big-5", "big5-hkscs"},
    {"big5", "big5-hkscs"},
    {"big5-hkscs", "big5-hkscs"},
    {"big5hkscs", "big5-hkscs"},
    {"charset", "windows-1252"},
    {"chinese", "gb18030"},
    {"chinesebig5", "big5-hkscs"},
    {"cn-big5", "big5-hkscs"},
    {"cp819", "windows-1252"},
    {"cp932", "cp932"},
    {"cp936", "gb18030"},
    {"cp949", "cp949"},
    {"csascii", "windows-1252"},
    {"csbig5", "big5-hkscs"},
    {"cseuckr", "cp949"},
    {"csgb2312", "gb18030"},
    {"csiso2022jp", "iso-2022-jp-2"},  // glibc's -2 also reads half-width katakana (ESC ( I)
    {"csiso58gb231280", "gb18030"},
    {"csiso88598i", "iso-8859-8"},
    {"csisolatin1", "windows-1252"},
    {"csisolatin5", "windows-1254"},
    {"cskoi8r", "koi8-r"},
    {"csksc56011987", "cp949"},
    {"csmacintosh", "macintosh"},
    {"csshiftjis", "cp932"},
    {"csunicode", "utf-16"},
    {"default", "windows-1252"},
    {"default_charset", "windows-1252"},
    {"dos-874", "windows-874"},
    {"euc-cn", "gb18030"},
    {"euc-kr", "cp949"},
    {"euckr", "cp949"},
    {"gb18030", "gb18030"},
    {"gb2312", "gb18030"},
    {"gb2312_charset", "gb18030"},
    {"gb_2312", "gb18030"},
    {"gb_2312-80", "gb18030"},
    {"gbk", "gb18030"},
    {"ibm819", "windows-1252"},
    {"iso-10646-ucs-2", "utf-16"},
    {"iso-2022-jp", "iso-2022-jp-2"},
    {"iso-8859-1", "windows-1252"},
    {"iso-8859-11", "windows-874"},
    {"iso-8859-8-i", "iso-8859-8"},
    {"iso-8859-8i", "iso-8859-8"},
    {"iso-8859-9", "windows-1254"},
    {"iso-ir-100", "windows-1252"},
    {"iso-ir-148", "windows-1254"},
    {"iso-ir-149", "cp949"},
    {"iso-ir-58", "gb18030"},
    {"iso646-us", "windows-1252"},
    {"iso8859-1", "windows-1252"},
    {"iso8859-11", "windows-874"},
    {"iso8859-9", "windows-1254"},
    {"iso88591", "windows-1252"},
    {"iso88599", "windows-1254"},
    {"iso_8859-1", "windows-1252"},
    {"iso_8859-1:1987", "windows-1252"},
    {"iso_8859-9", "windows-1254"},
    {"koi", "koi8-r"},
    {"koi8", "koi8-r"},
    {"koi8-r", "koi8-r"},
    {"koi8-ru", "koi8-u"},
    {"koi8_r", "koi8-r"},
    {"korean", "cp949"},
    {"ks_c_5601", "cp949"},
    {"ks_c_5601-1987", "cp949"},
    {"ks_c_5601-1989", "cp949"},
    {"ksc5601", "cp949"},
    {"ksc_5601", "cp949"},
    {"l1", "windows-1252"},
    {"l5", "windows-1254"},
    {"latin-1", "windows-1252"},
    {"latin1", "windows-1252"},
    {"latin5", "windows-1254"},
    {"logical", "iso-8859-8"},
    {"mac", "macintosh"},
    {"macintosh", "macintosh"},
    {"macroman", "macintosh"},
    {"ms932", "cp932"},
    {"ms936", "gb18030"},
    {"ms949", "cp949"},
    {"ms_kanji", "cp932"},
    {"none", "windows-1252"},
    {"shift-jis", "cp932"},
    {"shift_jis", "cp932"},
    {"sjis", "cp932"},
    {"tis-620", "windows-874"},
    {"tis620", "windows-874"},
    {"ucs-2", "utf-16"},
    {"uhc", "cp949"},
    {"unicode", "utf-16"},
    {"unicode-1-1-utf-7", "utf-7"},
    {"unicode-1-1-utf-8", "utf-8"},
    {"unicode11utf8", "utf-8"},
    {"unicode20utf8", "utf-8"},
    {"unicodefffe", "utf-16be"},
    {"unknown", "windows-1252"},
    {"unknown-8bit", "windows-1252"},
    {"us", "windows-1252"},
    {"us-ascii", "windows-1252"},
    {"utf7", "utf-7"},
    {"utf8", "utf-8"},
    {"windows-31j", "cp932"},
    {"windows-874", "windows-874"},
    {"windows-936", "gb18030"},
    {"windows-949", "cp949"},
    {"x-big5", "big5-hkscs"},
    {"x-euc-cn", "gb18030"},
    {"x-euc-jp", "euc-jp"},
    {"x-euc-kr", "cp949"},
    {"x-gbk", "gb18030"},
    {"x-mac", "macintosh"},
    {"x-mac-ce", "mac-centraleurope"},
    {"x-mac-centraleurroman", "mac-centraleurope"},
    {"x-mac-cyrillic", "mac-cyrillic"},
    {"x-mac-icelandic", "mac-is"},
    {"x-mac-roman", "macintosh"},
    {"x-mac-ukrainian", "macukrainian"},
    {"x-ms-cp932", "cp932"},
    {"x-sjis", "cp932"},
    {"x-unicode-1-1-utf-7", "utf-7"},
    {"x-unicode20utf8", "utf-8"},
    {"x-unknown", "windows-1252"},
    {"x-user-defined", "windows-1252"},
    {"x-windows-874", "windows-874"},
    {"x-windows-949", "cp949"},
    {"x-x-big5", "big5-hkscs"},
};

constexpr bool aliases_sorted() {
  for (std::size_t i = 1; i < std::size(kAliases); ++i)
    if (!(kAliases[i - 1].from < kAliases[i].from)) return false;
  return true;
}
static_assert(aliases_sorted(), "kAliases must be sorted by `from`");

bool label_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':' ||
         c == '+';
}

// "cp1251", "cp-1251", "win-1251", "win1251", "x-cp1251", "windows1251" -> "windows-1251".
bool windows_codepage(std::string_view s, std::string& out) {
  if (s.substr(0, 2) == "x-") s.remove_prefix(2);
  for (std::string_view pre : {"windows", "win", "cp", "ms"}) {
    if (s.substr(0, pre.size()) == pre) {
      std::string_view rest = s.substr(pre.size());
      if (!rest.empty() && (rest[0] == '-' || rest[0] == '_')) rest.remove_prefix(1);
      if (rest.size() == 4 && rest.substr(0, 3) == "125" && rest[3] >= '0' && rest[3] <= '8') {
        out = "windows-";
        out += rest;
        return true;
      }
      return false;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// UTF-8

// Length of the well-formed sequence at p (1..4), or minus the length of the maximal ill-formed subpart (<= -1).
inline int utf8_check(const unsigned char* p, std::size_t avail) {
  const unsigned c = p[0];
  if (c < 0x80) return 1;
  unsigned lo = 0x80, hi = 0xBF;
  int len;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return -1;
  }
  for (int i = 1; i < len; ++i) {
    if (static_cast<std::size_t>(i) >= avail) return -i;
    const unsigned b = p[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return -i;
  }
  return len;
}

// Replaces every ill-formed subsequence by U+FFFD.
std::string repair_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::string out;
  out.reserve(n + n / 2 + 16);
  std::size_t i = 0;
  while (i < n) {
    const std::size_t j = skip_ascii(p, n, i);
    out.append(s.data() + i, j - i);
    i = j;
    if (i >= n) break;
    const int r = utf8_check(p + i, n - i);
    if (r > 0) {
      out.append(s.data() + i, static_cast<std::size_t>(r));
      i += static_cast<std::size_t>(r);
    } else {
      out.append(kReplacement, 3);
      i += static_cast<std::size_t>(-r);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// windows-1252 (by hand: the common fallback; the five undefined bytes become their C1 code points, as in WHATWG)

constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

struct Utf8Seq {
  char b[3];
  std::uint8_t len;
};

constexpr std::array<Utf8Seq, 128> make_cp1252_table() {
  std::array<Utf8Seq, 128> t{};
  for (unsigned i = 0; i < 128; ++i) {
    const unsigned cp = i < 32 ? kCp1252High[i] : 0x80 + i;
    if (cp < 0x800) {
      t[i] = Utf8Seq{{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F)), 0}, 2};
    } else {
      t[i] = Utf8Seq{{static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                      static_cast<char>(0x80 | (cp & 0x3F))},
                     3};
    }
  }
  return t;
}
constexpr std::array<Utf8Seq, 128> kCp1252 = make_cp1252_table();

std::string from_cp1252(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  // Sized exactly first: at three bytes per input byte, the zeroing alone cost a long part more than the conversion.
  std::size_t len = n;
  for (std::size_t k = skip_ascii(p, n, 0); k < n; k = skip_ascii(p, n, k + 1)) len += kCp1252[p[k] - 0x80].len - 1;
  std::string out;
  out.resize(len);
  char* o = out.data();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t j = skip_ascii(p, n, i);
    std::memcpy(o, s.data() + i, j - i);
    o += j - i;
    i = j;
    while (i < n && p[i] >= 0x80) {
      const Utf8Seq& q = kCp1252[p[i] - 0x80];
      o[0] = q.b[0];
      o[1] = q.b[1];
      if (q.len == 3) o[2] = q.b[2];  // exactly sized: a two-byte one at the end has no third byte to write
      o += q.len;
      ++i;
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// iconv, one descriptor per charset per thread

// The budget of the innermost CharsetBudget alive on this thread, or none.
thread_local std::size_t* t_budget = nullptr;

class IconvCache {
 public:
  IconvCache() = default;
  IconvCache(const IconvCache&) = delete;
  IconvCache& operator=(const IconvCache&) = delete;
  ~IconvCache() { clear(); }

  /// The descriptor for `name` (already normalised), or (iconv_t)-1 when iconv does not know it.
  iconv_t get(const std::string& name) {
    for (auto& e : entries_)
      if (e.first == name) return e.second;
    if (t_budget) {
      if (*t_budget == 0) return invalid();
      --*t_budget;
    }
    if (entries_.size() >= kMaxEntries) clear();  // hostile label variety: start over, stays bounded
    iconv_t cd = iconv_open("UTF-8", name.c_str());
    if (cd == invalid() && name.size() > 2 && name.compare(0, 2, "x-") == 0)
      cd = iconv_open("UTF-8", name.c_str() + 2);
    entries_.emplace_back(name, cd);
    return cd;
  }

  static iconv_t invalid() { return reinterpret_cast<iconv_t>(-1); }

 private:
  static constexpr std::size_t kMaxEntries = 48;

  void clear() {
    for (auto& e : entries_)
      if (e.second != invalid()) iconv_close(e.second);
    entries_.clear();
  }

  std::vector<std::pair<std::string, iconv_t>> entries_;
};

}  // namespace

CharsetBudget::CharsetBudget(std::size_t charsets) : left_(charsets), outer_(t_budget) { t_budget = &left_; }
CharsetBudget::~CharsetBudget() { t_budget = outer_; }

namespace {

IconvCache& iconv_cache() {
  thread_local IconvCache cache;
  return cache;
}

// Converts with the manual error loop. `unit` is the code unit size skipped on an invalid sequence.
std::string convert_iconv(iconv_t cd, std::string_view in, std::size_t unit, bool* invalid) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state (ISO-2022-JP, UTF-7, ...)
  std::string out;
  out.resize(in.size() * 2 + 16);
  char* inp = const_cast<char*>(in.data());
  std::size_t inleft = in.size();
  std::size_t used = 0;
  auto grow = [&](std::size_t need) {
    if (out.size() - used < need) out.resize(std::max(out.size() * 2, used + need + 16));
  };
  while (inleft > 0) {
    char* outp = out.data() + used;
    std::size_t outleft = out.size() - used;
    const std::size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
    used = static_cast<std::size_t>(outp - out.data());
    if (r != static_cast<std::size_t>(-1)) break;
    const int err = errno;
    if (err == E2BIG) {
      grow(out.size());
      continue;
    }
    grow(4);
    out.replace(used, 3, kReplacement, 3);
    used += 3;
    *invalid = true;
    if (err == EILSEQ) {
      const std::size_t skip = std::min(unit, inleft);
      inp += skip;
      inleft -= skip;
    } else {  // EINVAL: incomplete sequence at the end (or anything unexpected): stop
      break;
    }
  }
  // Flush any pending output of a stateful decoder.
  for (int tries = 0; tries < 4; ++tries) {
    grow(16);
    char* outp = out.data() + used;
    std::size_t outleft = out.size() - used;
    const std::size_t r = iconv(cd, nullptr, nullptr, &outp, &outleft);
    used = static_cast<std::size_t>(outp - out.data());
    if (r != static_cast<std::size_t>(-1) || errno != E2BIG) break;
    grow(out.size());
  }
  out.resize(used);
  return out;
}

enum class Kind { utf8, cp1252, ascii_compatible, escapes, wide };

// How the bytes of a (normalised) charset relate to ASCII. `marker` is set for 7-bit escape encodings: only input
// containing it needs conversion.
Kind classify(std::string_view name, char* marker, std::size_t* unit) {
  *marker = 0;
  *unit = 1;
  if (name == "utf-8") return Kind::utf8;
  if (name == "windows-1252") return Kind::cp1252;
  auto starts = [&](std::string_view p) { return name.substr(0, p.size()) == p; };
  if (starts("utf-16") || starts("utf16") || starts("ucs-2") || starts("ucs2")) {
    *unit = 2;
    return Kind::wide;
  }
  if (starts("utf-32") || starts("utf32") || starts("ucs-4") || starts("ucs4")) {
    *unit = 4;
    return Kind::wide;
  }
  if (starts("iso-2022") || starts("iso2022") || starts("csiso2022")) {
    *marker = '\x1B';
    return Kind::escapes;
  }
  if (starts("utf-7") || starts("utf7")) {
    *marker = '+';
    return Kind::escapes;
  }
  if (starts("hz")) {
    *marker = '~';
    return Kind::escapes;
  }
  return Kind::ascii_compatible;
}

// "utf-16": use the BOM when there is one, else guess the byte order from where the zero bytes are.
std::string pick_utf16_order(const std::string& name, std::string_view bytes) {
  if (name != "utf-16" || bytes.size() < 2) return name;
  const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
  if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) return name;
  std::size_t even = 0, odd = 0;
  const std::size_t lim = std::min<std::size_t>(bytes.size(), 4096);
  for (std::size_t i = 0; i + 1 < lim; i += 2) {
    even += bytes[i] == 0;
    odd += bytes[i + 1] == 0;
  }
  return odd > even ? "utf-16le" : "utf-16be";
}

}  // namespace

bool is_ascii(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  return skip_ascii(p, s.size(), 0) == s.size();
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (true) {
    i = skip_ascii(p, n, i);
    if (i >= n) return true;
    const int r = utf8_check(p + i, n - i);
    if (r <= 0) return false;
    i += static_cast<std::size_t>(r);
  }
}

std::string utf8_or_cp1252(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  return from_cp1252(bytes);
}

std::string normalize_charset(std::string_view label) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  auto quote = [](char c) { return c == '"' || c == '\''; };
  while (!label.empty() && (blank(label.front()) || quote(label.front()))) label.remove_prefix(1);
  // The label ends at a blank, quote, ';', comment or RFC 2231 language suffix.
  std::size_t end = 0;
  while (end < label.size() && !blank(label[end]) && !quote(label[end]) && label[end] != ';' &&
         label[end] != '(' && label[end] != '*')
    ++end;
  label = label.substr(0, end);
  if (label.empty()) return "windows-1252";
  if (label.size() > 64) return "?";  // no real charset name is that long; never known to iconv
  std::string s(label);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!label_char_ok(c)) return "?";  // '/' would pass options to iconv_open; '?' is never a charset
  }
  const auto it = std::lower_bound(std::begin(kAliases), std::end(kAliases), s,
                                   [](const Alias& a, const std::string& k) { return a.from < k; });
  if (it != std::end(kAliases) && it->from == s) return std::string(it->to);
  std::string win;
  if (windows_codepage(s, win)) return win;
  if (s.compare(0, 6, "x-mac-") == 0) return "mac-" + s.substr(6);
  return s;
}

std::optional<std::string> to_utf8_if_changed(std::string_view bytes, std::string_view label,
                                              CharsetResult* result) {
  CharsetResult local;
  CharsetResult& r = result ? *result : local;
  r = CharsetResult{};
  // No label at all: UTF-8 when it validates, else windows-1252.
  std::string_view trimmed = label;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t' || trimmed.front() == '"'))
    trimmed.remove_prefix(1);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t' || trimmed.back() == '"'))
    trimmed.remove_suffix(1);
  if (trimmed.empty()) {
    if (is_valid_utf8(bytes)) return std::nullopt;
    return from_cp1252(bytes);
  }

  const std::string name = normalize_charset(label);
  char marker = 0;
  std::size_t unit = 1;
  const Kind kind = classify(name, &marker, &unit);
  if (kind == Kind::utf8) {
    if (is_valid_utf8(bytes)) return std::nullopt;
    r.invalid_bytes = true;
    return repair_utf8(bytes);
  }
  if (kind == Kind::cp1252) {
    if (is_ascii(bytes)) return std::nullopt;
    return from_cp1252(bytes);
  }

  const bool ascii = kind != Kind::wide && is_ascii(bytes);
  const bool needs_iconv = !ascii || (kind == Kind::escapes && bytes.find(marker) != std::string_view::npos);
  if (!needs_iconv && name == "?") {
    r.unknown_charset = true;
    return std::nullopt;
  }
  const std::string iconv_name = kind == Kind::wide ? pick_utf16_order(name, bytes) : name;
  iconv_t cd = name == "?" ? IconvCache::invalid() : iconv_cache().get(iconv_name);
  if (cd == IconvCache::invalid()) {
    r.unknown_charset = true;
    if (is_valid_utf8(bytes)) return std::nullopt;
    return from_cp1252(bytes);
  }
  if (!needs_iconv) return std::nullopt;
  bool invalid = false;
  std::string out = convert_iconv(cd, bytes, unit, &invalid);
  r.invalid_bytes = invalid;
  if (kind == Kind::wide && out.size() >= 3 && out.compare(0, 3, "\xEF\xBB\xBF") == 0) out.erase(0, 3);  // BOM
  return out;
}

std::string to_utf8(std::string_view bytes, std::string_view label, CharsetResult* result) {
  std::optional<std::string> out = to_utf8_if_changed(bytes, label, result);
  return out ? std::move(*out) : std::string(bytes);
}

}  // namespace spamcore::mail::detail

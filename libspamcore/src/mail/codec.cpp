// Content-Transfer-Encoding decoders: base64, quoted-printable, uuencode. Single pass, linear, bounds-checked.
#include "mail/codec.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "mail/scan.hpp"

namespace spamcore::mail::detail {
namespace {

// base64 table: 0..63 alphabet, kB64Space for whitespace, kB64Pad for '=', kB64Bad for anything else.
constexpr std::uint8_t kB64Space = 64;
constexpr std::uint8_t kB64Pad = 65;
constexpr std::uint8_t kB64Bad = 255;

constexpr std::array<std::uint8_t, 256> make_b64_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kB64Bad;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  for (unsigned char c : {' ', '\t', '\r', '\n', '\v', '\f'}) t[c] = kB64Space;
  t['='] = kB64Pad;
  return t;
}
constexpr std::array<std::uint8_t, 256> kB64 = make_b64_table();

// Hex digit value, or -1.
constexpr std::array<std::int8_t, 256> make_hex_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<std::int8_t>(i);
  for (int i = 0; i < 6; ++i) {
    t['a' + i] = static_cast<std::int8_t>(10 + i);
    t['A' + i] = static_cast<std::int8_t>(10 + i);
  }
  return t;
}
constexpr std::array<std::int8_t, 256> kHex = make_hex_table();

inline std::uint8_t u8(char c) { return static_cast<std::uint8_t>(c); }

}  // namespace

std::string decode_base64(std::string_view in, bool* bad) {
  std::string out;
  out.resize(in.size() / 4 * 3 + 3);
  char* o = out.data();
  const char* p = in.data();
  const char* const end = p + in.size();
  bool is_bad = false;
  std::uint32_t acc = 0;
  int n = 0;  // sextets in acc
  while (p < end) {
    // Fast path: four alphabet characters at a quantum boundary.
    if (n == 0) {
      while (end - p >= 4) {
        const std::uint32_t a = kB64[u8(p[0])], b = kB64[u8(p[1])], c = kB64[u8(p[2])], d = kB64[u8(p[3])];
        if ((a | b | c | d) >= 64) break;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        o[0] = static_cast<char>(v >> 16);
        o[1] = static_cast<char>(v >> 8);
        o[2] = static_cast<char>(v);
        o += 3;
        p += 4;
      }
      if (p == end) break;
    }
    const std::uint8_t v = kB64[u8(*p++)];
    if (v < 64) {
      acc = (acc << 6) | v;
      if (++n == 4) {
        o[0] = static_cast<char>(acc >> 16);
        o[1] = static_cast<char>(acc >> 8);
        o[2] = static_cast<char>(acc);
        o += 3;
        n = 0;
        acc = 0;
      }
    } else if (v == kB64Space) {
      continue;
    } else if (v == kB64Pad) {
      // Padding ends the data: flush the partial quantum as far as it goes.
      if (n == 2) {
        *o++ = static_cast<char>(acc >> 4);
      } else if (n == 3) {
        *o++ = static_cast<char>(acc >> 10);
        *o++ = static_cast<char>(acc >> 2);
      } else {
        is_bad = true;  // "=" where no padding can be
      }
      n = 0;
      // Anything but padding and whitespace after the end is suspicious (it is not decoded).
      for (; p < end; ++p) {
        const std::uint8_t w = kB64[u8(*p)];
        if (w != kB64Space && w != kB64Pad) {
          is_bad = true;
          break;
        }
      }
      break;
    } else {
      is_bad = true;  // garbage byte: skipped
    }
  }
  if (n != 0) {  // data stopped mid-quantum
    is_bad = true;
    if (n == 2) {
      *o++ = static_cast<char>(acc >> 4);
    } else if (n == 3) {
      *o++ = static_cast<char>(acc >> 10);
      *o++ = static_cast<char>(acc >> 2);
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  if (bad) *bad = is_bad;
  return out;
}

std::string decode_qp(std::string_view in, bool* bad) {
  std::string out;
  out.resize(in.size());  // output never exceeds input
  char* o = out.data();
  const char* p = in.data();
  const char* const end = p + in.size();
  bool is_bad = false;
  while (p < end) {
    // Copy the run of ordinary bytes.
    const char* q = find_any<'=', '\r', '\n'>(p, end);
    if (q != p) {
      std::memcpy(o, p, static_cast<std::size_t>(q - p));
      o += q - p;
      p = q;
      if (p == end) break;
    }
    const char c = *p;
    if (c == '\n') {
      *o++ = '\n';
      ++p;
    } else if (c == '\r') {
      *o++ = '\n';
      ++p;
      if (p < end && *p == '\n') ++p;
    } else {  // '='
      if (end - p >= 3) {
        const int hi = kHex[u8(p[1])], lo = kHex[u8(p[2])];
        if (hi >= 0 && lo >= 0) {
          *o++ = static_cast<char>((hi << 4) | lo);
          p += 3;
          continue;
        }
      }
      // Soft line break: '=' + optional blanks + line ending (or end of input).
      const char* s = p + 1;
      while (s < end && (*s == ' ' || *s == '\t')) ++s;
      if (s == end) {
        p = end;
      } else if (*s == '\n') {
        p = s + 1;
      } else if (*s == '\r') {
        p = s + 1;
        if (p < end && *p == '\n') ++p;
      } else {
        is_bad = true;  // malformed escape: keep the '=' as written
        *o++ = '=';
        ++p;
      }
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  if (bad) *bad = is_bad;
  return out;
}

namespace {

// One line starting at `p` (without its line ending); advances `p` past the line ending.
std::string_view next_line(const char*& p, const char* end) {
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
  const char* line_end = nl ? nl : end;
  std::string_view line(p, static_cast<std::size_t>(line_end - p));
  p = nl ? nl + 1 : end;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool is_uu_begin(std::string_view line, std::string* filename) {
  // "begin" SP mode SP name, the mode 3 or 4 octal digits.
  if (line.size() < 7 || line.substr(0, 6) != "begin ") return false;
  std::size_t i = 6;
  while (i < line.size() && line[i] == ' ') ++i;
  const std::size_t mode_start = i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '7') ++i;
  const std::size_t mode_len = i - mode_start;
  if (mode_len < 3 || mode_len > 4 || i >= line.size() || line[i] != ' ') return false;
  while (i < line.size() && line[i] == ' ') ++i;
  std::string_view name = line.substr(i);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (filename) filename->assign(name);
  return true;
}

}  // namespace

bool decode_uuencode(std::string_view in, std::string* out, std::string* filename) {
  const char* p = in.data();
  const char* const end = p + in.size();
  bool found = false;
  std::string name;
  while (p < end) {
    if (is_uu_begin(next_line(p, end), &name)) {
      found = true;
      break;
    }
  }
  if (!found) return false;

  std::string data;
  data.reserve(static_cast<std::size_t>(end - p) / 4 * 3);
  bool ended = false;
  std::size_t lines = 0;
  while (p < end) {
    const std::string_view line = next_line(p, end);
    if (line.size() >= 3 && line.substr(0, 3) == "end" &&
        line.find_first_not_of(" \t", 3) == std::string_view::npos) {
      ended = true;
      break;
    }
    if (line.empty()) {
      if (lines == 0) continue;  // tolerate a blank line right after "begin"
      break;
    }
    const auto len_char = u8(line[0]);
    if (len_char < 32 || len_char > 96) break;  // garbage: stop
    // Clamped to what the line can hold (plus stripped trailing blanks), so output stays below input size.
    const std::size_t n = std::min<std::size_t>((len_char - 32u) & 63u, (line.size() - 1) * 3 / 4 + 3);
    bool garbage = false;
    for (char ch : line) {
      if (u8(ch) < 32 || u8(ch) > 96) {
        garbage = true;
        break;
      }
    }
    if (garbage) break;
    // Groups of four characters give three bytes; missing characters (stripped trailing blanks) count as zero.
    std::size_t produced = 0;
    for (std::size_t i = 1; produced < n; i += 4) {
      std::uint32_t v = 0;
      for (std::size_t k = 0; k < 4; ++k) {
        const std::size_t j = i + k;
        const std::uint32_t s = j < line.size() ? ((u8(line[j]) - 32u) & 63u) : 0u;
        v = (v << 6) | s;
      }
      for (int k = 2; k >= 0 && produced < n; --k, ++produced) data.push_back(static_cast<char>(v >> (8 * k)));
    }
    ++lines;
  }
  if (!ended && lines == 0) return false;
  if (out) *out = std::move(data);
  if (filename) *filename = std::move(name);
  return true;
}

}  // namespace spamcore::mail::detail

// RFC 2047 encoded words, lenient the way real mail needs (and linear: the encoded text never contains '?').
#include "mail/rfc2047.hpp"

#include "mail/charset.hpp"
#include "mail/charset_util.hpp"
#include "mail/codec.hpp"
#include "mail/scan.hpp"

namespace spamcore::mail::detail {
namespace {

constexpr std::size_t kMaxCharsetLen = 64;

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool is_b64_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

enum class Parse { not_a_word, broken, ok };

struct Word {
  std::string_view charset;
  char encoding = 0;  // 'b' or 'q'
  std::string_view text;
  std::size_t end = 0;  // one past "?="
};

// Parses "=?charset?X?text?=" starting at raw[s] == '='.
Parse parse_word(std::string_view raw, std::size_t s, Word& w) {
  const std::size_t n = raw.size();
  std::size_t i = s + 2;
  const std::size_t cs_start = i;
  while (i < n && raw[i] != '?' && !is_blank(raw[i]) && i - cs_start <= kMaxCharsetLen) ++i;
  if (i >= n || raw[i] != '?' || i == cs_start) return Parse::not_a_word;
  w.charset = raw.substr(cs_start, i - cs_start);
  ++i;
  if (i + 1 >= n || raw[i + 1] != '?') return Parse::not_a_word;
  const char e = raw[i];
  if (e == 'b' || e == 'B') {
    w.encoding = 'b';
  } else if (e == 'q' || e == 'Q') {
    w.encoding = 'q';
  } else {
    return Parse::broken;  // "=?cs?X?" : an encoded word with an unknown encoding
  }
  const std::size_t t = i + 2;
  const std::size_t q = find_char(raw, '?', t);
  if (q == std::string_view::npos || q + 1 >= n || raw[q + 1] != '=') return Parse::broken;  // no "?="
  w.text = raw.substr(t, q - t);
  w.end = q + 2;
  return Parse::ok;
}

// Decodes the text of a B word; false when it is not base64 at all.
bool decode_b(std::string_view text, std::string& out) {
  std::size_t count = 0;
  bool pad = false;
  for (char c : text) {
    if (is_b64_alpha(c)) {
      if (pad) return false;  // data after padding
      ++count;
    } else if (c == '=') {
      pad = true;
    } else if (!is_blank(c)) {
      return false;
    }
  }
  if (count % 4 == 1) return false;  // six stray bits: truncated or garbage
  out += decode_base64(text);         // a missing '=' padding is common and harmless
  return true;
}

// Decodes the text of a Q word; a malformed '=' is kept and reported.
void decode_q(std::string_view text, std::string& out, bool& malformed) {
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=') {
      const int hi = i + 2 < n ? hex_value(text[i + 1]) : -1;
      const int lo = i + 2 < n ? hex_value(text[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
      } else {
        malformed = true;
        out.push_back('=');
      }
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string decode_header_value(std::string_view raw, bool* bad) {
  if (bad) *bad = false;
  std::size_t s = find_str(raw, "=?");
  if (s == std::string_view::npos) return utf8_or_cp1252(raw);

  std::string out;
  out.reserve(raw.size() + raw.size() / 2);
  std::string pending;          // decoded bytes of adjacent words in one charset (a character may span words)
  std::string_view pending_cs;  // their charset label as written
  std::string pending_norm;     // ... normalised
  std::size_t text_start = 0;   // raw text not yet emitted
  bool after_word = false;      // raw[text_start..] follows an encoded word
  bool is_bad = false;

  auto flush = [&] {
    if (pending_cs.empty()) return;
    out += to_utf8(pending, pending_cs);
    pending.clear();
    pending_cs = {};
    pending_norm.clear();
  };

  std::string bytes;
  while (s != std::string_view::npos) {
    Word w;
    const Parse p = parse_word(raw, s, w);
    bool decoded = false;
    if (p == Parse::ok) {
      bytes.clear();
      if (w.encoding == 'b') {
        decoded = decode_b(w.text, bytes);
      } else {
        bool malformed = false;
        decode_q(w.text, bytes, malformed);
        is_bad |= malformed;
        decoded = true;
      }
    }
    if (p == Parse::broken || (p == Parse::ok && !decoded)) is_bad = true;
    if (!decoded) {
      s = find_str(raw, "=?", s + 1);
      continue;
    }
    // The raw text before this word: dropped when it is only whitespace between two encoded words.
    const std::string_view between = raw.substr(text_start, s - text_start);
    bool only_blanks = true;
    for (char c : between) only_blanks &= is_blank(c);
    if (!(after_word && only_blanks)) {
      flush();
      out += utf8_or_cp1252(between);
    }
    const std::string norm = normalize_charset(w.charset);
    if (!pending_cs.empty() && norm != pending_norm) flush();
    if (pending_cs.empty()) {
      pending_cs = w.charset;
      pending_norm = norm;
    }
    pending += bytes;
    after_word = true;
    text_start = w.end;
    s = find_str(raw, "=?", w.end);
  }
  flush();
  out += utf8_or_cp1252(raw.substr(text_start));
  if (bad) *bad = is_bad;
  return out;
}

}  // namespace spamcore::mail::detail

#include "mail/header.hpp"

#include <algorithm>

#include "mail/charset.hpp"
#include "mail/charset_util.hpp"
#include "mail/rfc2047.hpp"
#include "mail/scan.hpp"

namespace spamcore::mail::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// std::tolower in the "C" locale, without the call.
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// One physical line: [begin, end) without its line ending; `next` is where the following line starts.
struct Line {
  std::size_t begin, end, next;
  std::string_view ending;
};

Line next_line(std::string_view s, std::size_t pos) {
  const std::size_t n = s.size();
  const std::size_t i = static_cast<std::size_t>(find_any<'\n', '\r'>(s.data() + pos, s.data() + n) - s.data());
  if (i == n) return {pos, n, n, {}};
  if (s[i] == '\n') return {pos, i, i + 1, s.substr(i, 1)};
  // A CR ends the line too (bare CR) unless it is the CR of a CRLF.
  if (i + 1 < n && s[i + 1] == '\n') return {pos, i, i + 2, s.substr(i, 2)};
  return {pos, i, i + 1, s.substr(i, 1)};
}

// A field name is printable ASCII without ':'; blanks before the colon are tolerated ("Subject : x").
std::size_t field_colon(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] != ':') {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c <= 32 || c >= 127) {
      if (!is_blank(line[i])) return std::string_view::npos;
      // only blanks may follow until the colon
      std::size_t j = i;
      while (j < line.size() && is_blank(line[j])) ++j;
      return (j < line.size() && line[j] == ':' && i > 0) ? j : std::string_view::npos;
    }
    ++i;
  }
  return (i > 0 && i < line.size()) ? i : std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string lower_trim(std::string_view s) {
  s = trim(s);
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

HeaderBlock parse_header_block(std::string_view bytes, const Limits& limits, std::vector<Issue>& issues,
                               bool decode) {
  HeaderBlock block;
  block.fields.reserve(std::min<std::size_t>(limits.max_headers, 32));
  bool capped = false, too_many = false;
  std::size_t pos = 0;
  bool first = true;
  // The raw value of the last field kept is unfolded here and copied into the field when complete: appending to
  // the field itself reallocated it at nearly every continuation line.
  std::string unfolded;
  bool unfolding = false;
  const auto complete_field = [&] {
    if (unfolding) block.fields.back().raw = unfolded;
    unfolding = false;
  };
  while (pos < bytes.size()) {
    const Line line = next_line(bytes, pos);
    const std::string_view text = bytes.substr(line.begin, line.end - line.begin);
    // (a literal, not a copy of the view: GCC 12 warns falsely on the copy, -Wrestrict)
    if (first && !line.ending.empty()) block.line_ending = line.ending == "\r\n" ? "\r\n" : line.ending == "\r" ? "\r" : "\n";
    if (text.empty()) {  // the blank line that ends the header block
      block.fields_end = line.begin;
      block.body_offset = line.next;
      break;
    }
    if (is_blank(text.front()) && !first) {  // continuation: unfold with one space
      if (unfolding) {
        std::string& raw = unfolded;
        const std::string_view more = trim(text);
        if (!more.empty() && raw.size() < limits.max_line) {
          if (!raw.empty()) raw.push_back(' ');
          raw.append(more.substr(0, limits.max_line - std::min(raw.size(), limits.max_line)));
        } else if (!more.empty()) {
          capped = true;
        }
      }
      pos = line.next;
      block.body_offset = pos;
      continue;
    }
    const std::size_t colon = field_colon(text);
    if (colon == std::string_view::npos) {
      if (first) {
        issues.push_back({IssueKind::no_header, {}});
        block.body_offset = 0;
      } else {
        issues.push_back({IssueKind::bad_header_line, std::string(text.substr(0, 60))});
        block.body_offset = line.begin;
      }
      block.fields_end = block.body_offset;
      break;
    }
    first = false;
    complete_field();
    if (block.fields.size() < limits.max_headers) {
      block.fields.push_back(HeaderField{std::string(trim(text.substr(0, colon))), std::string(), std::string()});
      const std::string_view value = trim(text.substr(colon + 1));
      if (value.size() > limits.max_line) capped = true;
      unfolded.assign(value.substr(0, limits.max_line));
      unfolding = true;
    } else {
      // Keep consuming the block so the body still starts in the right place.
      too_many = true;
    }
    pos = line.next;
    block.body_offset = pos;
  }
  complete_field();
  if (pos >= bytes.size()) block.body_offset = block.fields_end = bytes.size();
  if (too_many) issues.push_back({IssueKind::too_many_headers, std::to_string(limits.max_headers)});
  if (capped) issues.push_back({IssueKind::long_line, "header value"});
  if (!decode) return block;

  bool eight_bit = false, bad_word = false;
  for (HeaderField& f : block.fields) {
    const bool ascii = is_ascii(f.raw);
    eight_bit = eight_bit || !ascii;
    if (ascii && find_str(f.raw, "=?") == std::string_view::npos) {
      f.value = f.raw;  // nothing to decode (what decode_header_value returns, without its checks)
      continue;
    }
    bool bad = false;
    f.value = decode_header_value(f.raw, &bad);
    bad_word = bad_word || bad;
  }
  if (eight_bit) issues.push_back({IssueKind::eight_bit_header, {}});
  if (bad_word) issues.push_back({IssueKind::bad_encoded_word, {}});
  return block;
}

// --- structured values -----------------------------------------------------------------------------------------

namespace {

// A parameter value as written: a quoted string is unquoted (backslash escapes honoured), anything else trimmed.
std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.empty() || v.front() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      out.push_back(v[++i]);
    } else if (v[i] == '"') {
      break;
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

}  // namespace

FieldParams parse_field_params(std::string_view raw) {
  FieldParams out;
  // Pieces are separated by ';' outside quotes; comments "( ... )" (nesting-aware) outside quotes are dropped.
  // Quotes stay in the pieces so that blanks inside a quoted value survive trimming. At most 256 pieces.
  // Without comments (nearly always) every piece is a span of `raw`; with them the pieces are rebuilt without.
  constexpr std::size_t kMaxPieces = 256;
  std::vector<std::string_view> pieces;
  std::vector<std::string> rebuilt;
  if (find_char(raw, '(') == std::string_view::npos) {
    bool quoted = false;
    std::size_t start = 0, i = 0;
    for (; i < raw.size(); ++i) {
      const char c = raw[i];
      if (quoted) {
        if (c == '\\' && i + 1 < raw.size()) {
          ++i;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == ';') {
        if (pieces.size() + 1 >= kMaxPieces) break;
        pieces.push_back(raw.substr(start, i - start));
        start = i + 1;
      } else if (c == '"') {
        quoted = true;
      }
    }
    pieces.push_back(raw.substr(start, i - start));
  } else {
    rebuilt.resize(1);
    bool quoted = false;
    int comment = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if (quoted) {
        rebuilt.back().push_back(c);
        if (c == '\\' && i + 1 < raw.size()) {
          rebuilt.back().push_back(raw[++i]);
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      if (comment > 0) {
        if (c == '(') ++comment;
        if (c == ')') --comment;
        continue;
      }
      if (c == '(') {
        ++comment;
      } else if (c == ';') {
        if (rebuilt.size() >= kMaxPieces) break;
        rebuilt.emplace_back();
      } else {
        if (c == '"') quoted = true;
        rebuilt.back().push_back(c);
      }
    }
    pieces.assign(rebuilt.begin(), rebuilt.end());
  }
  out.value = lower_trim(unquote(pieces.front()));
  // "text/html charset=us-ascii" (missing ';'): keep the type/subtype only.
  if (const auto sp = out.value.find_first_of(" \t"); sp != std::string::npos) {
    const std::string_view first = trim(pieces.front());
    const auto raw_sp = first.find_first_of(" \t");
    if (raw_sp != std::string_view::npos) pieces.push_back(first.substr(raw_sp));
    out.value.resize(sp);
  }
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    const std::string_view p = pieces[i];
    const auto eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name = lower_trim(p.substr(0, eq));
    if (name.empty()) continue;
    out.params.emplace_back(std::move(name), unquote(p.substr(eq + 1)));
  }
  return out;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// RFC 2231 extended value: charset'lang'%XX...
std::string decode_extended(std::string_view v) {
  const auto q1 = v.find('\'');
  const auto q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return percent_decode(v);
  const std::string charset(v.substr(0, q1));
  return to_utf8(percent_decode(v.substr(q2 + 1)), charset);
}

}  // namespace

std::string FieldParams::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  const std::string star = std::string(name) + "*";
  for (const auto& [k, v] : params)
    if (k == star) return decode_extended(v);
  // Continuations: name*0, name*0*, name*1, ...; the charset prefix only on the first extended piece.
  std::string joined;
  bool extended = false, any = false;
  for (int i = 0; i < 64; ++i) {
    const std::string plain = std::string(name) + "*" + std::to_string(i);
    const std::string ext = plain + "*";
    bool found = false;
    for (const auto& [k, v] : params) {
      if (k == plain) { joined += v; found = true; break; }
      if (k == ext) { joined += v; extended = true; found = true; break; }
    }
    if (!found) break;
    any = true;
  }
  if (!any) return {};
  return extended ? decode_extended(joined) : joined;
}

}  // namespace spamcore::mail::detail

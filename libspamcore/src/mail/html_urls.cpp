// URLs written in plain text: http://, https://, ftp:// and www. at a word start. One forward pass.
#include <string>
#include <string_view>
#include <vector>

#include "mail/html_text.hpp"
#include "mail/scan.hpp"

namespace spamcore::mail::detail {
namespace {

inline bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive "text at i starts with lower-case p".
inline bool starts_with_ci(std::string_view text, std::size_t i, std::string_view p) {
  if (text.size() - i < p.size()) return false;
  for (std::size_t k = 0; k < p.size(); ++k)
    if (lower(text[i + k]) != p[k]) return false;
  return true;
}

// Where a URL stops: blanks and controls, quotes, angle brackets, and non-ASCII (CJK text runs straight on).
inline bool url_stop(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u >= 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
}

// Length of the URL prefix at text[i], or 0.
std::size_t url_prefix(std::string_view text, std::size_t i) {
  switch (lower(text[i])) {
    case 'h':
      if (starts_with_ci(text, i, "http://")) return 7;
      if (starts_with_ci(text, i, "https://")) return 8;
      return 0;
    case 'f':
      return starts_with_ci(text, i, "ftp://") ? 6 : 0;
    case 'w':
      return starts_with_ci(text, i, "www.") ? 4 : 0;
    default:
      return 0;
  }
}

}  // namespace

void find_urls(std::string_view text, std::vector<std::string>& out) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Anchor on the rare bytes ':' ("scheme://") and '.' ("www.") instead of testing every letter: this runs over
    // every byte of every text part.
    const std::size_t p = static_cast<std::size_t>(find_any<':', '.'>(text.data() + i, text.data() + n) - text.data());
    if (p >= n) break;
    std::size_t start = std::string_view::npos;
    if (text[p] == ':') {
      if (p + 2 < n && text[p + 1] == '/' && text[p + 2] == '/') {
        if (p >= 5 && starts_with_ci(text, p - 5, "https")) start = p - 5;
        else if (p >= 4 && starts_with_ci(text, p - 4, "http")) start = p - 4;
        else if (p >= 3 && starts_with_ci(text, p - 3, "ftp")) start = p - 3;
      }
    } else if (p >= 3 && starts_with_ci(text, p - 3, "www")) {
      start = p - 3;
    }
    if (start == std::string_view::npos || start < i) {
      i = p + 1;
      continue;
    }
    if (start > 0) {
      const char b = text[start - 1];
      if (is_alnum(b) || b == '.' || b == '-' || b == '_' || b == '@') {
        i = p + 1;
        continue;
      }
    }
    const std::size_t plen = url_prefix(text, start);
    if (plen == 0 || start + plen >= n || !(is_alnum(text[start + plen]) || text[start + plen] == '[')) {
      i = p + 1;
      continue;
    }
    std::size_t j = start + plen;
    int parens = 0, brackets = 0;  // balance, so "wiki/Foo_(bar)" keeps its ')'
    while (j < n && !url_stop(text[j])) {
      parens += text[j] == '(' ? 1 : text[j] == ')' ? -1 : 0;
      brackets += text[j] == '[' ? 1 : text[j] == ']' ? -1 : 0;
      ++j;
    }
    std::size_t e = j;
    while (e > start + plen) {
      const char t = text[e - 1];
      if (t == '.' || t == ',' || t == ';' || t == ':' || t == '!' || t == '?' || t == '\'') {
        --e;
      } else if (t == ')' && parens < 0) {
        ++parens;
        --e;
      } else if (t == ']' && brackets < 0) {
        ++brackets;
        --e;
      } else {
        break;
      }
    }
    if (e > start + plen) out.emplace_back(text.substr(start, e - start));
    i = j;
  }
}

}  // namespace spamcore::mail::detail

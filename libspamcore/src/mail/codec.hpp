#pragma once
// Content-Transfer-Encoding decoders, tolerant of hostile input (mimetic's own are buggy: libraries.md P3/P4).
#include <string>
#include <string_view>

namespace spamcore::mail::detail {

/// Base64: skips whitespace and any byte outside the alphabet (sets *bad when a non-whitespace one is seen, or the
/// data stops mid-quantum), stops at the first '=' padding run that ends a quantum. Never reads out of bounds.
std::string decode_base64(std::string_view in, bool* bad = nullptr);

/// Quoted-printable: "=XX" (either hex case), soft breaks "=" + optional blanks + CRLF/LF/CR, line endings
/// become "\n"; a malformed "=" is kept literally (sets *bad). Trailing blanks before a hard break are kept.
std::string decode_qp(std::string_view in, bool* bad = nullptr);

/// uuencode: the body between "begin NNN name" and "end"; returns true and fills *out/*filename when one is found.
bool decode_uuencode(std::string_view in, std::string* out, std::string* filename);

}  // namespace spamcore::mail::detail

#pragma once
// RFC 2047 encoded words in header values (mimetic has none).
#include <string>
#include <string_view>

namespace spamcore::mail::detail {

/// Decodes every "=?charset?B|Q?text?=" in `raw` to UTF-8: whitespace between adjacent encoded words dropped,
/// '_' -> space in Q, RFC 2231 "*lang" suffix on the charset ignored, words glued to text accepted. Text outside
/// encoded words is raw bytes: kept if valid UTF-8, else read as windows-1252. A broken encoded word is left as
/// written and sets *bad.
std::string decode_header_value(std::string_view raw, bool* bad = nullptr);

}  // namespace spamcore::mail::detail

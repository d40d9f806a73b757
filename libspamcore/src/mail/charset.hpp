#pragma once
// Charset conversion to UTF-8 with glibc iconv (libraries.md section 2): ASCII and valid-UTF-8 fast paths, an alias
// table for junk labels (WHATWG supersets), windows-1252 fallback, U+FFFD for invalid bytes, per-thread iconv cache.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace spamcore::mail::detail {

struct CharsetResult {
  bool unknown_charset = false;  ///< label not known: fell back (UTF-8 if valid, else windows-1252)
  bool invalid_bytes = false;    ///< some bytes were invalid in the charset and became U+FFFD
};

/// Lower-cased, unquoted, trimmed label mapped through the alias table ("ks_c_5601-1987" -> "cp949",
/// "iso-8859-1"/"us-ascii"/"" -> "windows-1252", "gb2312" -> "gb18030", ...).
std::string normalize_charset(std::string_view label);

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// While one lives (on this thread), at most `charsets` charsets not yet opened are opened for iconv; past that a new
/// one is treated as unknown. mail::parse keeps one per message: opening a charset can load a gconv module, and a
/// message of RFC 2047 words cycling through more charsets than the cache holds loaded and unloaded one per word
/// (2.5 s for 1 MB, 7.6 s in `filter`).
class CharsetBudget {
 public:
  explicit CharsetBudget(std::size_t charsets);
  ~CharsetBudget();
  CharsetBudget(const CharsetBudget&) = delete;
  CharsetBudget& operator=(const CharsetBudget&) = delete;

 private:
  std::size_t left_;
  std::size_t* outer_;
};

/// `bytes` in charset `label` as UTF-8. An empty label means: UTF-8 if valid, else windows-1252.
std::string to_utf8(std::string_view bytes, std::string_view label, CharsetResult* result = nullptr);

/// The same, or nullopt when `bytes` already are that UTF-8 text (ASCII, valid UTF-8): then no copy is made.
std::optional<std::string> to_utf8_if_changed(std::string_view bytes, std::string_view label,
                                              CharsetResult* result = nullptr);

}  // namespace spamcore::mail::detail

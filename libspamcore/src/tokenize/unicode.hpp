#pragma once
// The few Unicode facts the tokenizer needs, as cheap tables: decoding, case folding, classes, look-alikes.
#include <cstdint>
#include <string>
#include <string_view>

namespace spamcore::tokenize::detail {

/// Decodes one code point at s[i] and advances i; invalid or truncated sequences give U+FFFD and advance one byte.
char32_t next_code_point(std::string_view s, std::size_t& i) noexcept;

/// Appends `c` as UTF-8.
void append_utf8(std::string& out, char32_t c);

/// Zero-width and other invisible code points spammers put inside words (dropped, not separators).
bool is_invisible(char32_t c) noexcept;

/// Han, kana, hangul: no spaces between words, so they are read as character bigrams.
bool is_cjk(char32_t c) noexcept;

/// Letters and digits of any script (approximate: everything that is not known punctuation, space or symbol).
bool is_word_char(char32_t c) noexcept;

/// Lower case for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; fullwidth ASCII to ASCII.
char32_t fold_case(char32_t c) noexcept;

/// Cyrillic/Greek letters that look like Latin ones, to that Latin letter; 0 when none.
char32_t latin_lookalike(char32_t c) noexcept;

}  // namespace spamcore::tokenize::detail

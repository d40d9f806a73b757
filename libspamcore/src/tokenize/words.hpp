#pragma once
// Cuts decoded UTF-8 text into normalised words: the evasion-resistant part of the tokenizer.
#include <cstdint>
#include <string>
#include <string_view>

namespace spamcore::tokenize::detail {

/// Receives each word (already normalised: case-folded, look-alikes folded, numbers bucketed, long words as skip
/// tokens). Views are valid only during the call.
class WordSink {
 public:
  virtual void word(std::string_view w) = 0;

 protected:
  ~WordSink() = default;
};

struct WordRules {
  std::uint32_t min_len = 2;   ///< in code points; shorter words are dropped (CJK bigrams excepted)
  std::uint32_t max_len = 40;  ///< longer words become "skip:<first char>:<len rounded down to 10>"
  bool caps = false;           ///< also emit "caps:<word>" for words written in capitals only (3+ letters)
};

/// Splits `text`:
///  - word characters are letters and digits of any script; '-', '.', '\'', '_' join two word characters;
///    a leading '$' is kept ("$100"); ',' joins digit groups ("1,000");
///  - invisible characters (zero-width, soft hyphen, BOM, bidi marks) are dropped without splitting the word;
///  - in a word mixing Latin letters with Cyrillic or Greek ones, the look-alikes become Latin ("vіаgrа" -> "viagra");
///  - "v.i.a.g.r.a" (single characters joined by one repeated punctuation) loses the punctuation, and a run of
///    four or more single letters one blank apart, all plain ("V I A G R A") or all dotted ("V. I. A. G. R. A."),
///    is also emitted joined (the rules at the edges of a run: Splitter::spaced_letter in words.cpp);
///  - digit-only words over 4 digits become "num:<digits>";
///  - CJK text is emitted as overlapping character bigrams.
void split_words(std::string_view text, const WordRules& rules, WordSink& sink);

}  // namespace spamcore::tokenize::detail

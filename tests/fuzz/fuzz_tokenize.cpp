// The tokenizer over arbitrary messages, with names (the explain path) and without, and byte n-grams on.
#include "fuzz_util.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spamcore::tokenize::TokenizerSettings s;
  s.limits.max_bytes = 1 << 18;
  s.byte_ngrams = 4;
  s.caps_words = true;
  const std::string_view in = spamcore::fuzz::as_text(data, size);
  const auto a = spamcore::tokenize::features(in, s);
  const auto b = spamcore::tokenize::features(in, s, {.names = true, .sequence = true});
  if (a.ids != b.ids) __builtin_trap();  // names must never change the features
  return 0;
}

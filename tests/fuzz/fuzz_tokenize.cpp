// The tokenizer over arbitrary messages, with names (the explain path) and without, and byte n-grams on.
#include <algorithm>

#include "fuzz_util.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spamcore::tokenize::TokenizerSettings s;
  s.limits.max_bytes = 1 << 18;
  s.byte_ngrams = 4;
  s.caps_words = true;
  const std::string_view in = spamcore::fuzz::as_text(data, size);
  const auto a = spamcore::tokenize::features(in, s);
  const auto b = spamcore::tokenize::features(in, s, {.names = true, .sequence = true, .sources = true});
  if (a.ids != b.ids) __builtin_trap();  // names must never change the features
  // The body's word sequence (what naive Bayes' context check reads): `slots` pairs per word, every word and pair a
  // feature of the bag. A malformed layout would turn the check off without a sound.
  const spamcore::WordSequence& q = b.sequence;
  if (q.pairs.size() != q.words.size() * q.slots) __builtin_trap();
  auto in_bag = [&](spamcore::FeatureId id) { return std::binary_search(b.ids.begin(), b.ids.end(), id); };
  for (const spamcore::FeatureId w : q.words)
    if (!in_bag(w)) __builtin_trap();
  for (const spamcore::FeatureId p : q.pairs)
    if (p != 0 && !in_bag(p)) __builtin_trap();
  // The sources (what naive Bayes' combining reads): sorted, one per id, each a feature of the bag, never "none".
  const auto& src = b.sources;
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (i > 0 && src[i - 1].id >= src[i].id) __builtin_trap();
    if (src[i].source == 0 || !in_bag(src[i].id)) __builtin_trap();
  }
  return 0;
}

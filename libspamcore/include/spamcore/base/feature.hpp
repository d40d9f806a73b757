#pragma once
// Features are 64-bit hashed ids (base/hash.hpp); a message becomes a set of them.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace spamcore {

using FeatureId = std::uint64_t;

/// The body words of a message in reading order, each with the word pairs that join it to the words before it:
/// what a check of a word's context needs (naive Bayes, model/naive_bayes.hpp). Filled only when asked for.
struct WordSequence {
  std::vector<FeatureId> words;
  /// `slots` ids per word: its pair with the word 1, 2, ..., slots before it; 0 where there is no such word.
  std::vector<FeatureId> pairs;
  std::uint32_t slots = 0;
};

/// Where a feature came from, when that says its evidence is not independent of other features' (naive Bayes reads
/// it, model/naive_bayes.hpp): a word pair repeats the evidence of its two words, and the words of one header field
/// say one thing together (a mailing list's name spelled out in five words).
struct FeatureSource {
  FeatureId id;
  /// kPairSource for a word pair; a header word's field (a hash of its name, always >= kFirstFieldSource).
  std::uint32_t source;
  bool operator==(const FeatureSource&) const = default;
};
inline constexpr std::uint32_t kPairSource = 1;
inline constexpr std::uint32_t kFirstFieldSource = 2;

/// The distinct features of one message, sorted by id; names (same order) only when asked for.
struct FeatureBag {
  std::vector<FeatureId> ids;
  std::vector<std::string> names;  ///< empty unless the tokenizer was asked for names
  WordSequence sequence;           ///< empty unless the tokenizer was asked for it
  /// The features with a source, sorted by id, each once (the smallest source if tagged twice); empty unless the
  /// tokenizer was asked for them.
  std::vector<FeatureSource> sources;

  /// Sorts by id and removes duplicates (keeping names aligned; sources sorted and distinct too).
  void finish();
  /// Gives back the room reserved while the bag was built: for bags kept a long time (cross-validation holds all).
  void shrink_to_fit();
  std::size_t size() const { return ids.size(); }
};

/// Sorts `ids` and removes duplicates, as FeatureBag::finish does for a bag's ids (a radix sort: hashed ids defeat a
/// comparison sort's branch prediction).
void sort_unique(std::vector<FeatureId>& ids);

inline constexpr std::uint32_t kNotFound = 0xffffffffu;
/// For each of `wanted` (any order, repeats allowed), its index in `sorted` (sorted, distinct), or kNotFound. One sort
/// of `wanted` and one merge: for many lookups at once, where looking each one up would miss the cache every time.
/// Both must hold fewer than kNotFound ids.
std::vector<std::uint32_t> positions_in(std::span<const FeatureId> sorted, std::span<const FeatureId> wanted);

}  // namespace spamcore

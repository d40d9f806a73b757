#pragma once
// Robinson-Fisher naive Bayes (as in bogofilter and SpamBayes) over per-feature message counts.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "spamcore/base/feature.hpp"
#include "spamcore/model/count_table.hpp"
#include "spamcore/model/score.hpp"

namespace spamcore::model {

struct NbParams {
  // s and x: bogofilter's published defaults; alpha, chi_scale and min_dev measured (docs/model-tuning.md).
  double s = 0.0178;      ///< Robinson's strength of the prior x
  double x = 0.52;        ///< Robinson's assumed probability of an unseen feature
  double min_dev = 0.425; ///< features with |f(w) - 0.5| below this are ignored
  /// Pseudo-count added to a feature's count in each class before the class rates are taken (Lidstone smoothing):
  /// a feature absent from a class of a few hundred messages is weak evidence (docs/model-tuning.md). 0: raw rates.
  double alpha = 0.02;
  /// Features per independent piece of evidence in Fisher's combining: the chi-square statistic and its degrees of
  /// freedom are both divided by it (Brown's method with one constant). 1: every feature independent.
  double chi_scale = 20;
  /// Cap on stored features: past it the rarest are pruned down to 3/4 of it (2^22 slots, 64 MiB of table).
  std::uint64_t max_features = 3'000'000;
  /// Only the this many most extreme features are combined (0: all of them).
  std::uint64_t max_clues = 0;
  /// Context check: a hammy body word counts only when some occurrence of it stands in a context the model knows
  /// (a word pair seen in context_min messages, its own or one of its neighbours'). Bayes poisoning appends words
  /// that are hammy on their own but never in the order given; real ham uses its hammy words in sentences
  /// (docs/model-tuning.md).
  bool context = true;
  /// Messages a word pair must have been seen in to count as a known context: once or twice can be chance.
  std::uint32_t context_min = 3;
  /// The check starts once the model has learned this many messages of each class: a young model knows too few
  /// pairs to tell a strange context from an unseen one.
  std::uint64_t context_after = 200;
  /// Weight of a word pair's clue in Fisher's sums and degrees of freedom: a pair repeats much of the evidence of
  /// the two words it joins (docs/model-tuning.md). 1: a pair counts as much as a word.
  double pair_weight = 0.6;
  /// Each header field gives at most one clue each way, its strongest: the words of one field say one thing (five
  /// words of a mailing list's name), and counted one by one they outvote a message's body. Needs the bag's sources.
  bool field_vote = true;
  bool operator==(const NbParams&) const = default;
};


/// The counts of a feature, wherever they live (a hash map while training, a mapped file when scoring).
using NbLookup = std::function<NbCounts(FeatureId)>;

/// The counts a message's score needs: of each of its ids (`ids[i]` for `features.ids[i]`) and, when it carries a
/// word sequence, of each pair slot (`pairs[j]` for `features.sequence.pairs[j]`; zero for an empty slot).
struct NbMessageCounts {
  std::vector<NbCounts> ids, pairs;
};

/// Whether nb_score checks the context of hammy words for a model that has learned these many messages.
inline bool context_check_applies(const NbParams& params, std::uint64_t spam_messages, std::uint64_t ham_messages) {
  return params.context && std::min(spam_messages, ham_messages) >= params.context_after;
}

/// Whether nb_score reads the bag's sources (FeatureBag::sources) with these parameters.
inline bool weighs_by_source(const NbParams& params) { return params.field_vote || params.pair_weight != 1; }

/// Fills `out` for `features`: `lookup(id)` gives a feature's counts, `prefetch(id)` hints that it will be looked up
/// soon -- the tables are far larger than the cache, and a message's ids are known in advance. `with_pairs`: the
/// sequence's pairs too (needed only when context_check_applies).
///
/// Every pair is one of the bag's ids, looked up already: their counts are taken from the ids' by one sort and merge.
/// Looked up again, a long message's pairs (hundreds of thousands, in reading order) each missed the cache and the
/// TLB in a table of tens of MB: docs/speed.md.
template <typename Lookup, typename Prefetch>
void look_up_counts(const FeatureBag& features, Lookup lookup, Prefetch prefetch, NbMessageCounts& out,
                    bool with_pairs = true) {
  constexpr std::size_t kAhead = 12;
  // In the pair slots, 0 is an empty slot; among the ids it is a feature like any other.
  auto fill = [&](const std::vector<FeatureId>& ids, std::vector<NbCounts>& counts, bool zero_is_empty) {
    counts.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i + kAhead < ids.size()) prefetch(ids[i + kAhead]);
      counts[i] = zero_is_empty && ids[i] == 0 ? NbCounts{} : lookup(ids[i]);
    }
  };
  fill(features.ids, out.ids, false);
  const std::vector<FeatureId>& pairs = features.sequence.pairs;
  if (!with_pairs) {
    out.pairs.clear();
  } else if (pairs.size() >= kNotFound || features.ids.size() >= kNotFound) {
    fill(pairs, out.pairs, true);
  } else {
    const std::vector<std::uint32_t> at = positions_in(features.ids, pairs);
    out.pairs.resize(pairs.size());
    for (std::size_t j = 0; j < pairs.size(); ++j)
      out.pairs[j] = pairs[j] == 0 ? NbCounts{} : at[j] != kNotFound ? out.ids[at[j]] : lookup(pairs[j]);
  }
}

/// Fisher-combined score of `features` from their counts (look_up_counts); evidence (log-odds of f(w)) appended
/// when `evidence` is given.
Score nb_score(const FeatureBag& features, const NbMessageCounts& counts, std::uint64_t spam_messages,
               std::uint64_t ham_messages, const NbParams& params, std::vector<Evidence>* evidence = nullptr);
/// The same, looking each id up.
Score nb_score(const FeatureBag& features, const NbLookup& lookup, std::uint64_t spam_messages,
               std::uint64_t ham_messages, const NbParams& params, std::vector<Evidence>* evidence = nullptr);

/// Robinson's f(w) for a feature seen in `c.spam` of `spam_messages` and `c.ham` of `ham_messages`, from the
/// per-class rates (c + alpha) / (messages + 2 alpha).
double nb_feature_probability(NbCounts c, std::uint64_t spam_messages, std::uint64_t ham_messages,
                              const NbParams& params);

/// The body words of `sequence` no occurrence of which stands in a known context: no word pair within one word of
/// it (the pairs that join it or either neighbour to the words around) was seen in `min_count` messages or more.
/// Sorted, distinct. `pair_counts[j]` are the counts of `sequence.pairs[j]`.
std::vector<FeatureId> words_out_of_context(const WordSequence& sequence, std::span<const NbCounts> pair_counts,
                                            std::uint32_t min_count);
/// The same, looking each pair up.
std::vector<FeatureId> words_out_of_context(const WordSequence& sequence, const NbLookup& lookup,
                                            std::uint32_t min_count);

/// log of the chi-square survival function Q(x2 | 2k) and of its complement, for even degrees of freedom,
/// accurate in the far tails (what keeps NB scores ranked when probabilities round to 0 or 1).
double log_chi2_q(double x2, std::uint64_t k);
double log_chi2_p(double x2, std::uint64_t k);

/// How far past its home slot learning places a new feature (CountTable::find_or_insert_near); one that would land
/// further is not learned. Far above what the table's load gives ordinary ids (docs/speed.md), it bounds what ids
/// crafted to share a home can cost: every insertion and lookup near them walks at most this far.
inline constexpr std::size_t kMaxLearnDisplacement = 512;

/// Feature counts in memory, for training.
class NaiveBayes {
 public:
  /// Adds (delta = +1) or removes (delta = -1) one message's features.
  void learn(const FeatureBag& features, bool spam, int delta = 1);
  Score score(const FeatureBag& features, const NbParams& params, std::vector<Evidence>* evidence = nullptr) const;
  NbCounts counts(FeatureId id) const;
  /// Drops features seen in fewer than `min_total` messages (bounds the model's growth); returns how many.
  std::size_t prune(std::uint32_t min_total);
  /// Drops the rarest features (fewest messages; all of a count at once, so the result does not depend on table
  /// order) until at most `target` remain; returns how many were dropped.
  std::size_t prune_to(std::size_t target);

  std::uint64_t spam_messages = 0;
  std::uint64_t ham_messages = 0;
  CountTable table;
};

}  // namespace spamcore::model

#pragma once
// Decoded message -> feature ids. Families and their prefixes (the readable names `spamcore tokens` prints):
//   <field>:<word>     header words, field name lower case ("subject:free", "from:example.com"); X-Spam-* skipped
//   hdr:<field>        presence of a header field
//   <word>             body words: case-folded, invisible characters dropped, look-alikes folded in mixed-script
//                      words, letter-spaced words rejoined, long words as skip:<first>:<len/10*10>, numbers bucketed
//   osb:<a> <k> <b>    orthogonal sparse bigram: word a, k-1 words skipped, word b
//   url:<host> / url-domain:<domain> / url:ip
//   mime:<type>, attach:<ext>, charset:<name>, cte:<enc>, html:<signal>, issue:<kind>
//   tag:<name>         an HTML tag the text parts use; message-id-shape:<shape> (letters/digits as A a 9, runs of one)
//   b<n>:<hex>         raw-byte n-grams of the message's first bytes (off by default)
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spamcore/base/feature.hpp"
#include "spamcore/mail/message.hpp"
#include "spamcore/tokenize/settings.hpp"

namespace spamcore::tokenize {

/// What a bag carries besides its ids.
struct BagDetail {
  bool names = false;     ///< readable names (FeatureBag::names), for `spamcore tokens` and --explain
  bool sequence = false;  ///< the body words in order (FeatureBag::sequence): scoring reads it, learning does not
  bool sources = false;   ///< which features are word pairs or header words, and of which field (FeatureBag::sources)
};

/// Everything scoring may read (naive Bayes' context check the sequence, its combining the sources), for tests and
/// benchmarks; a model asks for what it reads (model::scoring_detail). Learning asks for the ids alone.
inline constexpr BagDetail kForScoring{.sequence = true, .sources = true};

/// The features of a parsed message. `raw` is the message as received (only the byte n-grams read it).
FeatureBag features(const mail::Message& message, std::string_view raw, const TokenizerSettings& settings,
                    BagDetail detail = {});

/// Parses `raw` with settings.limits and tokenizes it.
FeatureBag features(std::string_view raw, const TokenizerSettings& settings, BagDetail detail = {});

/// The features of `wanted` (any order, repeats allowed) that `raw` has, with their names, each once, in the order
/// the message first shows them: naming a few features costs less than tokenizing does (no bag is built).
std::vector<std::pair<FeatureId, std::string>> feature_names(std::string_view raw, const TokenizerSettings& settings,
                                                             std::span<const FeatureId> wanted);

}  // namespace spamcore::tokenize

#pragma once
// Which features decide a model's verdicts, by name: what `inspect` shows. Training hashes features without
// keeping their text, so the names of the strongest are recovered afterwards from the first messages of the corpora.
#include <string>
#include <unordered_map>
#include <vector>

#include "spamcore/base/digest.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/model/model.hpp"

namespace spamcore::engine {

/// How hard a feature pushes towards spam (> 0) or ham (< 0). With naive Bayes: the share of spam messages with
/// it minus the share of ham with it (frequent and one-sided beats rare), else the logistic weight.
double feature_strength(const model::Model& m, FeatureId id);

struct Strongest {
  FeatureId id;
  double strength;
  std::string name;  ///< empty when unknown
};

/// The `per_side` strongest features each way among `names` (strongest first).
std::vector<Strongest> strongest(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names,
                                 std::size_t per_side, bool spam_side);

/// Messages per class whose features are candidates for the strongest (the first ones learned).
inline constexpr std::size_t kStrongestSample = 100;

/// Messages per class read again, at most, looking for the sampled ones (an incremental run samples new mail, which
/// may lie deep in a folder).
inline constexpr std::size_t kNamingScan = 2000;

/// One of the first messages learned of a class: its features are candidates for the strongest, and it is read
/// again (found by its digest) only if one of them needs its name.
struct SampledMessage {
  Sha256Digest digest;
  bool spam = false;
  std::vector<FeatureId> ids;
};

/// Trims `names` to the `per_side` strongest features each way among `names` and the features of `sample` (with
/// naive Bayes, those below 2% either way are noise and skipped), and finds the names it lacks by tokenizing again,
/// with names, only the sampled messages that first held a feature still unnamed (found in the corpus by their
/// digests, within the first kNamingScan messages of their class). Never throws for the corpus: a path that cannot
/// be read any more (changed since training) is skipped, and a feature left without a name is dropped, so `names`
/// may come back with fewer than `per_side` each way.
void name_strongest(const model::Model& m, const std::vector<SampledMessage>& sample,
                    const std::vector<std::string>& spam_paths, const std::vector<std::string>& ham_paths,
                    const corpus::OpenOptions& open, std::unordered_map<FeatureId, std::string>& names,
                    std::size_t per_side = 100);

}  // namespace spamcore::engine

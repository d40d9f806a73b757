#pragma once
// A trained classifier: its algorithm, the tokenizer settings it was trained with, its counts and thresholds.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "spamcore/base/digest.hpp"
#include "spamcore/base/feature.hpp"
#include "spamcore/model/logistic.hpp"
#include "spamcore/model/naive_bayes.hpp"
#include "spamcore/model/score.hpp"
#include "spamcore/tokenize/settings.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::model {

/// nb: Robinson-Fisher naive Bayes; logreg: online logistic regression; combo: both, log-odds averaged.
enum class Algorithm { nb, logreg, combo };
std::string_view to_string(Algorithm a);
/// Throws spamcore::Error(usage) for an unknown name.
Algorithm algorithm_from_string(std::string_view name);

struct ModelConfig {
  Algorithm algorithm = Algorithm::combo;
  tokenize::TokenizerSettings tokenizer;
  NbParams nb;
  LrParams lr;
  Thresholds thresholds;
  double nb_weight = 0.9;  ///< combo: weight of NB's (scaled) log-odds against logistic regression's
  /// combo: logistic regression's log-odds enter as K·tanh(z/K), as NB's enter bounded: a tie-breaker where NB is
  /// unsure, not an override of it. 0: unbounded (models written before the key existed).
  double lr_squash = 5;
  /// Confidence grows with training: the log-odds are scaled by m / (m + warmup), m the fewer of the spam and ham
  /// messages learned. A model that has seen one ham says "unsure", not "certainly spam". 0: off.
  double warmup = 10;
  bool operator==(const ModelConfig&) const = default;
};

class Model {
 public:
  explicit Model(const ModelConfig& config = {});

  /// Learns one labelled message (both components for combo).
  void learn(const FeatureBag& features, bool spam);

  /// What happened to a message learned by digest.
  enum class LearnResult { learned, already_known, moved, unlearned, never_learned };
  /// Learns a message once: the same digest again is a no-op; with the other label it moves between classes
  /// (NB counts move exactly; logistic regression takes a corrective step).
  LearnResult learn_message(const Sha256Digest& digest, const FeatureBag& features, bool spam);
  /// Forgets a message learned with `spam`; refuses (never_learned) one it has not learned with that label.
  LearnResult unlearn_message(const Sha256Digest& digest, const FeatureBag& features, bool spam);
  /// Digests of learned messages and their label (true = spam).
  const std::map<Sha256Digest, bool>& learned() const { return learned_; }
  void set_learned(std::map<Sha256Digest, bool> learned) { learned_ = std::move(learned); }
  void set_counts(std::uint64_t spam, std::uint64_t ham) { spam_messages_ = spam; ham_messages_ = ham; }
  std::int64_t created = 0;  ///< Unix time of the first training
  std::int64_t updated = 0;  ///< Unix time of the last change
  Score score(const FeatureBag& features, bool explain = false) const;

  const ModelConfig& config() const { return config_; }
  std::uint64_t spam_messages() const { return spam_messages_; }
  std::uint64_t ham_messages() const { return ham_messages_; }

  NaiveBayes nb;
  Logistic lr;

 private:
  ModelConfig config_;
  std::uint64_t spam_messages_ = 0, ham_messages_ = 0;
  std::map<Sha256Digest, bool> learned_;
};

/// Combines the components' log-odds into one score (shared by in-memory and mapped models).
Score combine(const ModelConfig& config, const Score* nb, const Score* lr, std::uint64_t spam_learned,
              std::uint64_t ham_learned);

/// The factor warmup scales the final log-odds by: m / (m + warmup), m the fewer of spam and ham learned.
double warmup_factor(const ModelConfig& config, std::uint64_t spam_learned, std::uint64_t ham_learned);

/// What a bag to be scored with `config` must carry besides its ids: the body's word sequence for naive Bayes'
/// context check, the features' sources for its clue weights -- each only when the model reads it (a message's
/// pairs make the sources as long as its ids).
tokenize::BagDetail scoring_detail(const ModelConfig& config);

/// Sets `s.evidence` for --explain: the logistic weights when the model has a logistic part (Fisher's combining in
/// NB has no additive per-feature share), else NB's f(w) log-odds; each the component's own log-odds (in combo, not
/// multiplied by the component's weight), times warmup_factor, so a young model's evidence is as weak as its
/// verdict; weights of 0 left out; strongest first. For combo, also `s.nb_evidence`: NB's clues, the same way.
void attach_evidence(Score& s, const ModelConfig& config, std::vector<Evidence> nb_ev, std::vector<Evidence> lr_ev,
                     std::uint64_t spam_learned, std::uint64_t ham_learned);

}  // namespace spamcore::model

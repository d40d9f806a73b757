#pragma once
// A trained classifier: its algorithm, the tokenizer settings it was trained with, its counts and thresholds.
#include <cstdint>
#include <string>
#include <string_view>

#include "spamcore/base/feature.hpp"
#include "spamcore/model/logistic.hpp"
#include "spamcore/model/naive_bayes.hpp"
#include "spamcore/model/score.hpp"
#include "spamcore/tokenize/settings.hpp"

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
  double nb_weight = 0.5;  ///< combo: weight of NB's (scaled) log-odds against logistic regression's
  bool operator==(const ModelConfig&) const = default;
};

class Model {
 public:
  explicit Model(const ModelConfig& config = {});

  /// Learns one labelled message (both components for combo).
  void learn(const FeatureBag& features, bool spam);
  Score score(const FeatureBag& features, bool explain = false) const;

  const ModelConfig& config() const { return config_; }
  std::uint64_t spam_messages() const { return spam_messages_; }
  std::uint64_t ham_messages() const { return ham_messages_; }

  NaiveBayes nb;
  Logistic lr;

 private:
  ModelConfig config_;
  std::uint64_t spam_messages_ = 0, ham_messages_ = 0;
};

/// Combines the components' log-odds into one score (shared by in-memory and mapped models).
Score combine(const ModelConfig& config, const Score* nb, const Score* lr);

}  // namespace spamcore::model

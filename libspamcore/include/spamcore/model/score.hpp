#pragma once
// What a model says about one message.
#include <string_view>
#include <vector>

#include "spamcore/base/feature.hpp"

namespace spamcore::model {

enum class Verdict { ham, unsure, spam };
std::string_view to_string(Verdict v);

/// Cut-offs on the probability of spam: >= spam_cutoff is spam, < ham_cutoff is ham, between is unsure.
struct Thresholds {
  // The unsure band [0.45, 0.55) held 2.4% of messages in the online run and cut ham taken for spam from 0.68% to
  // 0.18% (docs/model-tuning.md); ham_cutoff == spam_cutoff gives plain two-way verdicts.
  double ham_cutoff = 0.45;
  double spam_cutoff = 0.55;
  Verdict verdict(double probability) const;
  bool operator==(const Thresholds&) const = default;
};

/// A feature and how hard it pushed: > 0 towards spam, < 0 towards ham (in log-odds).
struct Evidence {
  FeatureId id;
  double weight;
};

struct Score {
  double probability = 0.5;  ///< of spam, in [0,1]
  /// log(p / (1-p)) kept at full precision: probabilities saturate at 0 and 1, rankings (ROC) must not.
  double logit = 0.0;
  Verdict verdict = Verdict::unsure;
  std::vector<Evidence> evidence;  ///< filled only when asked for, strongest first
  /// combo only, when asked for: naive Bayes' clues (the features Fisher's combining read, as f(w) log-odds), which
  /// `evidence` (the logistic part's weights) does not show although naive Bayes carries most of the score.
  std::vector<Evidence> nb_evidence;
  /// combo: what each component added to `logit` (weight x its log-odds, bounded -- naive Bayes's as 10 tanh(z/20),
  /// logistic regression's as K tanh(z/K) when the model's lr_squash K > 0 -- times the warmup factor); they sum
  /// to `logit`. 0 for a single-component model.
  double nb_part = 0.0, lr_part = 0.0;
};

/// Strongest first (by |weight|).
void sort_evidence(std::vector<Evidence>& evidence);

/// 1 / (1 + e^-x), safe for any x.
double sigmoid(double x);

}  // namespace spamcore::model

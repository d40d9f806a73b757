#pragma once
// Online logistic regression on hashed binary features (the TREC 2007 winner's learner, Sculley & Wachman).
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "spamcore/base/feature.hpp"
#include "spamcore/model/score.hpp"

namespace spamcore::model {

enum class TrainRegime { every, on_error, thick_threshold };

struct LrParams {
  std::uint32_t bits = 20;         ///< 2^bits weight buckets (18..24)
  double rate = 0.02;              ///< learning rate
  TrainRegime regime = TrainRegime::thick_threshold;
  double margin = 0.45;            ///< thick threshold: learn when wrong, or when |p - 0.5| < margin
  std::uint32_t passes = 1;        ///< passes over the data in batch training
  bool normalize = false;          ///< feature value 1/sqrt(n) for n features (measured worse here: docs/model-tuning.md)
  bool operator==(const LrParams&) const = default;
};

/// Weights in memory, for training and for scoring a loaded model. An Eigen vector holds them (aligned, contiguous);
/// a message touches a few thousand of a million buckets, so learning is a sparse scatter, not vector algebra.
class Logistic {
 public:
  explicit Logistic(const LrParams& params = {});
  /// One online step on a labelled message, according to params.regime; returns true when weights changed.
  bool learn(const FeatureBag& features, bool spam);
  Score score(const FeatureBag& features, std::vector<Evidence>* evidence = nullptr) const;
  double logit(const FeatureBag& features) const;

  const LrParams& params() const { return params_; }
  std::span<float> weights() { return {weights_.data(), static_cast<std::size_t>(weights_.size())}; }
  std::span<const float> weights() const { return {weights_.data(), static_cast<std::size_t>(weights_.size())}; }
  float bias = 0.0f;

 private:
  LrParams params_;
  Eigen::VectorXf weights_;
};

/// The bucket of a feature id for 2^bits buckets.
inline std::uint32_t bucket(FeatureId id, std::uint32_t bits) {
  return static_cast<std::uint32_t>(id >> (64 - bits));
}

}  // namespace spamcore::model

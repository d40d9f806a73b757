#include "spamcore/model/logistic.hpp"

#include <cmath>

namespace spamcore::model {

Logistic::Logistic(const LrParams& params) : params_(params), weights_(std::size_t{1} << params.bits, 0.0f) {}

double Logistic::logit(const FeatureBag& features) const {
  double z = bias;
  for (FeatureId id : features.ids) z += weights_[bucket(id, params_.bits)];
  return z;
}

bool Logistic::learn(const FeatureBag& features, bool spam) {
  const double p = sigmoid(logit(features));
  const double y = spam ? 1.0 : 0.0;
  const bool wrong = spam ? p < 0.5 : p >= 0.5;
  switch (params_.regime) {
    case TrainRegime::every: break;
    case TrainRegime::on_error:
      if (!wrong) return false;
      break;
    case TrainRegime::thick_threshold:
      if (!wrong && std::fabs(p - 0.5) >= params_.margin) return false;
      break;
  }
  const auto step = static_cast<float>(params_.rate * (y - p));
  for (FeatureId id : features.ids) weights_[bucket(id, params_.bits)] += step;
  bias += step;
  return true;
}

Score Logistic::score(const FeatureBag& features, std::vector<Evidence>* evidence) const {
  Score s;
  s.logit = logit(features);
  s.probability = sigmoid(s.logit);
  if (evidence)
    for (FeatureId id : features.ids) evidence->push_back({id, weights_[bucket(id, params_.bits)]});
  return s;
}

}  // namespace spamcore::model

#include "spamcore/model/logistic.hpp"

#include <cmath>

namespace spamcore::model {

Logistic::Logistic(const LrParams& params)
    : params_(params), weights_(Eigen::VectorXf::Zero(Eigen::Index{1} << params.bits)) {}

namespace {

constexpr std::size_t kAhead = 12;

double feature_value(const FeatureBag& features, bool normalize) {
  return normalize && !features.ids.empty() ? 1.0 / std::sqrt(static_cast<double>(features.ids.size())) : 1.0;
}

}  // namespace

double Logistic::logit(const FeatureBag& features) const {
  double z = 0;
  const std::vector<FeatureId>& ids = features.ids;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    // The weight vector is larger than the cache; a message's ids are known in advance, so fetch ahead.
    if (i + kAhead < ids.size()) __builtin_prefetch(&weights_[bucket(ids[i + kAhead], params_.bits)]);
    z += weights_[bucket(ids[i], params_.bits)];
  }
  return bias + z * feature_value(features, params_.normalize);
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
  const double g = params_.rate * (y - p);
  const auto step = static_cast<float>(g * feature_value(features, params_.normalize));
  const std::vector<FeatureId>& ids = features.ids;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i + kAhead < ids.size()) __builtin_prefetch(&weights_[bucket(ids[i + kAhead], params_.bits)], 1);
    weights_[bucket(ids[i], params_.bits)] += step;
  }
  bias += static_cast<float>(g);
  return true;
}

Score Logistic::score(const FeatureBag& features, std::vector<Evidence>* evidence) const {
  Score s;
  s.logit = logit(features);
  s.probability = sigmoid(s.logit);
  if (evidence)
    for (FeatureId id : features.ids)
      evidence->push_back({id, weights_[bucket(id, params_.bits)] * feature_value(features, params_.normalize)});
  return s;
}

}  // namespace spamcore::model

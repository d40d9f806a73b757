#pragma once
// Scoring messages against a model file, as `score`, `filter` and `classify` do.
#include <memory>
#include <string>
#include <string_view>

#include "spamcore/model/score.hpp"
#include "spamcore/store/model_file.hpp"

namespace spamcore::engine {

class Scorer {
 public:
  /// Maps the model (see store::ModelView). Throws Error(model, path, ...).
  static Scorer open(const std::string& model_path);
  /// Parses and tokenizes with the model's own settings, then scores.
  model::Score score(std::string_view message, bool explain = false) const;
  /// The features of a message, as scoring needs them (with the body's word sequence), and with readable names
  /// when asked (for --explain); made with the model's settings.
  FeatureBag features(std::string_view message, bool with_names) const;
  const store::ModelView& model() const { return *view_; }

 private:
  explicit Scorer(std::unique_ptr<store::ModelView> view) : view_(std::move(view)) {}
  std::unique_ptr<store::ModelView> view_;
};

}  // namespace spamcore::engine

#include "spamcore/engine/scorer.hpp"

#include "spamcore/model/model.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::engine {

Scorer Scorer::open(const std::string& model_path) { return Scorer(store::ModelView::open(model_path)); }

FeatureBag Scorer::features(std::string_view message, bool with_names) const {
  tokenize::BagDetail detail = model::scoring_detail(view_->config());
  detail.names = with_names;
  return tokenize::features(message, view_->config().tokenizer, detail);
}

model::Score Scorer::score(std::string_view message, bool explain) const {
  return view_->score(features(message, false), explain);
}

}  // namespace spamcore::engine

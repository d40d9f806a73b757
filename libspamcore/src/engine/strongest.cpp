#include "spamcore/engine/strongest.hpp"

#include <algorithm>
#include <cmath>

#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::engine {

double feature_strength(const model::Model& m, FeatureId id) {
  if (m.config().algorithm != model::Algorithm::logreg) {
    const model::NbCounts c = m.nb.counts(id);
    const double s = m.nb.spam_messages ? double(c.spam) / double(m.nb.spam_messages) : 0.0;
    const double h = m.nb.ham_messages ? double(c.ham) / double(m.nb.ham_messages) : 0.0;
    return s - h;
  }
  return m.lr.weights()[model::bucket(id, m.lr.params().bits)];
}

std::vector<Strongest> strongest(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names,
                                 std::size_t per_side, bool spam_side) {
  std::vector<Strongest> out;
  for (const auto& [id, name] : names) {
    const double s = feature_strength(m, id);
    if (spam_side ? s > 0 : s < 0) out.push_back({id, s, name});
  }
  // Ties broken by id: the listing must not depend on hash-map order.
  std::sort(out.begin(), out.end(), [spam_side](const Strongest& a, const Strongest& b) {
    if (a.strength != b.strength) return spam_side ? a.strength > b.strength : a.strength < b.strength;
    return a.id < b.id;
  });
  if (out.size() > per_side) out.resize(per_side);
  return out;
}

void name_strongest(const model::Model& m, const std::vector<std::string>& spam_paths,
                    const std::vector<std::string>& ham_paths, const corpus::OpenOptions& open,
                    std::unordered_map<FeatureId, std::string>& names, std::size_t per_side, std::size_t sample) {
  // Naive Bayes strength is a difference of shares: below 2% either way a feature is noise for `inspect`.
  const double min_strength = m.config().algorithm == model::Algorithm::logreg ? 0.0 : 0.02;
  for (const auto* paths : {&spam_paths, &ham_paths}) {
    std::size_t seen = 0;
    for (const std::string& path : *paths) {
      auto source = corpus::open(path, open);
      while (seen < sample) {
        auto msg = source->next();
        if (!msg) break;
        ++seen;
        const FeatureBag bag = tokenize::features(msg->bytes, m.config().tokenizer, true);
        for (std::size_t i = 0; i < bag.ids.size(); ++i) {
          // Most features (rare words, word pairs) cannot be among the strongest: skip them before copying names.
          if (names.count(bag.ids[i]) || std::fabs(feature_strength(m, bag.ids[i])) < min_strength) continue;
          names.emplace(bag.ids[i], bag.names[i]);
        }
      }
      if (seen >= sample) break;
    }
  }
  std::unordered_map<FeatureId, std::string> kept;
  for (const bool side : {true, false})
    for (Strongest& s : strongest(m, names, per_side, side)) kept.emplace(s.id, std::move(s.name));
  names.swap(kept);
}

}  // namespace spamcore::engine

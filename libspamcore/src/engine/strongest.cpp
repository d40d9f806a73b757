#include "spamcore/engine/strongest.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "spamcore/base/error.hpp"
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

namespace {

// Which messages of `sample` to tokenize again: for each wanted id, the first message that held it.
std::vector<bool> messages_to_read(const std::vector<SampledMessage>& sample, const std::vector<FeatureId>& wanted) {
  auto holds = [](const std::vector<FeatureId>& ids, bool sorted, FeatureId id) {
    return sorted ? std::binary_search(ids.begin(), ids.end(), id) : std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  std::vector<bool> sorted(sample.size()), needed(sample.size(), false);
  for (std::size_t i = 0; i < sample.size(); ++i)
    sorted[i] = std::is_sorted(sample[i].ids.begin(), sample[i].ids.end());
  for (const FeatureId id : wanted)
    for (std::size_t i = 0; i < sample.size(); ++i)
      if (holds(sample[i].ids, sorted[i], id)) {
        needed[i] = true;
        break;
      }
  return needed;
}

}  // namespace

void name_strongest(const model::Model& m, const std::vector<SampledMessage>& sample,
                    const std::vector<std::string>& spam_paths, const std::vector<std::string>& ham_paths,
                    const corpus::OpenOptions& open, std::unordered_map<FeatureId, std::string>& names,
                    std::size_t per_side) {
  // Naive Bayes strength is a difference of shares: below 2% either way a feature is noise for `inspect`. A
  // logistic weight has no such scale, so every candidate competes.
  const double min_strength = m.config().algorithm == model::Algorithm::logreg ? 0.0 : 0.02;
  std::vector<FeatureId> candidates;
  for (const SampledMessage& s : sample) candidates.insert(candidates.end(), s.ids.begin(), s.ids.end());
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  // The winners first, by id alone (names known so far stay candidates whatever their strength).
  std::unordered_map<FeatureId, std::string> pool;
  for (FeatureId id : candidates)
    if (std::fabs(feature_strength(m, id)) >= min_strength) pool.emplace(id, std::string());
  for (auto& [id, name] : names) pool[id] = std::move(name);
  std::unordered_map<FeatureId, std::string> kept;
  std::size_t unnamed = 0;
  for (const bool side : {true, false})
    for (Strongest& s : strongest(m, pool, per_side, side)) {
      unnamed += s.name.empty();
      kept.emplace(s.id, std::move(s.name));
    }
  // Then their names, from the messages that first held them: tokenizing with names is the cost here, reading and
  // digesting the messages passed over is cheap.
  std::vector<FeatureId> wanted;
  for (const auto& [id, name] : kept)
    if (name.empty()) wanted.push_back(id);
  std::sort(wanted.begin(), wanted.end());
  const std::vector<bool> needed = messages_to_read(sample, wanted);
  // Names are for people reading `inspect`: a corpus that changed since training (a file gone) leaves some out
  // rather than failing the training that has just finished; one unreadable path does not stop the others.
  for (const bool spam : {true, false}) {
    std::set<Sha256Digest> to_find;
    for (std::size_t i = 0; i < sample.size(); ++i)
      if (needed[i] && sample[i].spam == spam) to_find.insert(sample[i].digest);
    const auto& paths = spam ? spam_paths : ham_paths;
    std::size_t seen = 0;
    for (std::size_t p = 0; p < paths.size() && seen < kNamingScan && !to_find.empty() && unnamed > 0; ++p) {
      try {
        auto source = corpus::open(paths[p], open);
        while (seen < kNamingScan && !to_find.empty() && unnamed > 0) {
          auto msg = source->next();
          if (!msg) break;
          ++seen;
          if (to_find.erase(sha256(msg->bytes)) == 0) continue;
          for (auto& [id, name] : tokenize::feature_names(msg->bytes, m.config().tokenizer, wanted)) {
            const auto it = kept.find(id);
            if (it == kept.end() || !it->second.empty()) continue;
            it->second = std::move(name);
            --unnamed;
          }
        }
      } catch (const Error&) {
      }
    }
  }
  std::erase_if(kept, [](const auto& entry) { return entry.second.empty(); });
  names.swap(kept);
}

}  // namespace spamcore::engine

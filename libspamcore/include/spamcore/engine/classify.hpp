#pragma once
// Scoring every message of some corpora against one model (`spamcore classify`).
#include <functional>
#include <string>
#include <vector>

#include "spamcore/corpus/open.hpp"
#include "spamcore/engine/scorer.hpp"

namespace spamcore::engine {

struct Classified {
  const std::string& source;  ///< the corpus path it was found under
  std::string origin;         ///< "path" or "path:index"
  model::Score score;
};

struct ClassifySummary {
  std::size_t messages = 0, spam = 0, ham = 0, unsure = 0, bytes = 0;
  double seconds = 0;
};

/// Reads every message under `paths` in reader order, scores it, and hands the result to `each`.
ClassifySummary classify(const std::vector<std::string>& paths, const Scorer& scorer,
                         const corpus::OpenOptions& open, const std::function<void(const Classified&)>& each);

}  // namespace spamcore::engine

#include "spamcore/engine/classify.hpp"

#include <chrono>

namespace spamcore::engine {

ClassifySummary classify(const std::vector<std::string>& paths, const Scorer& scorer,
                         const corpus::OpenOptions& open, const std::function<void(const Classified&)>& each) {
  const auto start = std::chrono::steady_clock::now();
  ClassifySummary sum;
  for (const std::string& path : paths) {
    auto source = corpus::open(path, open);
    while (auto msg = source->next()) {
      const model::Score s = scorer.score(msg->bytes);
      ++sum.messages;
      sum.bytes += msg->bytes.size();
      ++(s.verdict == model::Verdict::spam ? sum.spam : s.verdict == model::Verdict::ham ? sum.ham : sum.unsure);
      each(Classified{path, msg->origin(), s});
    }
  }
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return sum;
}

}  // namespace spamcore::engine

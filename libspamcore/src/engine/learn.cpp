#include "spamcore/engine/learn.hpp"

#include <ctime>
#include <filesystem>
#include <optional>

#include "spamcore/base/digest.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/source.hpp"
#include "spamcore/store/file_lock.hpp"
#include "spamcore/store/model_file.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::engine {

LearnReport learn(std::string_view message, const LearnOptions& o) {
  using Result = model::Model::LearnResult;
  const std::string_view stored = corpus::stored_bytes(message);  // as train reads it: the same digest
  if (stored.empty()) throw Error(ErrorKind::format, o.source, "empty message, not learned");
  // Checked before the lock too, so that a mistaken unlearn leaves no lock file behind.
  if (o.unlearn && !std::filesystem::exists(o.model_path))
    throw Error(ErrorKind::usage, o.model_path, "no model to unlearn from");
  store::FileLock lock(o.model_path);
  std::unordered_map<FeatureId, std::string> names;
  std::optional<model::Model> m;
  if (std::filesystem::exists(o.model_path)) {
    m.emplace(store::load(o.model_path, &names));
  } else {
    if (o.unlearn) throw Error(ErrorKind::usage, o.model_path, "no model to unlearn from");
    m.emplace(o.config);
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  if (m->created == 0) m->created = now;
  const Sha256Digest digest = sha256(stored);
  const FeatureBag bag = tokenize::features(stored, m->config().tokenizer);
  LearnReport report;
  report.result = o.unlearn ? m->unlearn_message(digest, bag, o.spam) : m->learn_message(digest, bag, o.spam);
  if (report.result == Result::never_learned)
    throw Error(ErrorKind::usage, o.model_path,
                std::string("this message was never learned as ") + (o.spam ? "spam" : "ham") + "; nothing to unlearn");
  if (report.result != Result::already_known) {
    m->updated = now;
    store::save_atomic(o.model_path, *m, names);
  }
  report.model_spam = m->spam_messages();
  report.model_ham = m->ham_messages();
  return report;
}

}  // namespace spamcore::engine

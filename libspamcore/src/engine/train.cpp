// engine::train -- corpora to a saved model. The flow:
//   lock "<model>.lock" -> (incremental: load the model, verifying it) -> read spam and ham side by side
//     (ClassStream), a batch at a time -> digest + parse + tokenize on N threads -> learn them in that order
//   -> save atomically (temp file, fsync, rename, fsync dir) -> unlock
// Parsing and tokenizing dominate, and are per message; learning is cheap and ordered, so the model is the same
// for any number of threads.
#include "spamcore/engine/train.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "spamcore/base/digest.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/engine/strongest.hpp"
#include "spamcore/store/file_lock.hpp"
#include "spamcore/store/model_file.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::engine {
namespace {

constexpr std::size_t kBatch = 512;

struct Prepared {
  Sha256Digest digest;
  FeatureBag bag;
  bool known = false;  ///< learned before with the same label: not tokenized (a nightly retrain is mostly these)
  bool empty = false;  ///< no bytes at all: not mail (a zero-length file left by a failed delivery, /dev/null)
};

void prepare(const std::vector<corpus::RawMessage>& batch, const std::vector<bool>& labels, std::vector<Prepared>& out,
             const model::Model& m, unsigned threads) {
  out.resize(batch.size());
  // Workers only read the model: learning happens after the whole batch is prepared.
  auto work = [&](std::size_t begin, std::size_t step) {
    for (std::size_t i = begin; i < batch.size(); i += step) {
      // Every empty file has the same digest: learned, they would be one message moved between the classes.
      out[i].empty = batch[i].bytes.empty();
      if (out[i].empty) continue;
      out[i].digest = sha256(batch[i].bytes);
      const auto it = m.learned().find(out[i].digest);
      out[i].known = it != m.learned().end() && it->second == labels[i];
      out[i].bag = out[i].known ? FeatureBag{} : tokenize::features(batch[i].bytes, m.config().tokenizer);
    }
  };
  if (threads <= 1 || batch.size() < 2) {
    work(0, 1);
    return;
  }
  std::vector<std::thread> pool;
  // A worker's exception must reach the caller, not terminate the process.
  std::vector<std::exception_ptr> errors(threads);
  auto stripe = [&](unsigned t) {
    try {
      work(t, threads);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  unsigned started = 0;
  try {
    for (; started < threads; ++started) pool.emplace_back(stripe, started);
  } catch (const std::system_error&) {
    // No more threads to be had (a process or memory limit): this thread does the stripes left, so the batch and
    // the model are the same, only slower; the started threads must be joined before anything else.
  }
  for (unsigned t = started; t < threads; ++t) stripe(t);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// The messages of one class: its corpus paths read one after the other, with the share of their bytes used so far.
class ClassStream {
 public:
  ClassStream(const std::vector<std::string>& paths, const corpus::OpenOptions& open)
      : paths_(paths), open_(open), total_(corpus::estimated_bytes(paths, open)) {}
  bool done() const { return done_; }
  std::uint64_t total() const { return total_; }
  double share() const { return total_ ? double(used_) / double(total_) : double(count_); }
  /// The next message, or nullopt when this class is exhausted (then done()).
  std::optional<corpus::RawMessage> next() {
    while (!done_) {
      if (!source_) {
        if (index_ == paths_.size()) {
          done_ = true;
          break;
        }
        source_ = corpus::open(paths_[index_++], open_);
      }
      if (auto msg = source_->next()) {
        used_ += msg->bytes.size();
        ++count_;
        return msg;
      }
      source_.reset();
    }
    return std::nullopt;
  }

 private:
  const std::vector<std::string>& paths_;
  const corpus::OpenOptions& open_;
  std::unique_ptr<corpus::MessageSource> source_;
  std::size_t index_ = 0;
  std::uint64_t total_ = 0, used_ = 0, count_ = 0;
  bool done_ = false;
};

}  // namespace

TrainReport train(const TrainOptions& o, const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  store::FileLock lock(o.model_path);
  std::unordered_map<FeatureId, std::string> names;
  std::optional<model::Model> loaded;
  if (o.incremental && std::filesystem::exists(o.model_path)) loaded.emplace(store::load(o.model_path, &names));
  model::Model m = loaded ? std::move(*loaded) : model::Model(o.config);
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  if (m.created == 0) m.created = now;

  // Online logistic regression must not see all spam and then all ham: the two classes are read side by side, the
  // next message coming from the class that has used the smaller share of its corpus bytes (estimated without
  // reading them). Deterministic: the same files give the same order, for any number of threads.
  ClassStream spam_in(o.spam_paths, o.open), ham_in(o.ham_paths, o.open);
  const std::uint64_t total_bytes = spam_in.total() + ham_in.total();
  TrainReport report;
  std::vector<corpus::RawMessage> batch;
  std::vector<bool> labels;
  std::vector<Prepared> prepared;
  const unsigned threads = std::max(1u, o.threads);
  std::vector<FeatureId> candidates;  // features of the first messages of each class: who may be the strongest
  std::size_t sampled[2] = {0, 0};
  auto flush = [&] {
    prepare(batch, labels, prepared, m, threads);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const bool spam = labels[i];
      if (prepared[i].empty) {
        ++report.empty;
        continue;
      }
      if (prepared[i].known) {
        ++report.skipped;
        continue;
      }
      if (sampled[spam] < kStrongestSample) {
        ++sampled[spam];
        candidates.insert(candidates.end(), prepared[i].bag.ids.begin(), prepared[i].bag.ids.end());
      }
      const auto r = m.learn_message(prepared[i].digest, prepared[i].bag, spam);
      if (r == model::Model::LearnResult::already_known) {
        ++report.skipped;
      } else {
        ++report.learned;
        ++(spam ? report.spam : report.ham);
      }
    }
    batch.clear();
    labels.clear();
    if (progress)
      progress({report.read, report.bytes, total_bytes,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  };
  for (;;) {
    ClassStream* from = nullptr;
    if (!spam_in.done() && !ham_in.done()) from = spam_in.share() <= ham_in.share() ? &spam_in : &ham_in;
    else if (!spam_in.done()) from = &spam_in;
    else if (!ham_in.done()) from = &ham_in;
    if (!from) break;
    auto msg = from->next();
    if (!msg) continue;
    ++report.read;
    report.bytes += msg->bytes.size();
    labels.push_back(from == &spam_in);
    batch.push_back(std::move(*msg));
    if (batch.size() == kBatch) flush();
  }
  if (!batch.empty()) flush();
  // An incremental run that found nothing new leaves the model file as it was (its update time included): a nightly
  // retrain of an unchanged Maildir rewrites nothing.
  if (!loaded || report.learned > 0) {
    m.updated = now;
    name_strongest(m, std::move(candidates), o.spam_paths, o.ham_paths, o.open, names);
    store::save_atomic(o.model_path, m, names);
  }
  report.model_spam = m.spam_messages();
  report.model_ham = m.ham_messages();
  report.nb_features = m.nb.table.size();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace spamcore::engine

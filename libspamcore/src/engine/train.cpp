// engine::train -- corpora to a saved model. The flow:
//   lock "<model>.lock" -> (incremental: load the model, verifying it) -> read spam and ham side by side
//     (ClassStream), a batch at a time -> digest + parse + tokenize on N threads -> learn them in that order (with
//     N >= 2, on a thread of its own while the next batch is read and prepared)
//   -> save atomically (temp file, fsync, rename, fsync dir) -> unlock
// Parsing and tokenizing dominate, and are per message; learning is ordered, so the model is the same for any
// number of threads.
#include "spamcore/engine/train.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

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

using Known = std::map<Sha256Digest, bool>;

// Workers never touch the model: with two threads or more, it learns the previous batch meanwhile. `known` is what it
// will have learned once the batches before this one are: each message's digest and label.
void prepare(const std::vector<corpus::RawMessage>& batch, const std::vector<bool>& labels, std::vector<Prepared>& out,
             const Known& known, const tokenize::TokenizerSettings& settings, unsigned threads) {
  out.resize(batch.size());
  auto work = [&](std::size_t begin, std::size_t step) {
    for (std::size_t i = begin; i < batch.size(); i += step) {
      // Every empty file has the same digest: learned, they would be one message moved between the classes.
      out[i].empty = batch[i].bytes.empty();
      if (out[i].empty) continue;
      out[i].digest = sha256(batch[i].bytes);
      const auto it = known.find(out[i].digest);
      out[i].known = it != known.end() && it->second == labels[i];
      out[i].bag = out[i].known ? FeatureBag{} : tokenize::features(batch[i].bytes, settings);
    }
  };
  if (threads <= 1 || batch.size() < 2) {
    work(0, 1);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
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
  } catch (...) {
    // No more threads to be had (a process or memory limit: system_error or bad_alloc): this thread does the stripes
    // left, so the batch and the model are the same, only slower; the started threads must be joined before
    // anything else.
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
  // A fresh table sized for the corpus at once: growing it by doubling touched twice the memory, and fresh pages
  // are dear (the kernel zeroes each, and a VM's host may back each anew; docs/speed.md). Distinct features come
  // at about one per 18-19 bytes of mail here (635k for 12 MB, 1.36M for the whole SpamAssassin corpus); one per
  // 24 leaves room to grow once rather than oversize the table.
  if (!loaded && m.config().algorithm != model::Algorithm::logreg)
    m.nb.table.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(total_bytes / 24, m.config().nb.max_features)));
  TrainReport report;
  std::vector<corpus::RawMessage> batch;
  std::vector<bool> labels;
  std::vector<Prepared> prepared;
  const unsigned threads = std::max(1u, o.threads);
  std::vector<SampledMessage> sample;  // the first messages learned of each class: who may be the strongest
  std::size_t sampled[2] = {0, 0};
  // With a learner thread, workers cannot read the model's own list of learned digests: this copy, kept by this
  // thread as learn_message keeps that list (learned or moved: that label; known: unchanged), tells every batch what
  // the batches before it will have made of the model. With one thread the model's list is that already.
  const bool pipelined = threads >= 2;
  Known known;
  if (pipelined) known = m.learned();
  const tokenize::TokenizerSettings settings = m.config().tokenizer;
  // A prepared batch waiting to be learned, with how far reading had got (for the progress line).
  struct Ready {
    std::vector<Prepared> prepared;
    std::vector<bool> labels;
    std::size_t read = 0, bytes = 0;
  };
  // Learning is ordered and single-threaded; only this function touches the model and the learned counts of the
  // report (reading touches `read` and `bytes`).
  auto learn_batch = [&](const Ready& r) {
    for (std::size_t i = 0; i < r.prepared.size(); ++i) {
      const Prepared& p = r.prepared[i];
      const bool spam = r.labels[i];
      if (p.empty) {
        ++report.empty;
        continue;
      }
      if (p.known) {
        ++report.skipped;
        continue;
      }
      if (sampled[spam] < kStrongestSample) {
        ++sampled[spam];
        sample.push_back({p.digest, spam, p.bag.ids});
      }
      const auto result = m.learn_message(p.digest, p.bag, spam);
      if (result == model::Model::LearnResult::already_known) {
        ++report.skipped;
      } else {
        ++report.learned;
        ++(spam ? report.spam : report.ham);
      }
    }
    if (progress)
      progress({r.read, r.bytes, total_bytes,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  };
  // With two threads or more, one batch is learned while the next is read and tokenized: learning is a third of
  // the work and would otherwise leave the other cores idle.
  std::thread learner;
  std::exception_ptr learn_error;
  auto wait_for_learner = [&] {
    if (learner.joinable()) learner.join();
    if (learn_error) std::rethrow_exception(std::exchange(learn_error, nullptr));
  };
  // The learner must be joined on every way out (an exception while reading included).
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{learner};
  auto flush = [&] {
    prepare(batch, labels, prepared, pipelined ? known : m.learned(), settings, threads);
    if (pipelined)
      for (std::size_t i = 0; i < prepared.size(); ++i)
        if (!prepared[i].empty) known[prepared[i].digest] = labels[i];
    wait_for_learner();
    // Shared, not moved into the thread: if the thread cannot start, this thread still has the batch to learn.
    auto ready = std::make_shared<Ready>(Ready{std::move(prepared), std::move(labels), report.read, report.bytes});
    prepared = {};
    labels = {};
    batch.clear();
    if (pipelined) {
      try {
        learner = std::thread([&, ready] {
          try {
            learn_batch(*ready);
          } catch (...) {
            learn_error = std::current_exception();
          }
        });
        return;
      } catch (const std::system_error&) {
        // No thread to be had: learned here, as with one thread.
      }
    }
    learn_batch(*ready);
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
  wait_for_learner();
  // An incremental run that found nothing new leaves the model file as it was (its update time included): a nightly
  // retrain of an unchanged Maildir rewrites nothing.
  if (!loaded || report.learned > 0) {
    m.updated = now;
    name_strongest(m, sample, o.spam_paths, o.ham_paths, o.open, names);
    store::save_atomic(o.model_path, m, names);
  }
  report.model_spam = m.spam_messages();
  report.model_ham = m.ham_messages();
  report.nb_features = m.nb.table.size();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::uint64_t model_file_size(const model::Model& m) { return store::file_size(m); }

}  // namespace spamcore::engine

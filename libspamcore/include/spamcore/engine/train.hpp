#pragma once
// Training a model file from corpora: what `spamcore train` and the nightly cron job run.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "spamcore/corpus/open.hpp"
#include "spamcore/model/model.hpp"

namespace spamcore::engine {

struct TrainOptions {
  std::string model_path;
  std::vector<std::string> spam_paths, ham_paths;
  model::ModelConfig config;     ///< ignored with incremental when the model exists (its own config is kept)
  bool incremental = false;      ///< add to the existing model; messages it has learned (by digest) are skipped
  unsigned threads = 1;          ///< parse + tokenize workers; learning order is fixed, so the model is identical
  corpus::OpenOptions open;
};

struct TrainProgress {
  std::size_t messages = 0;  ///< read so far
  std::size_t bytes = 0;
  std::uint64_t total_bytes = 0;  ///< corpus::estimated_bytes of all the paths, for an ETA
  double seconds = 0;
};

struct TrainReport {
  std::size_t read = 0, learned = 0, skipped = 0, spam = 0, ham = 0, bytes = 0;
  std::size_t empty = 0;  ///< messages with no bytes (an empty file, /dev/null): nothing to learn, never learned
  double seconds = 0;
  std::uint64_t model_spam = 0, model_ham = 0;  ///< totals in the saved model
  std::size_t nb_features = 0;                   ///< naive Bayes features in the saved model
};

/// Called once per batch learned, never twice at once; with two threads or more, from the thread that learns.
using ProgressFn = std::function<void(const TrainProgress&)>;

/// Reads the corpora, learns every message (spam and ham interleaved by the share of each class read so far, each
/// class in reader order: online logistic regression must not see one class after the other) and
/// saves the model atomically. Writers are serialised by a lock on "<model>.lock" held for the whole run.
TrainReport train(const TrainOptions& options, const ProgressFn& progress = {});

/// The size in bytes of the model file `train` would write for `m` (without the readable names of its strongest
/// features: a few KiB), computed without writing it.
std::uint64_t model_file_size(const model::Model& m);

}  // namespace spamcore::engine

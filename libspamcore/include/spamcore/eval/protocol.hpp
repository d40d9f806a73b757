#pragma once
// Evaluation protocols (design.md section 5), deterministic: same inputs and seed, same numbers.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "spamcore/model/model.hpp"

namespace spamcore::eval {

/// A labelled message of a corpus.
struct Example {
  std::string origin;    ///< as corpus::RawMessage::origin()
  std::string key;       ///< path relative to the corpus root (+ ":index" inside an mbox): what the order hashes
  std::string bytes;
  bool spam = false;
  bool classify = true;  ///< TREC index case: scored (and recorded)
  bool train = true;     ///< TREC index case: learned afterwards
};

/// Reads every message under the paths, labelled; keys are relative to each path's parent directory.
std::vector<Example> load_examples(const std::vector<std::string>& spam_paths,
                                   const std::vector<std::string>& ham_paths);

/// Reads a TREC index (in its order): spam/ham classify then train, Spam/Ham classify only, SPAM/HAM train only.
std::vector<Example> load_index(const std::string& index_path);

/// The next example, or nullopt at the end.
using ExampleSource = std::function<std::optional<Example>()>;

/// The examples of a TREC index one at a time, in its order (a large corpus need not fit in memory).
ExampleSource index_source(const std::string& index_path);

/// The online order: by SHA-256 of "<seed>:<key>" (ties impossible in practice; broken by key).
void order_online(std::vector<Example>& examples, std::uint64_t seed);

struct Scored {
  std::string origin;
  bool spam;
  model::Score score;
};

/// What a run cost (design.md section 6), when asked for. Tokenizing counts for both sides: an online message is
/// tokenized once, then scored and learned, and each side's rate is what a scorer or a trainer alone would reach.
struct Costs {
  std::size_t learned = 0, learned_bytes = 0;  ///< messages learned (cv: once per fold that learns them)
  double learn_seconds = 0;                    ///< tokenizing + learning them
  std::size_t scored = 0, scored_bytes = 0;
  double score_seconds = 0;                    ///< tokenizing + scoring
  std::uint64_t model_bytes = 0;               ///< the final model's file size (cv: the mean of the folds' models)
};

/// TREC immediate feedback: each example scored (if classify) and then learned (if train), in the given order.
std::vector<Scored> run_online(const std::vector<Example>& examples, const model::ModelConfig& config,
                               Costs* costs = nullptr);

/// What a streamed run read.
struct ReadCounts {
  std::size_t messages = 0, bytes = 0;
};

/// The same over examples read one at a time: each is dropped once learned. Adds what it read to `read`.
std::vector<Scored> run_online(const ExampleSource& next, const model::ModelConfig& config, ReadCounts& read,
                               Costs* costs = nullptr);

/// Train on `train` (in its order), then score every message of `test` with the final model.
std::vector<Scored> run_split(const std::vector<Example>& train, const std::vector<Example>& test,
                              const model::ModelConfig& config, Costs* costs = nullptr);

/// The fold (0..folds-1) of an example: a hash of its key, so folds do not depend on reading order.
std::uint32_t fold_of(const Example& e, std::uint32_t folds);

/// K-fold cross-validation: for each fold, train on the other folds (in their order) and score the fold. Scores
/// come out fold by fold, each fold in example order. Each message is tokenized once, and its bytes are dropped
/// then (move the examples in: only the features are kept for the folds).
std::vector<Scored> run_cv(std::vector<Example> examples, const model::ModelConfig& config, std::uint32_t folds,
                           Costs* costs = nullptr);

}  // namespace spamcore::eval

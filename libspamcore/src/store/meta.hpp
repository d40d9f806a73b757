#pragma once
// A model's scalar state (algorithm, parameters, thresholds, counts, times, tokenizer settings) as ordered
// key/value pairs: the META section of the binary file and the "meta" object of the JSON export are both this,
// so the two formats cannot disagree.
#include <string>
#include <utility>
#include <vector>

#include "spamcore/base/key_value.hpp"
#include "spamcore/model/model.hpp"

namespace spamcore::store::detail {

using MetaPairs = KeyValues;

MetaPairs meta_from_model(const model::Model& m);

/// Everything META holds, without allocating a model's tables (a scorer must not zero 4 MB of weights to start).
struct ModelMeta {
  model::ModelConfig config;
  std::uint64_t spam_messages = 0, ham_messages = 0, nb_spam_messages = 0, nb_ham_messages = 0;
  std::int64_t created = 0, updated = 0;
};

/// Throws Error(model, path, ...) for a missing or malformed key.
ModelMeta meta_from_pairs(const MetaPairs& pairs, const std::string& path);

/// A model with the config, counts and times of `meta` (weights and tables empty).
model::Model model_from_meta(const ModelMeta& meta);

std::string meta_to_text(const MetaPairs& pairs);
MetaPairs meta_from_text(std::string_view text, const std::string& path);

}  // namespace spamcore::store::detail

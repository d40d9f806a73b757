#pragma once
// A model's scalar state (algorithm, parameters, thresholds, counts, times, tokenizer settings) as ordered
// key/value pairs: the META section of the binary file and the "meta" object of the JSON export are both this,
// so the two formats cannot disagree.
#include <string>
#include <utility>
#include <vector>

#include "spamcore/model/model.hpp"

namespace spamcore::store::detail {

using MetaPairs = std::vector<std::pair<std::string, std::string>>;

MetaPairs meta_from_model(const model::Model& m);

/// A model with the config, counts and times of `pairs` (weights and tables empty). Throws Error(model, path, ...)
/// for a missing or malformed key.
model::Model model_from_meta(const MetaPairs& pairs, const std::string& path);

std::string meta_to_text(const MetaPairs& pairs);
MetaPairs meta_from_text(std::string_view text, const std::string& path);

}  // namespace spamcore::store::detail

#pragma once
// Learning (or forgetting) one message in place: what a mail client's "this is spam" button calls.
#include <string>
#include <string_view>

#include "spamcore/model/model.hpp"

namespace spamcore::engine {

struct LearnOptions {
  std::string model_path;
  bool spam = true;
  bool unlearn = false;
  model::ModelConfig config;  ///< used only when the model does not exist yet
  std::string source = "<stdin>";  ///< names the message in errors
};

struct LearnReport {
  model::Model::LearnResult result = model::Model::LearnResult::learned;
  std::uint64_t model_spam = 0, model_ham = 0;
};

/// Under the model's lock: loads it (or starts one with options.config), learns or unlearns `message` by its
/// SHA-256, and saves atomically. Learning a known message again is a no-op (not saved); learning it with the other
/// label moves it. Throws Error(usage) for --unlearn of a message never learned with that label, Error(model) for a
/// corrupt model, Error(format) for a message with no bytes once an mbox "From " line is taken off (not mail: a
/// button wired to the wrong command; train counts such messages apart too).
LearnReport learn(std::string_view message, const LearnOptions& options);

}  // namespace spamcore::engine

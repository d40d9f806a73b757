#include "spamcore/model/model.hpp"

#include <algorithm>
#include <cmath>

#include "spamcore/base/error.hpp"

namespace spamcore::model {

std::string_view to_string(Algorithm a) {
  switch (a) {
    case Algorithm::nb: return "nb";
    case Algorithm::logreg: return "logreg";
    case Algorithm::combo: return "combo";
  }
  return "combo";
}

Algorithm algorithm_from_string(std::string_view name) {
  if (name == "nb") return Algorithm::nb;
  if (name == "logreg") return Algorithm::logreg;
  if (name == "combo") return Algorithm::combo;
  throw Error(ErrorKind::usage, "", "unknown algorithm '" + std::string(name) + "' (nb, logreg, combo)");
}

Model::Model(const ModelConfig& config) : lr(config.lr), config_(config) {
  if (!(config.thresholds.ham_cutoff <= config.thresholds.spam_cutoff))
    throw Error(ErrorKind::usage, "", "the ham cutoff must not be above the spam cutoff");
}

void Model::learn(const FeatureBag& features, bool spam) {
  (spam ? spam_messages_ : ham_messages_) += 1;
  if (config_.algorithm != Algorithm::logreg) {
    nb.learn(features, spam);
    // Past the cap, prune to 3/4 of it: the pruning is rare, and the learn order fixes when it happens.
    if (nb.table.size() > config_.nb.max_features) nb.prune_to(config_.nb.max_features / 4 * 3);
  }
  if (config_.algorithm != Algorithm::nb) lr.learn(features, spam);
}

Model::LearnResult Model::learn_message(const Sha256Digest& digest, const FeatureBag& features, bool spam) {
  const auto it = learned_.find(digest);
  if (it != learned_.end() && it->second == spam) return LearnResult::already_known;
  if (it != learned_.end()) {
    // A correction: take it out of the other class first.
    (spam ? ham_messages_ : spam_messages_) -= ((spam ? ham_messages_ : spam_messages_) > 0 ? 1 : 0);
    if (config_.algorithm != Algorithm::logreg) nb.learn(features, !spam, -1);
    it->second = spam;
    (spam ? spam_messages_ : ham_messages_) += 1;
    if (config_.algorithm != Algorithm::logreg) nb.learn(features, spam);
    if (config_.algorithm != Algorithm::nb) lr.learn(features, spam);
    return LearnResult::moved;
  }
  learned_.emplace(digest, spam);
  learn(features, spam);
  return LearnResult::learned;
}

Model::LearnResult Model::unlearn_message(const Sha256Digest& digest, const FeatureBag& features, bool spam) {
  const auto it = learned_.find(digest);
  if (it == learned_.end() || it->second != spam) return LearnResult::never_learned;
  learned_.erase(it);
  std::uint64_t& n = spam ? spam_messages_ : ham_messages_;
  if (n > 0) --n;
  if (config_.algorithm != Algorithm::logreg) nb.learn(features, spam, -1);
  // Logistic regression cannot subtract a message exactly: a step towards the other label undoes most of it.
  if (config_.algorithm != Algorithm::nb) lr.learn(features, !spam);
  return LearnResult::unlearned;
}

Score combine(const ModelConfig& config, const Score* nb, const Score* lr, std::uint64_t spam_learned,
              std::uint64_t ham_learned) {
  Score s;
  if (nb && lr) {
    // NB's Fisher log-odds grow with the number of features (hundreds); squash them to the logistic scale first.
    const double nb_part = 10.0 * std::tanh(nb->logit / 20.0);
    s.nb_part = config.nb_weight * nb_part;
    // Logistic regression's log-odds grow with every header word it has weighed; on mail newer than its training
    // they ran past NB's and decided alone (docs/model-tuning.md, stop 16).
    const double k = config.lr_squash;
    s.lr_part = (1.0 - config.nb_weight) * (k > 0 ? k * std::tanh(lr->logit / k) : lr->logit);
    s.logit = s.nb_part + s.lr_part;
    s.probability = sigmoid(s.logit);
  } else {
    s = nb ? *nb : lr ? *lr : Score{};
  }
  if (config.warmup > 0) {
    const double factor = warmup_factor(config, spam_learned, ham_learned);
    s.logit *= factor;
    s.nb_part *= factor;
    s.lr_part *= factor;
    s.probability = sigmoid(s.logit);
  }
  s.verdict = config.thresholds.verdict(s.probability);
  return s;
}

double warmup_factor(const ModelConfig& config, std::uint64_t spam_learned, std::uint64_t ham_learned) {
  if (config.warmup <= 0) return 1.0;
  const double m = static_cast<double>(std::min(spam_learned, ham_learned));
  return m / (m + config.warmup);
}

tokenize::BagDetail scoring_detail(const ModelConfig& config) {
  const bool nb = config.algorithm != Algorithm::logreg;
  return {.sequence = nb && config.nb.context, .sources = nb && weighs_by_source(config.nb)};
}

void attach_evidence(Score& s, const ModelConfig& config, std::vector<Evidence> nb_ev, std::vector<Evidence> lr_ev,
                     std::uint64_t spam_learned, std::uint64_t ham_learned) {
  const double factor = warmup_factor(config, spam_learned, ham_learned);
  auto finish = [factor](std::vector<Evidence>& ev) {
    for (Evidence& e : ev) e.weight *= factor;
    // A feature that pushed neither way (a bucket never trained, or a model that has not seen both classes)
    // explains nothing; listed, it would show up as a "ham" feature of weight 0.
    std::erase_if(ev, [](const Evidence& e) { return e.weight == 0.0; });
    sort_evidence(ev);
  };
  if (config.algorithm == Algorithm::nb) {
    s.evidence = std::move(nb_ev);
  } else {
    s.evidence = std::move(lr_ev);
    if (config.algorithm == Algorithm::combo) s.nb_evidence = std::move(nb_ev);
  }
  finish(s.evidence);
  finish(s.nb_evidence);
}

Score Model::score(const FeatureBag& features, bool explain) const {
  std::vector<Evidence> nb_ev, lr_ev;
  Score nb_s, lr_s;
  const bool use_nb = config_.algorithm != Algorithm::logreg, use_lr = config_.algorithm != Algorithm::nb;
  if (use_nb) nb_s = nb.score(features, config_.nb, explain ? &nb_ev : nullptr);
  if (use_lr) lr_s = lr.score(features, explain ? &lr_ev : nullptr);
  Score s = combine(config_, use_nb ? &nb_s : nullptr, use_lr ? &lr_s : nullptr, spam_messages_, ham_messages_);
  if (explain) attach_evidence(s, config_, std::move(nb_ev), std::move(lr_ev), spam_messages_, ham_messages_);
  return s;
}

}  // namespace spamcore::model

// Online protocol over the whole SpamAssassin corpus, and the split protocol (train on the older folders, score the
// newer): a regression guard on accuracy. The bounds sit a little above the measured values (docs/model-tuning.md):
// online combo 0.0483, nb 0.0645; split combo 0.1345, nb 0.1326 (1-ROCA)%; the split's combo bound is issue 3's
// target. Skipped when the corpus is absent.
#include <doctest/doctest.h>

#include <filesystem>

#include "spamcore/eval/metrics.hpp"
#include "spamcore/eval/protocol.hpp"

using namespace spamcore;

namespace {

const std::vector<eval::Example>* corpus_examples() {
  static std::vector<eval::Example> examples;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    const std::string root = SPAMCORE_CORPUS;
    if (!std::filesystem::is_directory(root)) return nullptr;
    examples = eval::load_examples({root + "/spam-1", root + "/spam-2"},
                                   {root + "/easy-ham-1", root + "/easy-ham-2", root + "/hard-ham-1"});
    eval::order_online(examples, 1);
  }
  return examples.empty() ? nullptr : &examples;
}

double online_roca(model::Algorithm algo) {
  model::ModelConfig config;
  config.algorithm = algo;
  std::vector<eval::Judged> judged;
  for (const auto& s : eval::run_online(*corpus_examples(), config)) judged.push_back({s.spam, s.score.logit});
  return eval::one_minus_roca_pct(judged);
}

}  // namespace

TEST_CASE("online (1-ROCA)% on the SpamAssassin corpus stays at or below its measured level") {
  if (!corpus_examples()) {
    MESSAGE("SpamAssassin corpus not found at " SPAMCORE_CORPUS " -- run scripts/fetch-corpus.sh; test skipped");
    return;
  }
  REQUIRE(corpus_examples()->size() == 6046);
  const double combo = online_roca(model::Algorithm::combo);
  const double nb = online_roca(model::Algorithm::nb);
  MESSAGE("combo " << combo << ", nb " << nb);
  CHECK(combo <= 0.055);
  CHECK(nb <= 0.075);
}

TEST_CASE("split (1-ROCA)% on the SpamAssassin corpus stays at or below its measured level") {
  const std::string root = SPAMCORE_CORPUS, split = root + "-split";
  if (!corpus_examples() || !std::filesystem::is_directory(split + "/hard-ham-1-odd")) {
    MESSAGE("corpus or its split absent (scripts/fetch-corpus.sh, scripts/split-corpus.sh): skipped");
    return;
  }
  // As `spamcore eval --protocol split` orders them: seed 1.
  auto train = eval::load_examples({root + "/spam-1"}, {root + "/easy-ham-1", split + "/hard-ham-1-odd"});
  auto test = eval::load_examples({root + "/spam-2"}, {root + "/easy-ham-2", split + "/hard-ham-1-even"});
  eval::order_online(train, 1);
  eval::order_online(test, 1);
  auto roca = [&](model::Algorithm algo) {
    model::ModelConfig config;
    config.algorithm = algo;
    std::vector<eval::Judged> judged;
    for (const auto& s : eval::run_split(train, test, config)) judged.push_back({s.spam, s.score.logit});
    return eval::one_minus_roca_pct(judged);
  };
  const double combo = roca(model::Algorithm::combo), nb = roca(model::Algorithm::nb);
  MESSAGE("split: combo " << combo << ", nb " << nb);
  CHECK(combo <= 0.15);
  CHECK(nb <= 0.15);
}

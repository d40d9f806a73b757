// Research tool: the online protocol over a corpus for many model settings at once, tokenizing each message once
// per tokenizer setting. `tune_online CORPUS_ROOT` (expects spam-*/ and *ham*/ folders, SpamAssassin layout).
// The table in docs/model-tuning.md was made with it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "spamcore/eval/metrics.hpp"
#include "spamcore/eval/protocol.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

using namespace spamcore;

namespace {

struct Variant {
  std::string name;
  model::ModelConfig config;
};

void run(const std::vector<eval::Example>& ex, const std::vector<Variant>& variants) {
  if (variants.empty()) return;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<FeatureBag> bags;
  bags.reserve(ex.size());
  std::size_t total = 0;
  for (const auto& e : ex) {
    bags.push_back(tokenize::features(e.bytes, variants[0].config.tokenizer, tokenize::kForScoring));
    total += bags.back().size();
  }
  const double tok_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("# tokenizer %s: %.1f features/message, %.2f s\n", variants[0].name.c_str(),
              double(total) / double(ex.size()), tok_s);
  for (const Variant& v : variants) {
    const auto t1 = std::chrono::steady_clock::now();
    model::Model m(v.config);
    std::vector<eval::Judged> judged;
    for (std::size_t i = 0; i < ex.size(); ++i) {
      judged.push_back({ex[i].spam, m.score(bags[i]).logit});
      m.learn(bags[i], ex[i].spam);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const auto metrics = eval::compute_metrics(judged, 0.0);
    std::printf("%-40s (1-ROCA)%% %.4f  lam%% %.3f  hm%% %.3f  sm%% %.3f  sm@hm0.1 %.2f  %.2fs\n", v.name.c_str(),
                metrics.one_minus_roca_pct, metrics.lam_pct, metrics.hm_pct, metrics.sm_pct,
                metrics.sm_at_hm_0_1_pct, s);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 3;
  const std::string root = argv[1];
  std::vector<std::string> spam, ham;
  for (const auto& d : std::filesystem::directory_iterator(root)) {
    const std::string name = d.path().filename().string();
    (name.find("spam") != std::string::npos ? spam : ham).push_back(d.path().string());
  }
  std::sort(spam.begin(), spam.end());
  std::sort(ham.begin(), ham.end());
  auto ex = eval::load_examples(spam, ham);
  eval::order_online(ex, 1);
  const std::string only = argc > 2 ? argv[2] : "";

  auto base = [](model::Algorithm a) {
    model::ModelConfig c;
    c.algorithm = a;
    return c;
  };
  std::vector<Variant> v;
  v.push_back({"nb defaults", base(model::Algorithm::nb)});
  for (double s : {0.02, 0.5}) {
    auto c = base(model::Algorithm::nb);
    c.nb.s = s;
    v.push_back({"nb s=" + std::to_string(s), c});
  }
  for (double md : {0.0, 0.3}) {
    auto c = base(model::Algorithm::nb);
    c.nb.min_dev = md;
    v.push_back({"nb min_dev=" + std::to_string(md), c});
  }
  for (double rate : {3.0, 10.0, 30.0}) {
    for (auto regime : {model::TrainRegime::every, model::TrainRegime::thick_threshold}) {
      auto c = base(model::Algorithm::logreg);
      c.lr.rate = rate;
      c.lr.regime = regime;
      v.push_back({"logreg norm rate=" + std::to_string(rate) + (regime == model::TrainRegime::every ? " every" : " thick"), c});
    }
  }
  for (double rate : {0.005, 0.02}) {
    for (auto regime : {model::TrainRegime::every, model::TrainRegime::thick_threshold}) {
      auto c = base(model::Algorithm::logreg);
      c.lr.rate = rate;
      c.lr.regime = regime;
      c.lr.normalize = false;
      v.push_back({"logreg rate=" + std::to_string(rate) + (regime == model::TrainRegime::every ? " every" : " thick"), c});
    }
  }
  for (double w : {0.3, 0.5, 0.7}) {
    auto c = base(model::Algorithm::combo);
    c.nb_weight = w;
    v.push_back({"combo nb_weight=" + std::to_string(w), c});
  }
  if (only == "lr") {
    std::vector<Variant> lr;
    for (const auto& x : v)
      if (x.name.rfind("logreg", 0) == 0) lr.push_back(x);
    for (double w : {0.3, 0.5, 0.7}) {
      auto c = base(model::Algorithm::combo);
      c.nb_weight = w;
      c.lr.rate = 10.0;
      lr.push_back({"combo lr-norm-10 nb_weight=" + std::to_string(w), c});
    }
    run(ex, lr);
  }
  if (only == "caps") {
    auto c = base(model::Algorithm::combo);
    c.tokenizer.caps_words = true;
    auto n = base(model::Algorithm::nb);
    n.tokenizer.caps_words = true;
    run(ex, {{"combo caps words", c}, {"nb caps words", n}});
  }
  if (only == "params") {
    std::vector<Variant> pv;
    for (double w : {0.6, 0.8, 0.9}) {
      auto c = base(model::Algorithm::combo);
      c.nb_weight = w;
      pv.push_back({"combo nb_weight=" + std::to_string(w), c});
    }
    for (double rate : {0.01, 0.05}) {
      auto c = base(model::Algorithm::combo);
      c.lr.rate = rate;
      pv.push_back({"combo lr rate=" + std::to_string(rate), c});
    }
    for (double md : {0.0, 0.2}) {
      auto c = base(model::Algorithm::combo);
      c.nb.min_dev = md;
      pv.push_back({"combo nb min_dev=" + std::to_string(md), c});
    }
    {
      auto c = base(model::Algorithm::combo);
      c.lr.regime = model::TrainRegime::every;
      pv.push_back({"combo lr every", c});
    }
    run(ex, pv);
  }
  if (only.empty() || only == "default") run(ex, v);
  // Tokenizer variants with the default combo
  for (std::uint32_t osb : {0u, 3u}) {
    auto c = base(model::Algorithm::combo);
    c.tokenizer.osb_window = osb;
    auto n = base(model::Algorithm::nb);
    n.tokenizer.osb_window = osb;
    if (only.empty() || only == "osb") run(ex, {{"combo osb=" + std::to_string(osb), c}, {"nb osb=" + std::to_string(osb), n}});
  }
  {
    auto c = base(model::Algorithm::combo);
    c.tokenizer.header_tokens = false;
    auto n = base(model::Algorithm::nb);
    n.tokenizer.header_tokens = false;
    if (only.empty() || only == "noheaders") run(ex, {{"combo no header tokens", c}, {"nb no header tokens", n}});
  }
  {
    auto c = base(model::Algorithm::logreg);
    c.tokenizer.byte_ngrams = 4;
    c.tokenizer.byte_ngram_prefix = 3000;
    c.tokenizer.body_words = false;
    c.tokenizer.header_tokens = false;
    c.tokenizer.osb_window = 0;
    c.tokenizer.url_features = false;
    c.tokenizer.mime_features = false;
    if (only.empty() || only == "bytes") run(ex, {{"logreg raw byte 4-grams 3KB", c}});
  }
  return 0;
}

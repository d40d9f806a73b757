#include "spamcore/eval/protocol.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include "spamcore/base/digest.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/trec_index.hpp"
#include "spamcore/engine/train.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::eval {

std::vector<Example> load_examples(const std::vector<std::string>& spam_paths,
                                   const std::vector<std::string>& ham_paths) {
  std::vector<Example> out;
  auto load = [&](const std::string& root, bool spam) {
    // The key is "<folder>/<file>" (issue 3's order): relative to the folder's parent, however the folder was
    // written ("spam-1", "spam-1/", "./spam-1/."): a trailing slash must not change the order.
    std::filesystem::path folder = std::filesystem::path(root).lexically_normal();
    while (folder.has_relative_path() && folder.filename().empty()) folder = folder.parent_path();
    const std::filesystem::path base = folder.parent_path();
    auto source = corpus::open(root);
    while (auto m = source->next()) {
      Example e;
      e.origin = m->origin();
      e.key = std::filesystem::path(m->path).lexically_normal().lexically_relative(base).generic_string();
      if (e.key.empty()) e.key = m->path;
      if (m->index >= 0) e.key += ":" + std::to_string(m->index);
      e.bytes = std::move(m->bytes);
      e.spam = spam;
      out.push_back(std::move(e));
    }
  };
  for (const auto& p : spam_paths) load(p, true);
  for (const auto& p : ham_paths) load(p, false);
  return out;
}

namespace {

Example from_index(corpus::RawMessage&& m) {
  Example e;
  e.origin = m.origin();
  e.key = m.path;
  e.bytes = std::move(m.bytes);
  const std::string& j = m.judgement;
  e.spam = j == "spam" || j == "Spam" || j == "SPAM";
  e.classify = j != "SPAM" && j != "HAM";  // upper case: train only (delayed feedback)
  e.train = j != "Spam" && j != "Ham";     // capitalised: classify only
  return e;
}

}  // namespace

ExampleSource index_source(const std::string& index_path) {
  std::shared_ptr<corpus::MessageSource> source = corpus::open_trec_index(index_path);
  return [source]() -> std::optional<Example> {
    auto m = source->next();
    if (!m) return std::nullopt;
    return from_index(std::move(*m));
  };
}

std::vector<Example> load_index(const std::string& index_path) {
  std::vector<Example> out;
  const ExampleSource next = index_source(index_path);
  while (auto e = next()) out.push_back(std::move(*e));
  return out;
}

void order_online(std::vector<Example>& examples, std::uint64_t seed) {
  std::vector<std::pair<Sha256Digest, std::size_t>> keys;
  keys.reserve(examples.size());
  for (std::size_t i = 0; i < examples.size(); ++i)
    keys.emplace_back(sha256(std::to_string(seed) + ":" + examples[i].key), i);
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : examples[a.second].key < examples[b.second].key;
  });
  std::vector<Example> sorted;
  sorted.reserve(examples.size());
  for (const auto& k : keys) sorted.push_back(std::move(examples[k.second]));
  examples.swap(sorted);
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Tokenizing, and how long it took: both sides of Costs count it.
FeatureBag timed_features(const std::string& bytes, const model::ModelConfig& config, bool for_scoring,
                          double& seconds) {
  const auto t = std::chrono::steady_clock::now();
  FeatureBag bag = for_scoring ? tokenize::features(bytes, config.tokenizer, model::scoring_detail(config))
                               : tokenize::features(bytes, config.tokenizer);
  seconds = seconds_since(t);
  return bag;
}

void learn_timed(model::Model& m, const FeatureBag& bag, bool spam, std::size_t bytes, double tokenizing,
                 Costs* costs) {
  const auto t = std::chrono::steady_clock::now();
  m.learn(bag, spam);
  if (!costs) return;
  costs->learn_seconds += tokenizing + seconds_since(t);
  costs->learned += 1;
  costs->learned_bytes += bytes;
}

model::Score score_timed(const model::Model& m, const FeatureBag& bag, std::size_t bytes, double tokenizing,
                         Costs* costs) {
  const auto t = std::chrono::steady_clock::now();
  model::Score s = m.score(bag);
  if (costs) {
    costs->score_seconds += tokenizing + seconds_since(t);
    costs->scored += 1;
    costs->scored_bytes += bytes;
  }
  return s;
}

void online_step(const Example& e, model::Model& m, const model::ModelConfig& config, std::vector<Scored>& out,
                 Costs* costs) {
  double tokenizing = 0;
  const FeatureBag bag = timed_features(e.bytes, config, true, tokenizing);
  if (e.classify) out.push_back({e.origin, e.spam, score_timed(m, bag, e.bytes.size(), tokenizing, costs)});
  if (e.train) learn_timed(m, bag, e.spam, e.bytes.size(), tokenizing, costs);
}

}  // namespace

std::vector<Scored> run_online(const std::vector<Example>& examples, const model::ModelConfig& config,
                               Costs* costs) {
  model::Model m(config);
  std::vector<Scored> out;
  out.reserve(examples.size());
  for (const Example& e : examples) online_step(e, m, config, out, costs);
  if (costs) costs->model_bytes = engine::model_file_size(m);
  return out;
}

std::vector<Scored> run_online(const ExampleSource& next, const model::ModelConfig& config, ReadCounts& read,
                               Costs* costs) {
  model::Model m(config);
  std::vector<Scored> out;
  while (const auto e = next()) {
    read.bytes += e->bytes.size();
    ++read.messages;
    online_step(*e, m, config, out, costs);
  }
  if (costs) costs->model_bytes = engine::model_file_size(m);
  return out;
}

std::vector<Scored> run_split(const std::vector<Example>& train, const std::vector<Example>& test,
                              const model::ModelConfig& config, Costs* costs) {
  model::Model m(config);
  double tokenizing = 0;
  for (const Example& e : train)
    learn_timed(m, timed_features(e.bytes, config, false, tokenizing), e.spam, e.bytes.size(), tokenizing, costs);
  if (costs) costs->model_bytes = engine::model_file_size(m);
  std::vector<Scored> out;
  out.reserve(test.size());
  for (const Example& e : test) {
    const FeatureBag bag = timed_features(e.bytes, config, true, tokenizing);
    out.push_back({e.origin, e.spam, score_timed(m, bag, e.bytes.size(), tokenizing, costs)});
  }
  return out;
}

std::uint32_t fold_of(const Example& e, std::uint32_t folds) {
  const Sha256Digest d = sha256("fold:" + e.key);
  std::uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = h << 8 | d[static_cast<std::size_t>(i)];
  return static_cast<std::uint32_t>(h % folds);
}

std::vector<Scored> run_cv(std::vector<Example> examples, const model::ModelConfig& config, std::uint32_t folds,
                           Costs* costs) {
  if (folds < 2) throw Error(ErrorKind::usage, "eval", "cross-validation needs at least 2 folds");
  std::vector<FeatureBag> bags;
  std::vector<std::uint32_t> fold;
  std::vector<double> tokenizing;  // each message's, counted again in every fold that learns or scores it
  std::vector<std::size_t> sizes;
  bags.reserve(examples.size());
  for (Example& e : examples) {
    bags.push_back(timed_features(e.bytes, config, true, tokenizing.emplace_back()));
    sizes.push_back(e.bytes.size());
    std::string().swap(e.bytes);
    // Kept for the whole run: without the room reserved for a message's growth they take half the memory.
    bags.back().shrink_to_fit();
    fold.push_back(fold_of(e, folds));
  }
  std::vector<Scored> out;
  out.reserve(examples.size());
  std::uint64_t model_bytes = 0;
  for (std::uint32_t k = 0; k < folds; ++k) {
    model::Model m(config);
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (fold[i] != k) learn_timed(m, bags[i], examples[i].spam, sizes[i], tokenizing[i], costs);
    if (costs) model_bytes += engine::model_file_size(m);
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (fold[i] == k)
        out.push_back({examples[i].origin, examples[i].spam, score_timed(m, bags[i], sizes[i], tokenizing[i], costs)});
  }
  if (costs) costs->model_bytes = model_bytes / folds;
  return out;
}

}  // namespace spamcore::eval

#include "spamcore/eval/protocol.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "spamcore/base/digest.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/trec_index.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::eval {

std::vector<Example> load_examples(const std::vector<std::string>& spam_paths,
                                   const std::vector<std::string>& ham_paths) {
  std::vector<Example> out;
  auto load = [&](const std::string& root, bool spam) {
    const std::filesystem::path base = std::filesystem::path(root).lexically_normal().parent_path();
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

void online_step(const Example& e, model::Model& m, const model::ModelConfig& config, std::vector<Scored>& out) {
  const FeatureBag bag = tokenize::features(e.bytes, config.tokenizer, model::scoring_detail(config));
  if (e.classify) out.push_back({e.origin, e.spam, m.score(bag)});
  if (e.train) m.learn(bag, e.spam);
}

}  // namespace

std::vector<Scored> run_online(const std::vector<Example>& examples, const model::ModelConfig& config) {
  model::Model m(config);
  std::vector<Scored> out;
  out.reserve(examples.size());
  for (const Example& e : examples) online_step(e, m, config, out);
  return out;
}

std::vector<Scored> run_online(const ExampleSource& next, const model::ModelConfig& config, ReadCounts& read) {
  model::Model m(config);
  std::vector<Scored> out;
  while (const auto e = next()) {
    read.bytes += e->bytes.size();
    ++read.messages;
    online_step(*e, m, config, out);
  }
  return out;
}

std::vector<Scored> run_split(const std::vector<Example>& train, const std::vector<Example>& test,
                              const model::ModelConfig& config) {
  model::Model m(config);
  for (const Example& e : train) m.learn(tokenize::features(e.bytes, config.tokenizer), e.spam);
  std::vector<Scored> out;
  out.reserve(test.size());
  for (const Example& e : test)
    out.push_back(
        {e.origin, e.spam, m.score(tokenize::features(e.bytes, config.tokenizer, model::scoring_detail(config)))});
  return out;
}

std::uint32_t fold_of(const Example& e, std::uint32_t folds) {
  const Sha256Digest d = sha256("fold:" + e.key);
  std::uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = h << 8 | d[static_cast<std::size_t>(i)];
  return static_cast<std::uint32_t>(h % folds);
}

std::vector<Scored> run_cv(std::vector<Example> examples, const model::ModelConfig& config, std::uint32_t folds) {
  if (folds < 2) throw Error(ErrorKind::usage, "eval", "cross-validation needs at least 2 folds");
  std::vector<FeatureBag> bags;
  std::vector<std::uint32_t> fold;
  bags.reserve(examples.size());
  for (Example& e : examples) {
    bags.push_back(tokenize::features(e.bytes, config.tokenizer, model::scoring_detail(config)));
    std::string().swap(e.bytes);
    // Kept for the whole run: without the room reserved for a message's growth they take half the memory.
    bags.back().shrink_to_fit();
    fold.push_back(fold_of(e, folds));
  }
  std::vector<Scored> out;
  out.reserve(examples.size());
  for (std::uint32_t k = 0; k < folds; ++k) {
    model::Model m(config);
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (fold[i] != k) m.learn(bags[i], examples[i].spam);
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (fold[i] == k) out.push_back({examples[i].origin, examples[i].spam, m.score(bags[i])});
  }
  return out;
}

}  // namespace spamcore::eval

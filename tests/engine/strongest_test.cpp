// name_strongest: the strongest features named from the first messages of each class.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "spamcore/corpus/open.hpp"
#include "spamcore/engine/strongest.hpp"
#include "spamcore/tokenize/tokenizer.hpp"
#include "test_util.hpp"

using namespace spamcore;
using spamcore::test::fixture_path;

namespace {

/// A model trained on the fixture corpus, with every message in the sample.
model::Model trained(std::vector<engine::SampledMessage>& sample) {
  model::Model m;
  for (const bool spam : {true, false}) {
    auto source = corpus::open(fixture_path(spam ? "train/spam" : "train/ham"));
    while (auto msg = source->next()) {
      const FeatureBag bag = tokenize::features(msg->bytes, m.config().tokenizer);
      sample.push_back({sha256(msg->bytes), spam, bag.ids});
      m.learn(bag, spam);
    }
  }
  return m;
}

}  // namespace

/// Every name the tokenizer gives each id in the fixture corpus.
std::unordered_map<FeatureId, std::set<std::string>> all_names() {
  std::unordered_map<FeatureId, std::set<std::string>> out;
  for (const char* dir : {"train/spam", "train/ham"}) {
    auto source = corpus::open(fixture_path(dir));
    while (auto msg = source->next()) {
      const FeatureBag bag = tokenize::features(msg->bytes, tokenize::TokenizerSettings{}, {.names = true});
      for (std::size_t i = 0; i < bag.ids.size(); ++i) out[bag.ids[i]].insert(bag.names[i]);
    }
  }
  return out;
}

TEST_CASE("name_strongest names the strongest features each way, and only those") {
  std::vector<engine::SampledMessage> sample;
  const model::Model m = trained(sample);
  std::unordered_map<FeatureId, std::string> names;
  engine::name_strongest(m, sample, {fixture_path("train/spam")}, {fixture_path("train/ham")}, {}, names, 5);
  REQUIRE(!names.empty());
  CHECK(names.size() <= 10);
  const auto truth = all_names();
  for (const auto& [id, name] : names) {
    CHECK(!name.empty());
    CHECK(std::fabs(engine::feature_strength(m, id)) >= 0.02);
    // The name is one the full tokenizer gives this very id.
    REQUIRE(truth.count(id) == 1);
    CHECK(truth.at(id).count(name) == 1);
  }
  CHECK(engine::strongest(m, names, 5, true).size() == 5);
  CHECK(engine::strongest(m, names, 5, false).size() == 5);
}

TEST_CASE("name_strongest: a corpus gone since training leaves names out, it does not fail") {
  std::vector<engine::SampledMessage> sample;
  const model::Model m = trained(sample);
  // The strongest spam feature, already named (as a previous training would have left it).
  std::unordered_map<FeatureId, std::string> all;
  for (const auto& s : sample)
    for (FeatureId id : s.ids) all.emplace(id, std::string());
  const auto top = engine::strongest(m, all, 1, true);
  REQUIRE(top.size() == 1);
  std::unordered_map<FeatureId, std::string> names = {{top[0].id, "kept:name"}};
  CHECK_NOTHROW(engine::name_strongest(m, sample, {"/nonexistent/spam"}, {"/nonexistent/ham"}, {}, names, 5));
  CHECK(names.size() == 1);  // nothing unnamed is kept
  CHECK(names[top[0].id] == "kept:name");
}

TEST_CASE("name_strongest: an unreadable spam path does not stop the ham side from being named") {
  std::vector<engine::SampledMessage> sample;
  const model::Model m = trained(sample);
  std::unordered_map<FeatureId, std::string> names;
  engine::name_strongest(m, sample, {"/nonexistent/spam"}, {fixture_path("train/ham")}, {}, names, 5);
  CHECK(engine::strongest(m, names, 5, false).size() == 5);
  for (const auto& [id, name] : names) CHECK(!name.empty());
}

TEST_CASE("name_strongest reads again only the sampled messages, found by their digests") {
  std::vector<engine::SampledMessage> sample;
  const model::Model m = trained(sample);
  // The spam messages' digests no longer match anything in the corpus (as if each file had changed since): names
  // only spam held are left out; the ham side is named as ever.
  auto changed = sample;
  for (auto& s : changed)
    if (s.spam) s.digest[0] ^= 0xff;
  std::unordered_map<FeatureId, std::string> names, all_named;
  engine::name_strongest(m, changed, {fixture_path("train/spam")}, {fixture_path("train/ham")}, {}, names, 5);
  engine::name_strongest(m, sample, {fixture_path("train/spam")}, {fixture_path("train/ham")}, {}, all_named, 5);
  CHECK(names.size() < all_named.size());
  for (const auto& [id, name] : names) CHECK(all_named.at(id) == name);
  CHECK(engine::strongest(m, names, 5, false).size() == 5);
  std::set<FeatureId> in_ham;
  for (const auto& s : sample)
    if (!s.spam) in_ham.insert(s.ids.begin(), s.ids.end());
  for (const auto& [id, name] : names) CHECK(in_ham.count(id) == 1);
}

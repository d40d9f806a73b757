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

/// A model trained on the fixture corpus, with the ids of every message as candidates.
model::Model trained(std::vector<FeatureId>& candidates) {
  model::Model m;
  for (const bool spam : {true, false}) {
    auto source = corpus::open(fixture_path(spam ? "train/spam" : "train/ham"));
    while (auto msg = source->next()) {
      const FeatureBag bag = tokenize::features(msg->bytes, m.config().tokenizer);
      candidates.insert(candidates.end(), bag.ids.begin(), bag.ids.end());
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
  std::vector<FeatureId> candidates;
  const model::Model m = trained(candidates);
  std::unordered_map<FeatureId, std::string> names;
  engine::name_strongest(m, candidates, {fixture_path("train/spam")}, {fixture_path("train/ham")}, {}, names, 5);
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
  std::vector<FeatureId> candidates;
  const model::Model m = trained(candidates);
  // The strongest spam feature, already named (as a previous training would have left it).
  std::unordered_map<FeatureId, std::string> all;
  for (FeatureId id : candidates) all.emplace(id, std::string());
  const auto top = engine::strongest(m, all, 1, true);
  REQUIRE(top.size() == 1);
  std::unordered_map<FeatureId, std::string> names = {{top[0].id, "kept:name"}};
  CHECK_NOTHROW(engine::name_strongest(m, candidates, {"/nonexistent/spam"}, {"/nonexistent/ham"}, {}, names, 5));
  CHECK(names.size() == 1);  // nothing unnamed is kept
  CHECK(names[top[0].id] == "kept:name");
}

TEST_CASE("name_strongest: an unreadable spam path does not stop the ham side from being named") {
  std::vector<FeatureId> candidates;
  const model::Model m = trained(candidates);
  std::unordered_map<FeatureId, std::string> names;
  engine::name_strongest(m, candidates, {"/nonexistent/spam"}, {fixture_path("train/ham")}, {}, names, 5);
  CHECK(engine::strongest(m, names, 5, false).size() == 5);
  for (const auto& [id, name] : names) CHECK(!name.empty());
}

// name_strongest: the strongest features named from the first messages of each class.
#include <doctest/doctest.h>

#include <cmath>

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

TEST_CASE("name_strongest names the strongest features each way, and only those") {
  std::vector<FeatureId> candidates;
  const model::Model m = trained(candidates);
  std::unordered_map<FeatureId, std::string> names;
  engine::name_strongest(m, candidates, {fixture_path("train/spam")}, {fixture_path("train/ham")}, {}, names, 5);
  REQUIRE(!names.empty());
  CHECK(names.size() <= 10);
  for (const auto& [id, name] : names) {
    CHECK(!name.empty());
    CHECK(std::fabs(engine::feature_strength(m, id)) >= 0.02);
  }
  CHECK(engine::strongest(m, names, 5, true).size() == 5);
  CHECK(engine::strongest(m, names, 5, false).size() == 5);
}

TEST_CASE("name_strongest: a corpus gone since training leaves names out, it does not fail") {
  std::vector<FeatureId> candidates;
  const model::Model m = trained(candidates);
  std::unordered_map<FeatureId, std::string> names = {{42, "kept:name"}};
  CHECK_NOTHROW(engine::name_strongest(m, candidates, {"/nonexistent/spam"}, {"/nonexistent/ham"}, {}, names, 5));
  for (const auto& [id, name] : names) CHECK(!name.empty());  // nothing unnamed is kept
}

#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "spamcore/eval/protocol.hpp"
#include "test_util.hpp"

using namespace spamcore;
using namespace spamcore::eval;

TEST_CASE("TREC index cases: spam/ham classify then train, Spam/Ham classify only, SPAM/HAM train only") {
  const auto examples = load_index(test::fixture_path("eval/index"));
  REQUIRE(examples.size() == 6);
  const bool classify[] = {false, false, true, true, true, true};
  const bool train[] = {true, true, true, false, false, true};
  const bool spam[] = {true, false, true, false, true, false};
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(examples[i].classify == classify[i]);
    CHECK(examples[i].train == train[i]);
    CHECK(examples[i].spam == spam[i]);
  }
  const auto scored = run_online(examples, model::ModelConfig{});
  REQUIRE(scored.size() == 4);  // the train-only lines write no row
  CHECK(scored[0].origin.find("train/spam/01.eml") != std::string::npos);
  CHECK(scored[1].origin.find("train/ham/01.eml") != std::string::npos);
  CHECK(scored[2].origin.find("train/spam/02.eml") != std::string::npos);
  CHECK(scored[3].origin.find("train/ham/02.eml") != std::string::npos);
  // The two train-only lines taught the model before the first classification.
  CHECK(scored[0].score.probability != 0.5);

  // Read one message at a time (what `eval --index` does): the same rows, the same scores, every message counted.
  ReadCounts read;
  const auto streamed = run_online(index_source(test::fixture_path("eval/index")), model::ModelConfig{}, read);
  REQUIRE(streamed.size() == scored.size());
  for (std::size_t i = 0; i < scored.size(); ++i) {
    CHECK(streamed[i].origin == scored[i].origin);
    CHECK(streamed[i].spam == scored[i].spam);
    CHECK(streamed[i].score.logit == scored[i].score.logit);
  }
  CHECK(read.messages == 6);
  std::size_t total = 0;
  for (const auto& e : examples) total += e.bytes.size();
  CHECK(read.bytes == total);

  // Classify-only lines must not teach: the same index with "Ham" turned into "ham" scores the next line differently.
  auto taught = examples;
  taught[3].train = true;
  CHECK(run_online(taught, model::ModelConfig{})[2].score.logit != scored[2].score.logit);
}

TEST_CASE("cv: folds partition the corpus, every message scored exactly once, deterministic") {
  auto examples = load_examples({test::fixture_path("train/spam")}, {test::fixture_path("train/ham")});
  REQUIRE(examples.size() == 16);
  std::set<std::uint32_t> folds;
  for (const auto& e : examples) {
    const auto f = fold_of(e, 4);
    CHECK(f < 4);
    CHECK(fold_of(e, 4) == f);
    folds.insert(f);
  }
  CHECK(folds.size() > 1);
  const auto scored = run_cv(examples, model::ModelConfig{}, 4);
  REQUIRE(scored.size() == examples.size());
  std::multiset<std::string> seen;
  for (const auto& s : scored) seen.insert(s.origin);
  for (const auto& e : examples) CHECK(seen.count(e.origin) == 1);
  const auto again = run_cv(examples, model::ModelConfig{}, 4);
  for (std::size_t i = 0; i < scored.size(); ++i) CHECK(again[i].score.logit == scored[i].score.logit);
  CHECK_THROWS(run_cv(examples, model::ModelConfig{}, 1));
}

TEST_CASE("costs: every protocol counts what it learned and scored, times both sides and sizes the model") {
  const auto examples = load_index(test::fixture_path("eval/index"));  // 4 learned, 4 scored (2 of them both)
  std::size_t learned_bytes = 0, scored_bytes = 0;
  for (const auto& e : examples) {
    if (e.train) learned_bytes += e.bytes.size();
    if (e.classify) scored_bytes += e.bytes.size();
  }
  Costs online;
  const auto with = run_online(examples, model::ModelConfig{}, &online);
  CHECK(online.learned == 4);
  CHECK(online.scored == 4);
  CHECK(online.learned_bytes == learned_bytes);
  CHECK(online.scored_bytes == scored_bytes);
  CHECK(online.learn_seconds > 0);
  CHECK(online.score_seconds > 0);
  CHECK(online.model_bytes > 0);
  // Timing changes nothing.
  const auto without = run_online(examples, model::ModelConfig{});
  REQUIRE(with.size() == without.size());
  for (std::size_t i = 0; i < with.size(); ++i) CHECK(with[i].score.logit == without[i].score.logit);

  auto corpus = load_examples({test::fixture_path("train/spam")}, {test::fixture_path("train/ham")});
  const std::vector<Example> train(corpus.begin(), corpus.begin() + 10), test(corpus.begin() + 10, corpus.end());
  Costs split;
  run_split(train, test, model::ModelConfig{}, &split);
  CHECK(split.learned == 10);
  CHECK(split.scored == 6);
  CHECK(split.model_bytes > 0);
  Costs cv;
  run_cv(corpus, model::ModelConfig{}, 4, &cv);
  CHECK(cv.learned == 16 * 3);  // each message by the three folds it is not in
  CHECK(cv.scored == 16);
  CHECK(cv.model_bytes > 0);
}

TEST_CASE("online order: the key is <folder>/<file>, however the folder is written") {
  const std::string spam = test::fixture_path("train/spam"), ham = test::fixture_path("train/ham");
  const auto plain = load_examples({spam}, {ham});
  REQUIRE(!plain.empty());
  CHECK(plain.front().key.rfind("spam/", 0) == 0);
  for (const auto& [s, h] : std::vector<std::pair<std::string, std::string>>{
           {spam + "/", ham + "/"}, {spam + "/.", ham + "//"}, {spam + "/../spam/", ham + "/./"}}) {
    CAPTURE(s);
    const auto other = load_examples({s}, {h});
    REQUIRE(other.size() == plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) CHECK(other[i].key == plain[i].key);
  }
}

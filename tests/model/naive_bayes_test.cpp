#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "spamcore/model/logistic.hpp"
#include "spamcore/model/model.hpp"
#include "spamcore/model/naive_bayes.hpp"

using namespace spamcore;
using namespace spamcore::model;

namespace {
FeatureBag bag(std::initializer_list<FeatureId> ids) {
  FeatureBag b;
  b.ids = ids;
  b.finish();
  return b;
}

// Plain Fisher over raw rates, so that hand computations stay short: no prior, no smoothing, no dependence scale.
NbParams plain_fisher() {
  NbParams p;
  p.s = 0;
  p.x = 0.5;
  p.min_dev = 0;
  p.alpha = 0;
  p.chi_scale = 1;
  return p;
}

// 10 spam and 10 ham learned; features 1 and 2 (as asked) seen in 9 spam and 1 ham: f = 0.9 each.
NaiveBayes spammy_features(std::initializer_list<FeatureId> ids) {
  NaiveBayes nb;
  nb.spam_messages = 10;
  nb.ham_messages = 10;
  for (const FeatureId id : ids) nb.table[id] = {9, 1};
  return nb;
}
}  // namespace

TEST_CASE("Robinson f(w) by hand") {
  NbParams p;
  p.s = 0.1;
  p.x = 0.5;
  p.alpha = 0;
  // Seen in 3 of 10 spam and 1 of 30 ham: rates 0.3 and 1/30, p = 0.3 / (0.3 + 0.0333) = 0.9; n = 4.
  const double f = nb_feature_probability({3, 1}, 10, 30, p);
  CHECK(f == doctest::Approx((0.1 * 0.5 + 4 * 0.9) / 4.1));
  CHECK(nb_feature_probability({0, 0}, 10, 30, p) == 0.5);
  CHECK(nb_feature_probability({5, 0}, 10, 30, p) == doctest::Approx((0.05 + 5.0) / 5.1));
}

TEST_CASE("Robinson f(w) by hand, with smoothed class rates") {
  NbParams p;
  p.s = 0.1;
  p.x = 0.5;
  p.alpha = 0.5;
  // Seen in none of 10 spam and 4 of 30 ham: rates 0.5/11 and 4.5/31 (not 0 and 4/30), p = 0.2385; n = 4.
  const double bad = 0.5 / 11, good = 4.5 / 31;
  CHECK(nb_feature_probability({0, 4}, 10, 30, p) == doctest::Approx((0.05 + 4 * bad / (bad + good)) / 4.1));
  // Unsmoothed the same feature is near-certain ham.
  p.alpha = 0;
  CHECK(nb_feature_probability({0, 4}, 10, 30, p) == doctest::Approx(0.05 / 4.1));
  // A class never learned says nothing: every feature is at x (unsmoothed, all of them would be certain ham).
  p.alpha = 0.02;
  CHECK(nb_feature_probability({0, 3}, 0, 3, p) == 0.5);
  CHECK(nb_feature_probability({3, 0}, 3, 0, p) == 0.5);
}

TEST_CASE("chi-square survival in log space matches the closed form and stays finite in the tails") {
  // Q(x2 | 2k) for k = 1 is e^{-x2/2}; for k = 2 it is e^{-m}(1 + m).
  CHECK(std::exp(log_chi2_q(3.0, 1)) == doctest::Approx(std::exp(-1.5)));
  CHECK(std::exp(log_chi2_q(3.0, 2)) == doctest::Approx(std::exp(-1.5) * 2.5));
  CHECK(std::exp(log_chi2_p(3.0, 2)) == doctest::Approx(1 - std::exp(-1.5) * 2.5));
  CHECK(std::isfinite(log_chi2_q(5000.0, 10)));
  CHECK(log_chi2_q(5000.0, 10) < -2000);
  CHECK(std::isfinite(log_chi2_p(1e-3, 50)));
}

TEST_CASE("Fisher combining by hand: one feature") {
  NaiveBayes nb = spammy_features({1});
  NbParams p = plain_fisher();
  // f = 0.9; H: Q(-2 ln 0.9 | 2) = 0.9; S: Q(-2 ln 0.1 | 2) = 0.1; I = (1 + 0.9 - 0.1) / 2 = 0.9.
  const Score s = nb.score(bag({1}), p);
  CHECK(s.probability == doctest::Approx(0.9));
  CHECK(s.logit == doctest::Approx(std::log(0.9 / 0.1)));
  // Features near 0.5 are ignored with min_dev.
  nb.table[2] = {5, 5};
  p.min_dev = 0.1;
  CHECK(nb.score(bag({1, 2}), p).probability == doctest::Approx(0.9));
  CHECK(nb.score(bag({2}), p).probability == 0.5);
}

TEST_CASE("Fisher combining with a dependence scale: c copies of a feature count as one") {
  const NaiveBayes nb = spammy_features({1, 2});
  NbParams p = plain_fisher();
  // Independent: H = Q(-4 ln 0.9 | 4) = e^-m (1 + m), m = -2 ln 0.9; S likewise with 0.1; I = (1 + H - S) / 2.
  const double mh = -2 * std::log(0.9), ms = -2 * std::log(0.1);
  const double h = std::exp(-mh) * (1 + mh), s = std::exp(-ms) * (1 + ms);
  CHECK(nb.score(bag({1, 2}), p).probability == doctest::Approx((1 + h - s) / 2));
  // Scaled by 2: the statistic halves and so do the degrees of freedom -- the two features are one piece of evidence.
  p.chi_scale = 2;
  CHECK(nb.score(bag({1, 2}), p).probability == doctest::Approx(0.9));
  // Fewer features than the scale still make one degree of freedom.
  p.chi_scale = 10;
  CHECK(nb.score(bag({1}), p).probability == doctest::Approx((1 + std::pow(0.9, 0.1) - std::pow(0.1, 0.1)) / 2));
}

TEST_CASE("Fisher combining with a dependence scale moves smoothly: one more spammy feature never lowers the score, "
          "one more hammy feature never raises it") {
  NaiveBayes nb;
  nb.spam_messages = 100;
  nb.ham_messages = 100;
  for (FeatureId id = 1; id <= 60; ++id) nb.table[id] = {99, 1};     // f = 0.99
  for (FeatureId id = 101; id <= 140; ++id) nb.table[id] = {7, 93};  // f = 0.07
  NbParams p = plain_fisher();
  p.chi_scale = 10;
  FeatureBag b;
  double last = 0;
  for (FeatureId id = 1; id <= 60; ++id) {
    b.ids.push_back(id);
    const double now = nb.score(b, p).logit;
    CHECK_MESSAGE(now >= last - 1e-9, id << " spammy features");
    last = now;
  }
  for (FeatureId id = 101; id <= 140; ++id) {
    b.ids.push_back(id);
    const double now = nb.score(b, p).logit;
    CHECK_MESSAGE(now <= last + 1e-9, (id - 100) << " hammy features after 60 spammy");
    last = now;
  }
}

TEST_CASE("Fisher combining by source: a word pair weighs pair_weight, a header field votes once each way") {
  NaiveBayes nb;
  nb.spam_messages = 100;
  nb.ham_messages = 100;
  nb.table[1] = {90, 10};  // f = 0.9
  nb.table[2] = {90, 10};
  nb.table[3] = {90, 10};
  nb.table[4] = {95, 5};   // f = 0.95
  nb.table[5] = {20, 80};  // f = 0.2
  NbParams p = plain_fisher();
  p.pair_weight = 0.5;
  p.field_vote = true;
  auto tagged = [](std::initializer_list<FeatureId> ids, std::vector<FeatureSource> sources) {
    FeatureBag b = bag(ids);
    b.sources = std::move(sources);
    return b;
  };
  // Two pairs at half weight: one feature's evidence (sum ln f = ln 0.9, one degree of freedom), I = 0.9.
  CHECK(nb.score(tagged({1, 2}, {{1, kPairSource}, {2, kPairSource}}), p).probability == doctest::Approx(0.9));
  std::vector<Evidence> evidence;
  nb.score(tagged({1, 3}, {{1, kPairSource}}), p, &evidence);
  REQUIRE(evidence.size() == 2);
  CHECK(evidence[0].weight == doctest::Approx(0.5 * std::log(9.0)));  // the pair: half its log-odds
  CHECK(evidence[1].weight == doctest::Approx(std::log(9.0)));
  // Field 7 holds 1, 4 (spammy) and 5 (hammy); field 8 holds 3. Only 4 and 5 speak for field 7.
  const FeatureBag fields = tagged({1, 3, 4, 5}, {{1, 7}, {3, 8}, {4, 7}, {5, 7}});
  CHECK(nb.score(fields, p).logit == doctest::Approx(nb.score(bag({3, 4, 5}), p).logit));
  // Equally strong clues of one field: the smaller id stands for both.
  evidence.clear();
  CHECK(nb.score(tagged({2, 1}, {{1, 7}, {2, 7}}), p, &evidence).logit == doctest::Approx(nb.score(bag({1}), p).logit));
  REQUIRE(evidence.size() == 1);
  CHECK(evidence[0].id == 1);
  // Switched off, or a bag without sources (a model from before them): every clue once.
  NbParams off = p;
  off.pair_weight = 1;
  off.field_vote = false;
  CHECK(nb.score(fields, off).logit == nb.score(bag({1, 3, 4, 5}), p).logit);
  CHECK(nb.score(tagged({1, 2}, {{1, kPairSource}, {2, kPairSource}}), off).logit == nb.score(bag({1, 2}), p).logit);
}

TEST_CASE("NB learn and unlearn are exact inverses") {
  NaiveBayes nb;
  nb.learn(bag({1, 2, 3}), true);
  nb.learn(bag({2, 3, 4}), false);
  CHECK(nb.counts(2).spam == 1);
  CHECK(nb.counts(2).ham == 1);
  nb.learn(bag({2, 3, 4}), false, -1);
  CHECK(nb.counts(4).ham == 0);
  CHECK(nb.table.size() == 3);
  CHECK(nb.prune(2) == 3);
}

TEST_CASE("logistic regression update by hand") {
  LrParams p;
  p.bits = 8;
  p.rate = 0.5;
  p.regime = TrainRegime::every;
  p.normalize = false;
  Logistic lr(p);
  const FeatureBag b = bag({1ull << 60, 2ull << 60});
  CHECK(lr.logit(b) == 0.0);
  // p = 0.5, y = 1: each weight and the bias move by 0.5 * 0.5 = 0.25.
  CHECK(lr.learn(b, true));
  CHECK(lr.bias == doctest::Approx(0.25));
  CHECK(lr.weights()[bucket(1ull << 60, 8)] == doctest::Approx(0.25));
  CHECK(lr.logit(b) == doctest::Approx(0.75));
  // Thick threshold: a confident right answer is not learned.
  p.regime = TrainRegime::thick_threshold;
  p.margin = 0.2;
  Logistic thick(p);
  thick.bias = 5;
  CHECK_FALSE(thick.learn(b, true));
  CHECK(thick.learn(b, false));
  p.regime = TrainRegime::on_error;
  Logistic onerr(p);
  onerr.bias = 1;
  CHECK_FALSE(onerr.learn(b, true));
  CHECK(onerr.learn(b, false));
}

TEST_CASE("combo averages squashed NB log-odds with logistic regression's, bounded unless the model says not") {
  ModelConfig c;
  c.nb_weight = 0.5;
  Score nb, lr;
  nb.logit = 1000;  // saturated NB: squashed to +10
  lr.logit = -2;
  c.warmup = 0;
  c.lr_squash = 0;  // as models written before the bound: logistic regression's log-odds as they are
  const Score s = combine(c, &nb, &lr, 1, 1);
  CHECK(s.logit == doctest::Approx(0.5 * 10 * std::tanh(50.0) - 1));
  CHECK(combine(c, &nb, nullptr, 1, 1).logit == 1000);
  c.lr_squash = 5;  // the default: 5 tanh(z / 5)
  CHECK(combine(c, &nb, &lr, 1, 1).logit == doctest::Approx(0.5 * 10 * std::tanh(50.0) + 0.5 * 5 * std::tanh(-0.4)));
  lr.logit = -400;  // a logistic part far past naive Bayes no longer outvotes it
  CHECK(combine(c, &nb, &lr, 1, 1).logit == doctest::Approx(0.5 * 10 - 0.5 * 5));
  CHECK(combine(c, &nb, &lr, 1, 1).lr_part == doctest::Approx(-2.5));
}

TEST_CASE("warmup: log-odds scaled by m/(m+warmup), m the fewer of spam and ham learned") {
  ModelConfig c;
  c.algorithm = Algorithm::nb;
  c.warmup = 10;
  Score nb;
  nb.logit = 4;
  Score s = combine(c, &nb, nullptr, 500, 0);  // no ham learned yet: nothing is known
  CHECK(s.logit == 0);
  CHECK(s.probability == 0.5);
  CHECK(s.verdict == Verdict::unsure);
  s = combine(c, &nb, nullptr, 30, 10);
  CHECK(s.logit == doctest::Approx(2.0));
  CHECK(s.probability == doctest::Approx(1.0 / (1.0 + std::exp(-2.0))));
  CHECK(combine(c, &nb, nullptr, 100000, 90).logit == doctest::Approx(3.6));
  c.warmup = 0;
  CHECK(combine(c, &nb, nullptr, 0, 0).logit == 4);
}

TEST_CASE("warmup scales --explain evidence like the score; combo explains with both parts, each on its own") {
  ModelConfig c;
  c.warmup = 10;
  Score s;
  attach_evidence(s, c, {{1, 8.0}, {4, -6.0}, {5, 0.0}}, {{2, 1.0}, {3, -4.0}}, 30, 10);  // factor 10 / 20
  REQUIRE(s.evidence.size() == 2);
  CHECK(s.evidence[0].id == 3);  // strongest first
  CHECK(s.evidence[0].weight == doctest::Approx(-2.0));
  CHECK(s.evidence[1].weight == doctest::Approx(0.5));
  REQUIRE(s.nb_evidence.size() == 2);  // the clue of weight 0 explains nothing
  CHECK(s.nb_evidence[0].id == 1);
  CHECK(s.nb_evidence[0].weight == doctest::Approx(4.0));
  CHECK(s.nb_evidence[1].weight == doctest::Approx(-3.0));
  c.algorithm = Algorithm::nb;
  c.warmup = 0;
  s = Score{};
  attach_evidence(s, c, {{1, 8.0}}, {}, 30, 10);
  REQUIRE(s.evidence.size() == 1);
  CHECK(s.evidence[0].weight == 8.0);
  CHECK(s.nb_evidence.empty());  // nb's clues are `evidence` itself
  // No ham learned yet with warmup on: nothing is evidence, not a list of "ham" features of weight 0.
  c.warmup = 10;
  attach_evidence(s, c, {{1, 8.0}, {2, -3.0}}, {}, 5, 0);
  CHECK(s.evidence.empty());
}

TEST_CASE("prune_to drops the rarest features, whole counts at a time, down to the target") {
  NaiveBayes nb;
  // Ids 1..100 seen once, 101..150 twice, 151..160 five times.
  for (FeatureId id = 1; id <= 160; ++id) {
    const int times = id <= 100 ? 1 : id <= 150 ? 2 : 5;
    for (int t = 0; t < times; ++t) nb.learn(bag({id}), t % 2 == 0);
  }
  REQUIRE(nb.table.size() == 160);
  CHECK(nb.prune_to(200) == 0);
  CHECK(nb.prune_to(100) == 100);  // the 100 singletons go; the 60 left are under the target
  CHECK(nb.table.size() == 60);
  CHECK(nb.counts(50).spam + nb.counts(50).ham == 0);
  CHECK(nb.counts(120).spam + nb.counts(120).ham == 2);
  CHECK(nb.prune_to(20) == 50);
  CHECK(nb.table.size() == 10);
  CHECK(nb.counts(155).spam == 3);
  CHECK(nb.counts(155).ham == 2);
}

TEST_CASE("the model caps naive Bayes features: past max_features it prunes to 3/4 of it") {
  ModelConfig c;
  c.algorithm = Algorithm::nb;
  c.nb.max_features = 1000;
  Model m(c);
  for (FeatureId msg = 0; msg < 100; ++msg) {
    FeatureBag b;
    for (FeatureId k = 0; k < 50; ++k) b.ids.push_back(msg * 1000 + k + 1);  // 50 new features per message
    b.ids.push_back(7'000'000);                                              // and one shared by all
    b.finish();
    m.learn(b, msg % 2 == 0);
    CHECK(m.nb.table.size() <= 1000);
  }
  CHECK(m.nb.counts(7'000'000).spam == 50);
  CHECK(m.nb.counts(7'000'000).ham == 50);
}

TEST_CASE("thresholds: three-way verdicts, and a ham cutoff above the spam cutoff is refused") {
  Thresholds t;
  CHECK(t.verdict(0.9) == Verdict::spam);
  CHECK(t.verdict(t.spam_cutoff) == Verdict::spam);
  CHECK(t.verdict(0.5) == Verdict::unsure);
  CHECK(t.verdict(t.ham_cutoff) == Verdict::unsure);
  CHECK(t.verdict(0.1) == Verdict::ham);
  ModelConfig c;
  c.thresholds = {0.7, 0.6};
  CHECK_THROWS(Model{c});
  c.thresholds = {0.5, 0.5};
  Model two_way(c);
  CHECK(two_way.config().thresholds.verdict(0.5) == Verdict::spam);
  CHECK(two_way.config().thresholds.verdict(0.4999) == Verdict::ham);
}

TEST_CASE("NaiveBayes::learn: ids crafted to share one home are learned only as far as kMaxLearnDisplacement") {
  // A spammer can search out words whose (public) ids share their top bits. Learned without a bound, 110,000 of them
  // took 11 s, and every later lookup near them walked their whole run.
  NaiveBayes nb;
  nb.table.reserve(100000);
  std::mt19937_64 rng(41);
  FeatureBag ordinary, crafted;
  for (int i = 0; i < 20000; ++i) ordinary.ids.push_back(rng() | 1);
  // The top 20 bits are the same: one home.
  for (int i = 0; i < 20000; ++i) crafted.ids.push_back((FeatureId{0x2d2d} << 50) | (rng() >> 20 | 1));
  ordinary.finish();
  crafted.finish();
  nb.learn(ordinary, false);
  nb.learn(crafted, true);
  nb.learn(crafted, true);
  CHECK(nb.table.max_displacement() <= kMaxLearnDisplacement);
  std::size_t kept = 0;
  for (const FeatureId id : crafted.ids)
    if (const NbCounts* c = nb.table.find(id)) {
      CHECK(c->spam == 2);  // a crafted id kept the first time is counted again, never inserted twice
      ++kept;
    }
  CHECK(kept > 0);
  CHECK(kept <= kMaxLearnDisplacement + 1);
  for (const FeatureId id : ordinary.ids) CHECK(nb.counts(id).ham == 1);  // ordinary ids are all learned
}

TEST_CASE("NaiveBayes::learn: a message with more features than the table holds learns every one of them") {
  // A bag's ids are sorted: inserted into a table smaller than the message, their homes advance more slowly than they
  // arrive, and they crowd into one run (quadratic; past kMaxLearnDisplacement, not learned). A 1 MB message into a
  // small model learned 9,104 of its 325,704 features before the table was sized for the message first.
  NaiveBayes nb;
  std::mt19937_64 rng(53);
  FeatureBag small, large;
  for (int i = 0; i < 100; ++i) small.ids.push_back(rng() | 1);
  for (int i = 0; i < 200000; ++i) large.ids.push_back(rng() | 1);
  small.finish();
  large.finish();
  nb.learn(small, false);
  nb.learn(large, true);
  CHECK(nb.table.size() == small.size() + large.size());
  CHECK(nb.table.max_displacement() < 200);
}

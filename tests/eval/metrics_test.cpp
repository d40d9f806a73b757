#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "spamcore/base/error.hpp"
#include "spamcore/eval/metrics.hpp"
#include "test_util.hpp"

using namespace spamcore;
using namespace spamcore::eval;

TEST_CASE("metrics match every shared test vector") {
  const auto doc = nlohmann::json::parse(test::fixture("metric-vectors.json")  /* copy of shared/data/metric-vectors.json */);
  REQUIRE(doc["cases"].size() > 0);
  for (const auto& c : doc["cases"]) {
    CAPTURE(c["name"].get<std::string>());
    std::vector<Judged> judged;
    for (std::size_t i = 0; i < c["labels"].size(); ++i)
      judged.push_back({c["labels"][i] == "spam", c["scores"][i].get<double>()});
    const Metrics m = compute_metrics(judged, c["threshold"].get<double>());
    CHECK(m.one_minus_roca_pct == doctest::Approx(c["one_minus_roca_pct"].get<double>()).epsilon(1e-9));
    CHECK(m.hm_pct == doctest::Approx(c["hm_pct"].get<double>()).epsilon(1e-9));
    CHECK(m.sm_pct == doctest::Approx(c["sm_pct"].get<double>()).epsilon(1e-9));
    CHECK(m.lam_pct == doctest::Approx(c["lam_pct"].get<double>()).epsilon(1e-9));
    if (c.contains("sm_at_hm_0_1_pct"))
      CHECK(m.sm_at_hm_0_1_pct == doctest::Approx(c["sm_at_hm_0_1_pct"].get<double>()).epsilon(1e-9));
  }
}

TEST_CASE("AUC equals a brute-force pairwise count on random data with ties") {
  std::mt19937 rng(7);
  std::vector<Judged> v;
  for (int i = 0; i < 400; ++i) v.push_back({rng() % 3 == 0, static_cast<double>(rng() % 50)});
  double won = 0, pairs = 0;
  for (const auto& a : v)
    for (const auto& b : v)
      if (a.spam && !b.spam) {
        pairs += 1;
        won += a.score > b.score ? 1 : a.score == b.score ? 0.5 : 0;
      }
  CHECK(one_minus_roca_pct(v) == doctest::Approx(100.0 * (1 - won / pairs)).epsilon(1e-12));
}

TEST_CASE("sm% at hm% bound, and an empty class is a clear error") {
  // 1000 ham at scores 0..999, one ham at 2000; spam at 500..1499.
  std::vector<Judged> v;
  for (int i = 0; i < 1000; ++i) v.push_back({false, double(i)});
  v.push_back({false, 2000});
  for (int i = 500; i < 1500; ++i) v.push_back({true, double(i)});
  // hm <= 0.1% of 1001 ham allows 1 error: the ham at 2000. Best threshold 1000: spam below it (500..999) missed.
  CHECK(sm_at_hm_pct(v, 0.1) == doctest::Approx(50.0));
  CHECK_THROWS_AS(compute_metrics({{true, 1.0}}, 0.5), Error);
}

TEST_CASE("(1-ROCA)% 95% interval: contains the estimate, inside (0, 100), narrower with more data") {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  auto sample = [&](int n) {
    std::vector<Judged> v;
    for (int i = 0; i < n; ++i) {
      const bool spam = i % 3 == 0;
      v.push_back({spam, (spam ? 2.5 : 0.0) + noise(rng)});
    }
    return v;
  };
  const auto small = sample(300), large = sample(30000);
  for (const auto* v : {&small, &large}) {
    const auto [lo, hi] = one_minus_roca_ci95(*v);
    const double est = one_minus_roca_pct(*v);
    CHECK(lo > 0);
    CHECK(lo < est);
    CHECK(est < hi);
    CHECK(hi < 100);
  }
  CHECK(one_minus_roca_ci95(large).second - one_minus_roca_ci95(large).first <
        one_minus_roca_ci95(small).second - one_minus_roca_ci95(small).first);
  // A perfect ranking gets an interval from the 0 it shows to a finite bound above it; an inverted one, from a bound
  // below 100 up to 100.
  const auto [lo, hi] = one_minus_roca_ci95({{true, 2}, {true, 3}, {false, 0}, {false, 1}});
  CHECK(lo == 0);
  CHECK(hi > 0);
  CHECK(hi < 100);
  const auto [lo_inv, hi_inv] = one_minus_roca_ci95({{false, 2}, {false, 3}, {true, 0}, {true, 1}});
  CHECK(lo_inv > 0);
  CHECK(lo_inv < 100);
  CHECK(hi_inv == 100);
  // The more messages agree, the narrower: 1,000 spam all above 1,000 ham bound 1-A far below 1%, not at 100%.
  std::vector<Judged> many;
  for (int i = 0; i < 1000; ++i) {
    many.push_back({true, 1000.0 + i});
    many.push_back({false, double(i)});
  }
  const auto [lo_many, hi_many] = one_minus_roca_ci95(many);
  CHECK(lo_many == 0);
  CHECK(hi_many > 0);
  CHECK(hi_many < 0.1);
  CHECK(hi_many < hi);
}

TEST_CASE("ROC points run from nothing flagged to everything flagged, monotone, ties as one point") {
  const std::vector<Judged> v = {{true, 3}, {false, 3}, {true, 2}, {false, 1}, {false, 0}};
  const auto roc = roc_points(v);
  REQUIRE(roc.size() == 5);  // start + 4 distinct scores
  CHECK(roc.front().hm_pct == 0);
  CHECK(roc.front().sm_pct == 100);
  CHECK(roc[1].hm_pct == doctest::Approx(100.0 / 3));  // the tie at 3 flags one ham and one spam at once
  CHECK(roc[1].sm_pct == doctest::Approx(50.0));
  CHECK(roc.back().hm_pct == 100);
  CHECK(roc.back().sm_pct == 0);
  for (std::size_t i = 1; i < roc.size(); ++i) {
    CHECK(roc[i].hm_pct >= roc[i - 1].hm_pct);
    CHECK(roc[i].sm_pct <= roc[i - 1].sm_pct);
  }
}

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

#include "spamcore/base/feature.hpp"

using namespace spamcore;

TEST_CASE("FeatureBag::finish sorts and drops duplicates, at every size and for id 0") {
  std::mt19937_64 rng(11);
  for (std::size_t n : {0u, 1u, 2u, 63u, 64u, 65u, 1000u, 20000u}) {
    FeatureBag bag;
    for (std::size_t i = 0; i < n; ++i) {
      FeatureId id = rng();
      if (i % 7 == 0) id &= 0xffff;       // shared high digits: radix passes that can be skipped
      if (i % 11 == 0) id = 0;            // the id that marks free slots in the duplicate set
      bag.ids.push_back(id);
      if (i % 3 == 0) bag.ids.push_back(id);  // duplicates, adjacent and not
      if (i > 5 && i % 5 == 0) bag.ids.push_back(bag.ids[i / 2]);
    }
    std::vector<FeatureId> expect = bag.ids;
    std::sort(expect.begin(), expect.end());
    expect.erase(std::unique(expect.begin(), expect.end()), expect.end());
    bag.finish();
    CHECK(bag.ids == expect);
  }
}

TEST_CASE("FeatureBag::finish: ids that all share their top bits (a hostile message) still sort, in n log n") {
  std::mt19937_64 rng(12);
  FeatureBag bag;
  for (int i = 0; i < 200000; ++i) bag.ids.push_back(0xabcd000000000000ull | (rng() >> 16));
  std::vector<FeatureId> expect = bag.ids;
  std::sort(expect.begin(), expect.end());
  expect.erase(std::unique(expect.begin(), expect.end()), expect.end());
  bag.finish();  // quadratic would be 2e10 moves: minutes, not milliseconds
  CHECK(bag.ids == expect);
}

TEST_CASE("FeatureBag::finish keeps names aligned with ids") {
  FeatureBag bag;
  bag.ids = {5, 3, 5, 1};
  bag.names = {"five", "three", "five again", "one"};
  bag.finish();
  CHECK(bag.ids == std::vector<FeatureId>{1, 3, 5});
  CHECK(bag.names == std::vector<std::string>{"one", "three", "five"});
}

TEST_CASE("FeatureBag::finish sorts the sources by id, one per id (its smallest source), at every size") {
  std::mt19937_64 rng(5);
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 1000u, 20000u}) {
    for (const bool shared_top_bits : {false, true}) {  // true: the radix passes cannot order them, the fallback must
      FeatureBag bag;
      std::map<FeatureId, std::uint32_t> expect;
      for (std::size_t i = 0; i < n; ++i) {
        FeatureId id = rng() % (n + 1) * 0x9e3779b97f4a7c15ull;  // repeats
        if (shared_top_bits) id &= 0xffffffff;
        const auto source = static_cast<std::uint32_t>(rng() % 5 + 1);
        bag.sources.push_back({id, source});
        const auto [it, inserted] = expect.emplace(id, source);
        if (!inserted) it->second = std::min(it->second, source);
      }
      bag.finish();
      std::vector<FeatureSource> want;
      for (const auto& [id, source] : expect) want.push_back({id, source});
      CHECK_MESSAGE(bag.sources == want, n << (shared_top_bits ? " shared top bits" : ""));
    }
  }
}

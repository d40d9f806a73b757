#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

#include "spamcore/base/feature.hpp"

using namespace spamcore;

TEST_CASE("FeatureBag::finish sorts and drops duplicates, at every size and for id 0") {
  std::mt19937_64 rng(11);
  // 100000: over 65536 ids, where duplicates are sorted along instead of dropped first.
  for (std::size_t n : {0u, 1u, 2u, 63u, 64u, 65u, 1000u, 20000u, 100000u}) {
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

TEST_CASE("FeatureBag::finish: ids crafted to share low bits (any fixed position in the duplicate set) still finish") {
  // (id ^ id >> 29) has its low 20 bits zero for each of these: with that as the set's position they all fell in one
  // run, and 65,536 of them took 0.6 s (330,000: 30 s). The position is now secret to the process. 65,000 ids with
  // their duplicates: under the size from which duplicates are sorted along instead.
  FeatureBag bag;
  for (std::uint64_t i = 1; i <= 52000; ++i) {
    const FeatureId id = (i << 32) | ((i << 3) & 0xfffff);
    bag.ids.push_back(id);
    if (i % 4 == 0) bag.ids.push_back(id);
  }
  std::vector<FeatureId> expect = bag.ids;
  std::sort(expect.begin(), expect.end());
  expect.erase(std::unique(expect.begin(), expect.end()), expect.end());
  bag.finish();
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

TEST_CASE("positions_in finds each wanted id's place in a sorted list, repeats and misses included") {
  std::mt19937_64 rng(21);
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 1000u, 70000u}) {
    for (const bool shared_top_bits : {false, true}) {
      std::vector<FeatureId> sorted;
      for (std::size_t i = 0; i < n; ++i) sorted.push_back(shared_top_bits ? rng() & 0xffffffff : rng());
      if (n > 2) sorted[1] = 0;  // id 0 is a feature like any other here
      sort_unique(sorted);
      std::vector<FeatureId> wanted;
      for (std::size_t i = 0; i < n + 10; ++i) {
        if (i % 3 == 0 || sorted.empty()) wanted.push_back(shared_top_bits ? rng() & 0xffffffff : rng());  // a miss
        else wanted.push_back(sorted[rng() % sorted.size()]);  // a hit, often repeated
      }
      const std::vector<std::uint32_t> at = positions_in(sorted, wanted);
      REQUIRE(at.size() == wanted.size());
      std::size_t hits = 0;
      for (std::size_t i = 0; i < wanted.size(); ++i) {
        const auto it = std::lower_bound(sorted.begin(), sorted.end(), wanted[i]);
        const bool found = it != sorted.end() && *it == wanted[i];
        hits += found;
        CHECK_MESSAGE(at[i] == (found ? static_cast<std::uint32_t>(it - sorted.begin()) : kNotFound), n);
      }
      if (n >= 64) CHECK(hits > wanted.size() / 2);
    }
  }
}

#include <doctest/doctest.h>

#include <random>
#include <unordered_map>

#include "spamcore/model/count_table.hpp"

using namespace spamcore;
using namespace spamcore::model;

TEST_CASE("CountTable behaves like a map under random inserts and erases, including ids 0 and ~0") {
  CountTable t;
  std::unordered_map<FeatureId, std::uint32_t> ref;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 200000; ++i) {
    // A small key space forces long probe runs, collisions and erases in the middle of runs.
    FeatureId id = rng() % 5000;
    if (id == 1) id = ~FeatureId{0};
    if (rng() % 3 == 0) {
      t.erase(id);
      ref.erase(id);
    } else {
      t[id].spam += 1;
      ref[id] += 1;
    }
  }
  CHECK(t.size() == ref.size());
  for (const auto& [id, n] : ref) {
    const NbCounts* c = t.find(id);
    REQUIRE(c);
    CHECK(c->spam == n);
  }
  std::size_t seen = 0;
  for (const auto& [id, c] : t) {
    CHECK(ref.at(id) == c.spam);
    ++seen;
  }
  CHECK(seen == ref.size());
  CHECK(t.find(123456789) == nullptr);
}

namespace {

// Every entry once, in strictly increasing id order, with its counts.
void check_id_order(const CountTable& t, const std::unordered_map<FeatureId, std::uint32_t>& ref) {
  std::size_t seen = 0;
  bool increasing = true;
  FeatureId last = 0;
  t.for_each_in_id_order([&](FeatureId id, const NbCounts& c) {
    if (seen > 0 && id <= last) increasing = false;
    last = id;
    ++seen;
    CHECK(ref.at(id) == c.ham);
  });
  CHECK(increasing);
  CHECK(seen == ref.size());
}

}  // namespace

TEST_CASE("CountTable::for_each_in_id_order: empty tables, id 0 alone, uniform ids, after pruning") {
  CountTable t;
  std::unordered_map<FeatureId, std::uint32_t> ref;
  check_id_order(t, ref);  // no slots at all
  t[0].ham = 5;
  ref[0] = 5;
  check_id_order(t, ref);  // only id 0, kept apart from the slots
  std::mt19937_64 rng(9);
  for (int i = 0; i < 20000; ++i) {
    const FeatureId id = rng();
    t[id].ham += static_cast<std::uint32_t>(i % 3 + 1);
    ref[id] += static_cast<std::uint32_t>(i % 3 + 1);
  }
  check_id_order(t, ref);  // many short runs spread over the table
  t.retain_if([](const NbCounts& c) { return c.ham != 2; });
  std::erase_if(ref, [](const auto& e) { return e.second == 2; });
  check_id_order(t, ref);
}

TEST_CASE("CountTable::for_each_in_id_order: every entry once, ids increasing, also across the wrap-around") {
  for (const std::uint64_t seed : {1, 2, 3}) {
    CountTable t;
    std::unordered_map<FeatureId, std::uint32_t> ref;
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 30000; ++i) {
      // Ids crowded at the top of the range run past the table's end into its first slots; small ids share those
      // slots; erases shift entries back across the end; uniform ids make runs everywhere else.
      const std::uint64_t r = rng();
      FeatureId id = r % 4 == 0 ? r % 64 : r % 4 == 1 ? rng() : ~FeatureId{0} - r % 3000;
      if (rng() % 4 == 0) {
        t.erase(id);
        ref.erase(id);
      } else {
        t[id].ham += 1;
        ref[id] += 1;
      }
    }
    check_id_order(t, ref);
  }
}

#include <doctest/doctest.h>

#include <random>
#include <unordered_map>
#include <vector>

#include "spamcore/model/count_table.hpp"

using namespace spamcore;
using namespace spamcore::model;

namespace {

// The table holds exactly the reference's ids, each with its count (in `spam`).
void check_holds(const CountTable& t, const std::unordered_map<FeatureId, std::uint32_t>& ref) {
  CHECK(t.size() == ref.size());
  for (const auto& [id, n] : ref) {
    const NbCounts* c = t.find(id);
    REQUIRE(c);
    CHECK(c->spam == n);
  }
}

}  // namespace

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
  check_holds(t, ref);
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

TEST_CASE("CountTable::find_or_insert_near: ids crafted to share a home are refused past the limit, others are not") {
  CountTable t;
  t.reserve(1000);  // 2048 slots: the home is the top 11 bits
  std::mt19937_64 rng(17);
  std::size_t accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    const FeatureId crafted = (FeatureId{0x5a5} << 53) | (rng() >> 11);  // one home for all
    if (NbCounts* c = t.find_or_insert_near(crafted, 16)) {
      c->spam = 1;
      ++accepted;
    }
  }
  CHECK(accepted == 17);  // the home slot and the 16 after it
  CHECK(t.max_displacement() == 16);
  // An ordinary id whose home lies in that run still finds a place within the limit, as far as the run allows.
  std::size_t ordinary_refused = 0;
  for (int i = 0; i < 500; ++i) ordinary_refused += t.find_or_insert_near(rng() | 1, 16) == nullptr;
  CHECK(ordinary_refused <= 2);
  CHECK(t.max_displacement() <= 16);
  // A known id is found again, never inserted twice.
  const FeatureId again = (FeatureId{0x5a5} << 53) | 12345;
  NbCounts* first = t.find_or_insert_near(again, 64);
  REQUIRE(first);
  first->ham = 9;
  CHECK(t.find_or_insert_near(again, 0) == first);
  CHECK(t.find(again)->ham == 9);
}

TEST_CASE("CountTable with bounded lookups behaves like a map: crafted runs, refusals, erases mid-run") {
  CountTable t;
  std::unordered_map<FeatureId, std::uint32_t> ref;
  std::mt19937_64 rng(23);
  std::vector<FeatureId> pool;
  for (int i = 0; i < 3000; ++i) pool.push_back(rng() | 1);
  for (int i = 0; i < 3000; ++i) pool.push_back((FeatureId{0xabc} << 52) | (rng() >> 12 | 1));  // one home or few
  for (int i = 0; i < 1000; ++i) pool.push_back(~FeatureId{0} - (rng() >> 12));  // homes at the end: they wrap
  // Homes one after the other (in a table of up to 2^15 slots): one long run, each entry near its own home.
  for (std::uint64_t i = 0; i < 3000; ++i) pool.push_back((FeatureId{6} << 61) + (i << 49) + 1);
  for (int i = 0; i < 300000; ++i) {
    const FeatureId id = pool[rng() % pool.size()];
    const int op = static_cast<int>(rng() % 10);
    if (op < 3) {
      t.erase(id);
      ref.erase(id);
    } else if (op < 9) {
      if (NbCounts* c = t.find_or_insert_near(id, 8)) {
        c->spam += 1;
        ref[id] += 1;
      } else {
        CHECK(ref.count(id) == 0);  // refused only when absent
      }
    } else {
      t[id].spam += 1;  // unbounded, as a load or an import inserts
      ref[id] += 1;
    }
  }
  check_holds(t, ref);
  for (const FeatureId id : pool)
    if (!ref.count(id)) CHECK(t.find(id) == nullptr);
}

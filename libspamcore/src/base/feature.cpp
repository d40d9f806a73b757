#include "spamcore/base/feature.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <numeric>
#include <random>
#include <utility>

#include "spamcore/base/hash.hpp"

namespace spamcore {
namespace {

// Sorting every message's ids was the largest single cost of training (a comparison sort of a few thousand
// random 64-bit keys mispredicts most branches). Duplicates are dropped first with a small open-addressing set
// (a typical message emits each id two or three times), then the distinct ids are radix-sorted on their top bits.

// Where an id goes in the duplicate set: the top bits of the id times a secret odd number of this process
// (multiply-shift, a universal family: without the secret, no set of ids collides more than chance would have it).
// The ids are a public hash of the words, so a spammer can search out words whose ids share any bits he likes; with
// fixed bits as the position, every id lands in one run and the set fills in quadratic time (330,000 such ids: 30 s,
// where 3 ms is normal). One multiply: a full mix per id cost 4% of tokenizing.
std::uint64_t secret_multiplier() {
  static const std::uint64_t secret = [] {
    std::uint64_t s = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    try {
      std::random_device rd;
      s ^= (std::uint64_t{rd()} << 32) ^ rd();
    } catch (...) {
      // No entropy device: the clock (and the address below) still vary from one process to the next.
    }
    return mix64(s ^ reinterpret_cast<std::uintptr_t>(&s)) | 1;
  }();
  return secret;
}

void drop_duplicates(std::vector<FeatureId>& ids) {
  int bits = 6;
  while ((std::size_t{1} << bits) < ids.size() * 2) ++bits;
  const std::size_t cap = std::size_t{1} << bits, mask = cap - 1;
  thread_local std::vector<FeatureId> set;  // 0 marks a free slot; id 0 itself is tracked apart
  set.assign(cap, 0);
  const std::uint64_t a = secret_multiplier();
  bool seen_zero = false;
  std::size_t out = 0;
  for (const FeatureId id : ids) {
    if (id == 0) {
      if (!std::exchange(seen_zero, true)) ids[out++] = id;
      continue;
    }
    std::size_t h = static_cast<std::size_t>((id * a) >> (64 - bits));
    while (set[h] != 0 && set[h] != id) h = (h + 1) & mask;
    if (set[h] == id) continue;
    set[h] = id;
    ids[out++] = id;
  }
  ids.resize(out);
}

// Orders `items` by key(item), a FeatureId.
template <typename T, typename Key>
void radix_sort(std::vector<T>& items, Key key) {
  const std::size_t n = items.size();
  auto less = [&](const T& a, const T& b) { return key(a) < key(b); };
  if (n < 64) {
    std::sort(items.begin(), items.end(), less);
    return;
  }
  // Two counting passes order the keys by their top 16 bits (LSD: bits 48-55, then 56-63). Hashed ids rarely share
  // those, so an insertion sort finishes the order in about one pass -- a quarter of the work of eight byte passes.
  // Ids made to share them (a hostile message can find such tokens) would make it quadratic: past a budget of moves
  // the comparison sort takes over.
  std::array<std::array<std::uint32_t, 256>, 2> count{};
  for (const T& item : items) {
    ++count[0][(key(item) >> 48) & 0xff];
    ++count[1][key(item) >> 56];
  }
  // Every element is written before it is read: no zeroing (a long message sorts several MB here).
  thread_local std::unique_ptr<T[]> tmp_owner;
  thread_local std::size_t tmp_size = 0;
  if (tmp_size < n) {
    tmp_owner.reset(new T[n]);
    tmp_size = n;
  }
  const std::span<T> tmp(tmp_owner.get(), n);
  for (auto& c : count) {
    std::uint32_t pos = 0;
    for (std::uint32_t& k : c) pos += std::exchange(k, pos);
  }
  for (const T& item : items) tmp[count[0][(key(item) >> 48) & 0xff]++] = item;
  for (const T& item : tmp) items[count[1][key(item) >> 56]++] = item;
  std::size_t budget = 4 * n;
  for (std::size_t i = 1; i < n; ++i) {
    const T item = items[i];
    std::size_t j = i;
    for (; j > 0 && key(items[j - 1]) > key(item); --j) items[j] = items[j - 1];
    items[j] = item;
    budget -= std::min(budget, i - j);
    if (budget == 0) {
      std::sort(items.begin(), items.end(), less);
      return;
    }
  }
}

// Sorted by id, one entry per id: the smallest of its sources.
void finish_sources(std::vector<FeatureSource>& sources) {
  radix_sort(sources, [](const FeatureSource& s) { return s.id; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (out > 0 && sources[out - 1].id == sources[i].id) {
      sources[out - 1].source = std::min(sources[out - 1].source, sources[i].source);
      continue;
    }
    sources[out++] = sources[i];
  }
  sources.resize(out);
}

struct Wanted {
  FeatureId id;
  std::uint32_t at;  // its place in the caller's list
};

}  // namespace

void sort_unique(std::vector<FeatureId>& ids) {
  // The set needs twice the ids' room, freshly zeroed: for a long message's hundreds of thousands of ids that costs
  // more in page faults than sorting the duplicates along.
  constexpr std::size_t kSetUpTo = std::size_t{1} << 16;
  if (ids.size() <= kSetUpTo) drop_duplicates(ids);
  radix_sort(ids, [](FeatureId id) { return id; });
  if (ids.size() > kSetUpTo) ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

std::vector<std::uint32_t> positions_in(std::span<const FeatureId> sorted, std::span<const FeatureId> wanted) {
  std::vector<std::uint32_t> out(wanted.size(), kNotFound);
  thread_local std::vector<Wanted> order;
  order.resize(wanted.size());
  for (std::size_t i = 0; i < wanted.size(); ++i) order[i] = {wanted[i], static_cast<std::uint32_t>(i)};
  radix_sort(order, [](const Wanted& w) { return w.id; });
  std::size_t k = 0;
  for (const Wanted& w : order) {
    while (k < sorted.size() && sorted[k] < w.id) ++k;
    if (k < sorted.size() && sorted[k] == w.id) out[w.at] = static_cast<std::uint32_t>(k);
  }
  return out;
}

void FeatureBag::finish() {
  if (!sources.empty()) finish_sources(sources);
  if (names.empty()) {
    sort_unique(ids);
    return;
  }
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  std::vector<FeatureId> out_ids;
  std::vector<std::string> out_names;
  out_ids.reserve(ids.size());
  out_names.reserve(ids.size());
  for (std::size_t i : order) {
    if (!out_ids.empty() && out_ids.back() == ids[i]) continue;
    out_ids.push_back(ids[i]);
    out_names.push_back(std::move(names[i]));
  }
  ids.swap(out_ids);
  names.swap(out_names);
}

void FeatureBag::shrink_to_fit() {
  ids.shrink_to_fit();
  names.shrink_to_fit();
  sequence.words.shrink_to_fit();
  sequence.pairs.shrink_to_fit();
  sources.shrink_to_fit();
}

}  // namespace spamcore

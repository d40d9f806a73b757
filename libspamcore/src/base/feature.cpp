#include "spamcore/base/feature.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <utility>

namespace spamcore {
namespace {

// Sorting every message's ids was the largest single cost of training (a comparison sort of a few thousand
// random 64-bit keys mispredicts most branches). Duplicates are dropped first with a small open-addressing set
// (a typical message emits each id two or three times), then the distinct ids are radix-sorted.

void drop_duplicates(std::vector<FeatureId>& ids) {
  std::size_t cap = 64;
  while (cap < ids.size() * 2) cap *= 2;
  thread_local std::vector<FeatureId> set;  // 0 marks a free slot; id 0 itself is tracked apart
  set.assign(cap, 0);
  const std::size_t mask = cap - 1;
  bool seen_zero = false;
  std::size_t out = 0;
  for (const FeatureId id : ids) {
    if (id == 0) {
      if (!std::exchange(seen_zero, true)) ids[out++] = id;
      continue;
    }
    std::size_t h = static_cast<std::size_t>(id ^ (id >> 29)) & mask;
    while (set[h] != 0 && set[h] != id) h = (h + 1) & mask;
    if (set[h] == id) continue;
    set[h] = id;
    ids[out++] = id;
  }
  ids.resize(out);
}

void radix_sort(std::vector<FeatureId>& ids) {
  if (ids.size() < 64) {
    std::sort(ids.begin(), ids.end());
    return;
  }
  // LSD, 8 passes of 8 bits; all histograms in one read.
  std::array<std::array<std::size_t, 256>, 8> count{};
  for (const FeatureId id : ids)
    for (int d = 0; d < 8; ++d) ++count[d][(id >> (8 * d)) & 0xff];
  thread_local std::vector<FeatureId> tmp;
  tmp.resize(ids.size());
  FeatureId* from = ids.data();
  FeatureId* to = tmp.data();
  for (int d = 0; d < 8; ++d) {
    if (count[d][(from[0] >> (8 * d)) & 0xff] == ids.size()) continue;  // every key has this digit
    std::size_t pos = 0;
    for (std::size_t& c : count[d]) pos += std::exchange(c, pos);
    for (std::size_t i = 0; i < ids.size(); ++i) to[count[d][(from[i] >> (8 * d)) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  if (from != ids.data()) std::copy(from, from + ids.size(), ids.data());
}

}  // namespace

void FeatureBag::finish() {
  if (names.empty()) {
    drop_duplicates(ids);
    radix_sort(ids);
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

}  // namespace spamcore

#include "spamcore/base/feature.hpp"

#include <algorithm>
#include <numeric>

namespace spamcore {

void FeatureBag::finish() {
  if (names.empty()) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
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

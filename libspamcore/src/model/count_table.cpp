#include "spamcore/model/count_table.hpp"

namespace spamcore::model {

void CountTable::reserve(std::size_t n) {
  while (keys_.size() * 7 < n * 10 || keys_.empty()) grow();
}

void CountTable::clear() {
  keys_.clear();
  values_.clear();
  used_.clear();
  size_ = 0;
  shift_ = 64;
}

void CountTable::grow() {
  std::vector<FeatureId> old_keys = std::move(keys_);
  std::vector<NbCounts> old_values = std::move(values_);
  std::vector<std::uint8_t> old_used = std::move(used_);
  const std::size_t capacity = old_keys.empty() ? 16 : old_keys.size() * 2;
  shift_ = 64;
  for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
  keys_.assign(capacity, 0);
  values_.assign(capacity, {});
  used_.assign(capacity, 0);
  const std::size_t mask = capacity - 1;
  for (std::size_t i = 0; i < old_keys.size(); ++i) {
    if (!old_used[i]) continue;
    std::size_t h = slot_of(old_keys[i]);
    while (used_[h]) h = (h + 1) & mask;
    keys_[h] = old_keys[i];
    values_[h] = old_values[i];
    used_[h] = 1;
  }
}

NbCounts& CountTable::operator[](FeatureId id) {
  if ((size_ + 1) * 10 > keys_.size() * 7) grow();  // load factor <= 0.7
  const std::size_t mask = keys_.size() - 1;
  std::size_t h = slot_of(id);
  while (used_[h]) {
    if (keys_[h] == id) return values_[h];
    h = (h + 1) & mask;
  }
  keys_[h] = id;
  values_[h] = {};
  used_[h] = 1;
  ++size_;
  return values_[h];
}

const NbCounts* CountTable::find(FeatureId id) const {
  if (keys_.empty()) return nullptr;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t h = slot_of(id); used_[h]; h = (h + 1) & mask)
    if (keys_[h] == id) return &values_[h];
  return nullptr;
}

void CountTable::erase(FeatureId id) {
  if (keys_.empty()) return;
  const std::size_t mask = keys_.size() - 1;
  std::size_t h = slot_of(id);
  while (used_[h] && keys_[h] != id) h = (h + 1) & mask;
  if (!used_[h]) return;
  // Backward shift: pull later entries of the same probe run into the hole so lookups never stop early.
  std::size_t hole = h;
  for (std::size_t j = (hole + 1) & mask; used_[j]; j = (j + 1) & mask) {
    const std::size_t home = slot_of(keys_[j]);
    // Move j into the hole unless its home lies cyclically in (hole, j].
    const bool home_between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (home_between) continue;
    keys_[hole] = keys_[j];
    values_[hole] = values_[j];
    hole = j;
  }
  used_[hole] = 0;
  keys_[hole] = 0;
  values_[hole] = {};
  --size_;
}

}  // namespace spamcore::model

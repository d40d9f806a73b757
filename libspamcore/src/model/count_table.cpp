#include "spamcore/model/count_table.hpp"

#include <limits>

namespace spamcore::model {

void CountTable::reserve(std::size_t n) {
  while (slots_.size() * 7 < n * 10 || slots_.empty()) grow();
}

void CountTable::clear() {
  slots_ = {};
  size_ = 0;
  max_disp_ = 0;
  shift_ = 64;
  has_zero_ = false;
  zero_ = {};
}

void CountTable::grow() {
  Slots old = std::move(slots_);
  const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
  shift_ = 64;
  for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
  slots_ = Slots(capacity);
  max_disp_ = 0;
  const std::size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (s.key == 0) continue;
    std::size_t h = home(s.key), d = 0;
    for (; slots_[h].key != 0; ++d) h = (h + 1) & mask;
    slots_[h] = s;
    max_disp_ = std::max(max_disp_, d);
  }
}

NbCounts& CountTable::operator[](FeatureId id) {
  // Without a limit the probe ends at the first free slot, and there always is one (load factor <= 0.7).
  return *find_or_insert_near(id, std::numeric_limits<std::size_t>::max());
}

NbCounts* CountTable::find_or_insert_near(FeatureId id, std::size_t max_displacement) {
  if (id == 0) {
    if (!has_zero_) {
      has_zero_ = true;
      zero_ = {};
      ++size_;
    }
    return &zero_;
  }
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();  // load factor <= 0.7
  const std::size_t mask = slots_.size() - 1;
  // Past both bounds the id is not in the table and would land too far: stop there, not at the run's end.
  const std::size_t stop = std::max(max_displacement, max_disp_);
  std::size_t h = home(id);
  for (std::size_t d = 0;; ++d, h = (h + 1) & mask) {
    const FeatureId key = slots_[h].key;
    if (key == id) return &slots_[h].counts;
    if (key == 0) {
      if (d > max_displacement) return nullptr;
      slots_[h] = {id, {}};
      ++size_;
      max_disp_ = std::max(max_disp_, d);
      return &slots_[h].counts;
    }
    if (d == stop) return nullptr;
  }
}

const NbCounts* CountTable::find(FeatureId id) const {
  if (id == 0) return has_zero_ ? &zero_ : nullptr;
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  std::size_t h = home(id);
  for (std::size_t d = 0; d <= max_disp_ && slots_[h].key != 0; ++d, h = (h + 1) & mask)
    if (slots_[h].key == id) return &slots_[h].counts;
  return nullptr;
}

std::optional<std::pair<std::size_t, std::vector<CountTable::value_type>>> CountTable::tail_run(
    std::size_t capacity) const {
  if (capacity != slots_.size() || has_zero_ || capacity == 0) return std::nullopt;
  std::size_t last_free = capacity;
  while (last_free > 0 && slots_[last_free - 1].key != 0) --last_free;
  if (last_free == 0) return std::nullopt;
  --last_free;
  std::vector<value_type> tail;
  for (std::size_t i = last_free + 1; i < capacity; ++i) tail.emplace_back(slots_[i].key, slots_[i].counts);
  // Entries of that last run that wrapped into the first slots: a home after their slot.
  for (std::size_t i = 0; i < last_free && slots_[i].key != 0; ++i)
    if (home(slots_[i].key) > i) tail.emplace_back(slots_[i].key, slots_[i].counts);
  std::sort(tail.begin(), tail.end(), [](const value_type& a, const value_type& b) { return a.first < b.first; });
  return std::make_pair(last_free, std::move(tail));
}

std::vector<FeatureId> CountTable::head_run_ids() const {
  std::vector<FeatureId> ids;
  for (std::size_t i = 0; i < slots_.size() && slots_[i].key != 0; ++i)
    if (home(slots_[i].key) <= i) ids.push_back(slots_[i].key);
  std::sort(ids.begin(), ids.end());
  return ids;
}

void CountTable::erase(FeatureId id) {
  if (id == 0) {
    if (has_zero_) --size_;
    has_zero_ = false;
    zero_ = {};
    return;
  }
  if (slots_.empty()) return;
  const std::size_t mask = slots_.size() - 1;
  std::size_t h = home(id), d = 0;
  for (; d <= max_disp_ && slots_[h].key != 0 && slots_[h].key != id; ++d) h = (h + 1) & mask;
  if (d > max_disp_ || slots_[h].key == 0) return;
  // Backward shift: pull later entries of the same probe run into the hole so lookups never stop early. An entry
  // more than max_disp_ past the hole has its home after the hole, as has every one after it: the shift ends there.
  std::size_t hole = h;
  for (std::size_t j = (hole + 1) & mask; slots_[j].key != 0 && ((j - hole) & mask) <= max_disp_;
       j = (j + 1) & mask) {
    const std::size_t home_j = home(slots_[j].key);
    // Move j into the hole unless its home lies cyclically in (hole, j].
    const bool home_between = hole <= j ? (home_j > hole && home_j <= j) : (home_j > hole || home_j <= j);
    if (home_between) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole] = Slot{};
  --size_;
}

}  // namespace spamcore::model

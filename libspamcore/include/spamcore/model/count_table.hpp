#pragma once
// Per-feature message counts in one flat open-addressing table: training does a lookup per feature per message, and
// std::unordered_map's node per entry made that the biggest cost of `train`.
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "spamcore/base/feature.hpp"

namespace spamcore::model {

/// Messages of each class a feature was seen in.
struct NbCounts {
  std::uint32_t spam = 0;
  std::uint32_t ham = 0;
};

class CountTable {
 public:
  using value_type = std::pair<FeatureId, NbCounts>;

  /// The counts of `id`, inserted as zeros when absent.
  NbCounts& operator[](FeatureId id);
  /// nullptr when absent.
  const NbCounts* find(FeatureId id) const;
  /// Removes `id` if present (backward-shift deletion: no tombstones).
  void erase(FeatureId id);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void reserve(std::size_t n);
  void clear();

  /// Forward iteration over the entries, in table order.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CountTable::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = const value_type*;
    using reference = value_type;
    const_iterator() = default;
    const_iterator(const CountTable* t, std::size_t i) : t_(t), i_(i) { skip(); }
    value_type operator*() const { return {t_->keys_[i_], t_->values_[i_]}; }
    const_iterator& operator++() {
      ++i_;
      skip();
      return *this;
    }
    const_iterator operator++(int) {
      auto copy = *this;
      ++*this;
      return copy;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }
    bool operator!=(const const_iterator& o) const { return i_ != o.i_; }

   private:
    void skip() {
      while (t_ && i_ < t_->keys_.size() && !t_->used_[i_]) ++i_;
    }
    const CountTable* t_ = nullptr;
    std::size_t i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, keys_.size()}; }

 private:
  std::size_t slot_of(FeatureId key) const { return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ull) >> shift_); }
  void grow();

  std::vector<FeatureId> keys_;
  std::vector<NbCounts> values_;
  std::vector<std::uint8_t> used_;  // every id is a valid key, so occupancy is kept apart
  std::size_t size_ = 0;
  int shift_ = 64;
};

}  // namespace spamcore::model

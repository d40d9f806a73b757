#pragma once
// Per-feature message counts in one flat open-addressing table: training does a lookup per feature per message, and
// std::unordered_map's node per entry made that the biggest cost of `train`.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "spamcore/base/zeroed_array.hpp"
#include "spamcore/base/feature.hpp"

namespace spamcore::model {

/// Messages of each class a feature was seen in.
struct NbCounts {
  std::uint32_t spam = 0;
  std::uint32_t ham = 0;
  bool operator==(const NbCounts&) const = default;
};

class CountTable {
 public:
  using value_type = std::pair<FeatureId, NbCounts>;

  /// The counts of `id`, inserted as zeros when absent.
  NbCounts& operator[](FeatureId id);
  /// The same, but an absent `id` is inserted only if a free slot lies at most `max_displacement` slots past its
  /// home; nullptr otherwise. What learning uses: ids are a public hash, and a spammer can search out words whose ids
  /// share a home. Inserted unbounded, n of them take n^2/2 probes, and every later lookup near them walks their run.
  NbCounts* find_or_insert_near(FeatureId id, std::size_t max_displacement);
  /// nullptr when absent.
  const NbCounts* find(FeatureId id) const;
  /// No entry lies further than this past its home slot (an upper bound: erasing does not lower it). Lookups stop
  /// there, however long the run they land in.
  std::size_t max_displacement() const { return max_disp_; }
  /// Removes `id` if present (backward-shift deletion: no tombstones).
  void erase(FeatureId id);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void reserve(std::size_t n);
  void clear();
  /// Keeps only the entries whose counts satisfy `keep` (rebuilds the table: cheaper than erasing many).
  template <typename Keep>
  void retain_if(Keep keep) {
    Slots old = std::move(slots_);
    const bool had_zero = has_zero_;
    const NbCounts zero = zero_;
    clear();
    std::size_t kept = 0;
    for (const Slot& s : old) kept += s.key != 0 && keep(s.counts);
    reserve(kept);
    for (const Slot& s : old)
      if (s.key != 0 && keep(s.counts)) (*this)[s.key] = s.counts;
    if (had_zero && keep(zero)) (*this)[0] = zero;
  }
  /// A hint that `id` will be looked up soon: tables far larger than the cache miss on nearly every lookup, and
  /// learning knows a message's ids in advance.
  void prefetch(FeatureId id) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(id)], 1);
  }

  /// Calls fn(id, counts) for every entry in increasing id order, without copying the table: slot order is id order
  /// but for entries sharing a probe run (sorted run by run) and those that wrapped past the end into the first run
  /// (they come last).
  template <typename Fn>
  void for_each_in_id_order(Fn fn) const {
    if (has_zero_) fn(FeatureId{0}, zero_);
    const std::size_t capacity = slots_.size();
    std::vector<Slot> run, wrapped;
    auto emit_sorted = [&fn](std::vector<Slot>& v) {
      sort_by_key(v);
      for (const Slot& s : v) fn(s.key, s.counts);
    };
    std::size_t i = 0;
    // An entry of the run at slot 0 whose home lies after its slot has wrapped around: it belongs after the run that
    // ends the table.
    for (; i < capacity && slots_[i].key != 0; ++i) (home(slots_[i].key) > i ? wrapped : run).push_back(slots_[i]);
    emit_sorted(run);
    while (i < capacity) {
      if (slots_[i].key == 0) {
        ++i;
        continue;
      }
      std::size_t stop = i + 1;
      while (stop < capacity && slots_[stop].key != 0) ++stop;
      if (stop == i + 1 && stop < capacity) {
        fn(slots_[i].key, slots_[i].counts);  // most runs hold one entry: nothing to sort
      } else {
        run.assign(slots_.begin() + i, slots_.begin() + stop);
        if (stop == capacity) run.insert(run.end(), wrapped.begin(), wrapped.end());
        emit_sorted(run);
        if (stop == capacity) return;
      }
      i = stop;
    }
    emit_sorted(wrapped);
  }

  /// For a layout of exactly `capacity` slots (a power of two, homes the top bits of the id, as here): the last free
  /// slot, and the entries whose home lies after it, in increasing id order. Linear probing fills the same slots
  /// whatever order the ids came in, so every such table leaves that slot free and places these entries after it
  /// independently of the others -- the model writer learns which of them run past the end from these alone, not
  /// from a walk over the whole table. nullopt when this table has another capacity, holds id 0 (kept apart here)
  /// or has no free slot.
  std::optional<std::pair<std::size_t, std::vector<value_type>>> tail_run(std::size_t capacity) const;
  /// The ids of the run that starts at slot 0, but for those that wrapped into it from the end, in increasing order:
  /// the entries a writer of the same capacity places before the wrapped ones, which take the slots they leave free.
  std::vector<FeatureId> head_run_ids() const;

  /// Forward iteration over the entries: table order, which is close to id order (an entry's home slot is the top
  /// bits of its id), so writing them into another table of that kind is almost sequential.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CountTable::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = const value_type*;
    using reference = value_type;

    const_iterator() = default;
    const_iterator(const CountTable* t, std::size_t i) : t_(t), i_(i) { skip(); }
    value_type operator*() const {
      return i_ < t_->slots_.size() ? value_type{t_->slots_[i_].key, t_->slots_[i_].counts} : value_type{0, t_->zero_};
    }
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
      if (!t_) return;
      while (i_ < t_->slots_.size() && t_->slots_[i_].key == 0) ++i_;
      if (i_ == t_->slots_.size() && !t_->has_zero_) ++i_;
    }
    const CountTable* t_ = nullptr;
    std::size_t i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, slots_.size() + 1}; }

 private:
  // Key and counts side by side: one cache miss per lookup. Key 0 marks a free slot; id 0 itself lives apart.
  struct Slot {
    FeatureId key = 0;
    NbCounts counts;
  };
  std::size_t home(FeatureId key) const { return static_cast<std::size_t>(key >> shift_); }
  // Probe runs are short at these loads (a few entries): insertion sort, without std::sort's setup for each.
  static void sort_by_key(std::vector<Slot>& v) {
    if (v.size() > 16) {
      std::sort(v.begin(), v.end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
      return;
    }
    for (std::size_t k = 1; k < v.size(); ++k)
      for (std::size_t m = k; m > 0 && v[m].key < v[m - 1].key; --m) std::swap(v[m], v[m - 1]);
  }
  void grow();

  using Slots = ZeroedArray<Slot>;  // a zero slot is a free one
  Slots slots_;
  std::size_t size_ = 0;
  std::size_t max_disp_ = 0;
  int shift_ = 64;
  bool has_zero_ = false;
  NbCounts zero_;
};

}  // namespace spamcore::model

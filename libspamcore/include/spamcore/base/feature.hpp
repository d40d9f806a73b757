#pragma once
// Features are 64-bit hashed ids (base/hash.hpp); a message becomes a set of them.
#include <cstdint>
#include <string>
#include <vector>

namespace spamcore {

using FeatureId = std::uint64_t;

/// The distinct features of one message, sorted by id; names (same order) only when asked for.
struct FeatureBag {
  std::vector<FeatureId> ids;
  std::vector<std::string> names;  ///< empty unless the tokenizer was asked for names

  /// Sorts by id and removes duplicates (keeping names aligned).
  void finish();
  std::size_t size() const { return ids.size(); }
};

}  // namespace spamcore

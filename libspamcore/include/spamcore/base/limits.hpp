#pragma once
// How much of a hostile message we are willing to look at. Defaults are documented in README.md.
#include <cstddef>

namespace spamcore {

/// Caps applied while parsing; exceeding one is recorded as a message issue, never an error.
struct Limits {
  bool operator==(const Limits&) const = default;
  std::size_t max_bytes = 1u << 20;        ///< bytes of a message analysed (the rest is passed over)
  std::size_t max_depth = 20;              ///< MIME nesting depth walked
  std::size_t max_parts = 500;             ///< MIME parts walked
  std::size_t max_headers = 2000;          ///< header fields kept per header block
  std::size_t max_line = 64u << 10;        ///< longer lines are cut before MIME parsing (mimetic is quadratic on them)
};

}  // namespace spamcore

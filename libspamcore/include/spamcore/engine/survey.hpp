#pragma once
// What the readers and the parser find in a corpus: counts for `spamcore stats` and the demo.
#include <cstddef>
#include <map>
#include <string>

#include "spamcore/base/limits.hpp"
#include "spamcore/corpus/source.hpp"

namespace spamcore::engine {

struct SurveyCounts {
  std::size_t messages = 0;
  std::size_t bytes = 0;          ///< raw message bytes
  std::size_t parts = 0;          ///< MIME leaves
  std::size_t text_parts = 0;
  std::size_t html_parts = 0;
  std::size_t attachments = 0;    ///< leaves not read as text
  std::size_t text_bytes = 0;     ///< decoded UTF-8 text
  std::size_t urls = 0;
  std::size_t messages_with_issues = 0;
  std::map<std::string, std::size_t> issues;  ///< issue name -> messages that have it

  SurveyCounts& operator+=(const SurveyCounts& other);
};

/// Reads every message of `source` and parses it with `limits`.
SurveyCounts survey(corpus::MessageSource& source, const Limits& limits);

}  // namespace spamcore::engine

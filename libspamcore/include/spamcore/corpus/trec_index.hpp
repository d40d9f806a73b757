#pragma once
// TREC spam track index files: one "<judgement> <path>" line per message, paths relative to the index file.
#include <memory>
#include <string>
#include <vector>

#include "spamcore/corpus/source.hpp"

namespace spamcore::corpus {

struct IndexEntry {
  std::string judgement;  ///< as written: spam/ham, Spam/Ham, SPAM/HAM (the case selects the TREC action)
  std::string path;       ///< resolved against the index file's directory
  std::size_t line = 0;   ///< 1-based line number in the index
};

/// Reads every entry, in file order. Blank lines are skipped; a line without two fields, or whose label is not
/// spam/ham, Spam/Ham or SPAM/HAM, is an Error naming the file and line.
std::vector<IndexEntry> read_trec_index(const std::string& index_path);

/// Messages of an index, in its order, each with its judgement set. Every message file is checked for reading
/// first: one that is missing is an io Error naming the index and the line (a file gone later: its own Error).
std::unique_ptr<MessageSource> open_trec_index(const std::string& index_path);

}  // namespace spamcore::corpus

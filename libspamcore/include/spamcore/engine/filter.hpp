#pragma once
// The mail-pipe filter (procmail `:0fw`, maildrop `xfilter`): a message in, the same message out with spamcore's
// verdict added as header fields. Never loses mail: whatever fails, every input byte still reaches the output.
#include <cstddef>
#include <string>
#include <string_view>

#include "spamcore/model/score.hpp"

namespace spamcore::engine {

struct FilterOptions {
  std::string model_path;
  std::string input_name = "<stdin>";  ///< for messages about the input
  /// The header block must end within this many bytes for fields to be added; past it the message is passed
  /// through untouched (a hostile header cannot make us hold more).
  std::size_t max_header_bytes = std::size_t{64} << 20;
};

struct FilterOutcome {
  bool classified = false;  ///< false: the input was copied unchanged
  std::string error;        ///< why not classified: "<path>: <problem>" (empty when classified)
  model::Score score;
  std::string model_digest;
};

/// Copies the message from `in_fd` to `out_fd`. When the model opens and the message scores, incoming X-Spam-*
/// fields of the top header block are removed and X-Spam-Status, X-Spam-Score (and X-Spam-Flag: YES for spam) are
/// added at its end, in the message's own line-ending style; every other byte is copied unchanged. Only the first
/// max_bytes (the model's limit) are analysed; the rest streams through. Throws Error(io) only when reading or
/// writing fails, after copying as much as it could.
FilterOutcome filter(int in_fd, int out_fd, const FilterOptions& options);

/// The fields filter adds, each ending in `eol`.
std::string spam_header_fields(const model::Score& score, std::string_view algorithm, std::string_view model_digest,
                               std::string_view eol);

/// `header_block` without its X-Spam-* fields (continuation lines included); other bytes unchanged. Lines end at
/// LF; in mail whose lines end in a bare CR (`bare_cr_lines`), at CR too.
std::string strip_spam_fields(std::string_view header_block, bool bare_cr_lines = false);

}  // namespace spamcore::engine

#pragma once
// Detect a corpus path's format and open a MessageSource over it (the reader factory).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spamcore/corpus/source.hpp"

namespace spamcore::corpus {

enum class CorpusKind { message, mbox, mbox_gz, maildir, mh, directory, trec_index };

/// "message", "mbox", "mbox.gz", "maildir", "mh", "directory", "trec-index".
std::string_view to_string(CorpusKind kind);

struct OpenOptions {
  bool maildir_subfolders = false;  ///< also read Maildir++ subfolders (.Junk, .Sent, ...) of a Maildir
};

/// What a path is. Throws Error(io) when it does not exist or cannot be read.
///  - directory with cur/ or new/          -> maildir
///  - directory of numbered files (or with .mh_sequences) -> mh
///  - other directory                      -> directory (recursive, sorted, dotfiles skipped)
///  - gzip file                            -> mbox_gz
///  - file starting with "From "           -> mbox
///  - file whose lines are "<label> <path>" with label spam/ham in any case -> trec_index
///  - anything else                        -> message
CorpusKind detect(const std::string& path);

/// A source over `path`, of the detected kind. Files inside directories, Maildirs and MH folders are single
/// messages (a leading `From ` line is taken as the envelope). Throws Error on failure.
std::unique_ptr<MessageSource> open(const std::string& path, const OpenOptions& options = {});

/// About how many message bytes open() will read from the paths, without reading the messages: file sizes of what
/// each reader lists (a Maildir's cur/ and new/, subfolders as `options` says; an MH folder's digit names; a
/// directory walked as the directory reader walks it; the files of a TREC index), each capped at kMaxMessageBytes,
/// a .gz by its estimated inflated size. For progress and for interleaving classes. Never throws: what cannot be
/// sized counts 0.
std::uint64_t estimated_bytes(const std::vector<std::string>& paths, const OpenOptions& options = {});

}  // namespace spamcore::corpus

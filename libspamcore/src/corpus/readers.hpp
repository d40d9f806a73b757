#pragma once
// The readers behind corpus::open, one per format (one .cpp each), and the helpers they share. Private.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/source.hpp"

namespace spamcore::corpus::detail {

/// A file that is one message: its first line goes to `envelope` when it starts with "From " (line ending dropped).
RawMessage read_message_file(const std::string& path);

/// Splits a leading "From " line off `bytes` into `envelope`.
void take_envelope(std::string& bytes, std::string& envelope);

/// The kind of a directory: maildir, mh or directory. Throws Error(io) when it cannot be listed.
CorpusKind detect_directory(const std::string& path);
bool is_maildir(const std::string& path);

/// Names of the entries of `path` (no "." / ".."), sorted by byte order. Throws Error(io).
std::vector<std::string> sorted_entries(const std::string& path);

/// A directory entry with the type readdir reported for it (unknown when the file system does not say).
struct DirEntry {
  enum class Type : unsigned char { unknown, file, directory, symlink, other };
  std::string name;
  Type type = Type::unknown;
};

/// The entries of `path` (no "." / ".."), sorted by name in byte order. Throws Error(io).
std::vector<DirEntry> sorted_dir_entries(const std::string& path);

/// What the directory reader makes of an entry: a message file (symlinks to files followed), a directory to walk
/// (never through a symlink: no loops), or nothing.
enum class EntryKind { file, directory, skip };
EntryKind entry_kind(const std::string& path, DirEntry::Type type);

/// The message files of a Maildir (cur/ then new/, never tmp/; then Maildir++ subfolders when asked), in reading
/// order: what the Maildir reader reads, and what estimated_bytes sizes.
std::vector<std::string> maildir_files(const std::string& root, const OpenOptions& options);

/// The message files of an MH folder (digit names, numeric order).
std::vector<std::string> mh_files(const std::string& root);

/// The kind of a directory that is not a Maildir, from its sorted entries: mh or directory.
CorpusKind classify_directory(const std::string& path, const std::vector<DirEntry>& entries);

/// A .gz file's inflated size from its length and its trailer's ISIZE (the size mod 2^32): ISIZE itself when its
/// ratio is ordinary (0.9:1 to 12:1 of the deflated bytes) or no wrap was possible; else, of the sizes ISIZE allows
/// up to 12:1, the one nearest mail's usual 4:1; 4:1 itself when there is none. Saturates instead of wrapping.
std::uint64_t gzip_estimate(std::uint64_t packed, std::uint32_t isize);

/// "<dir>/<name>" without doubling a trailing slash.
std::string join(const std::string& dir, const std::string& name);

/// True for an envelope line: "From ", a non-blank token, then later a time "d:dd".
bool is_envelope_line(std::string_view line);

std::unique_ptr<MessageSource> open_message_file(const std::string& path);
std::unique_ptr<MessageSource> open_mbox(const std::string& path, bool gzip);
std::unique_ptr<MessageSource> open_maildir(const std::string& path, const OpenOptions& options);
std::unique_ptr<MessageSource> open_mh(const std::string& path);
std::unique_ptr<MessageSource> open_directory(const std::string& path, const OpenOptions& options);

}  // namespace spamcore::corpus::detail

namespace spamcore::corpus::detail {

/// spam ham Spam Ham SPAM HAM, exactly.
bool is_judgement(std::string_view label);

/// The blank-separated (space, tab, CR) fields of one line.
std::vector<std::string_view> fields(std::string_view line);

}  // namespace spamcore::corpus::detail

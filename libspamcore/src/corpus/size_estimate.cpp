// estimated_bytes(): how many message bytes the readers will hand out for some corpus paths, found without reading
// the messages. Train interleaves spam and ham by this (and shows its ETA), so it must follow what open() reads:
// a Maildir's cur/ and new/ only, a .gz inflated, the files a TREC index lists. It never fails: whatever cannot be
// listed or sized counts 0, and open() reports the real error when it gets there.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/trec_index.hpp"

namespace spamcore::corpus {
namespace {

namespace fs = std::filesystem;
using detail::classify_directory, detail::DirEntry, detail::entry_kind, detail::EntryKind, detail::is_maildir,
    detail::join, detail::maildir_files, detail::mh_files, detail::sorted_dir_entries;

std::uint64_t file_bytes(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

/// What a reader keeps of one message file.
std::uint64_t message_file_bytes(const std::string& path) {
  return std::min<std::uint64_t>(file_bytes(path), kMaxMessageBytes);
}

std::uint64_t files_bytes(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const std::string& f : files) total += message_file_bytes(f);
  return total;
}

/// A directory tree as the directory reader walks it (the same entry rules, Maildirs and MH folders inside read by
/// their own listings).
std::uint64_t tree_bytes(const std::string& dir, const OpenOptions& options) {
  std::uint64_t total = 0;
  for (const DirEntry& e : sorted_dir_entries(dir)) {
    if (e.name[0] == '.') continue;
    const std::string path = join(dir, e.name);
    const EntryKind kind = entry_kind(path, e.type);
    if (kind == EntryKind::file) {
      total += message_file_bytes(path);
    } else if (kind == EntryKind::directory) {
      try {
        if (is_maildir(path)) total += files_bytes(maildir_files(path, options));
        else if (classify_directory(path, sorted_dir_entries(path)) == CorpusKind::mh)
          total += files_bytes(mh_files(path));
        else total += tree_bytes(path, options);
      } catch (const Error&) {
      }
    }
  }
  return total;
}

}  // namespace

std::uint64_t detail::gzip_estimate(std::uint64_t packed, std::uint32_t isize) {
  // ISIZE is the inflated size mod 2^32 (of the last member only). Taken as it is when its ratio is ordinary for
  // mail, or when no wrap was possible (DEFLATE inflates at most 1032:1, so below ~4 MB packed ISIZE is the size).
  // Otherwise, of the sizes it allows up to an ordinary 12:1, the one nearest mail's usual 4:1; when there is none
  // (several members with a small last one, a damaged tail), 4:1 itself.
  constexpr double kUsual = 4.0, kMaxRatio = 1032.0, kLowest = 0.9, kOrdinary = 12.0;
  constexpr std::uint64_t kWrap = std::uint64_t{1} << 32, kOverhead = 18;  // gzip's header and trailer
  const std::uint64_t fallback = packed > UINT64_MAX / 4 ? UINT64_MAX : packed * 4;
  // Ratios are taken over the deflated data, without gzip's own bytes: an empty .gz is 20 bytes for 0.
  const double deflated = packed > kOverhead ? double(packed - kOverhead) : 1.0;
  const double r0 = double(isize) / deflated;
  const bool wrap_possible = double(packed) * kMaxRatio >= double(kWrap);
  // Not below 0.9:1, give or take the few bytes of stored blocks' headers that matter only for tiny files.
  const bool not_too_small = double(isize) + 64.0 >= kLowest * deflated;
  if (packed <= kOverhead || (not_too_small && r0 <= kOrdinary) || (!wrap_possible && not_too_small && r0 <= kMaxRatio))
    return isize;
  std::uint64_t best = fallback;
  double best_distance = 1e300;
  for (std::uint64_t k = 0; k < (std::uint64_t{1} << 20); ++k) {
    const std::uint64_t size = isize + (k << 32);
    const double ratio = double(size) / deflated;
    if (ratio < kLowest) continue;
    if (ratio > kOrdinary) break;  // beyond ordinary: more likely several members than this many wraps
    const double distance = std::fabs(std::log(ratio / kUsual));
    if (distance < best_distance) {
      best_distance = distance;
      best = size;
    }
  }
  return best;
}

namespace {

/// A gzip file's inflated size, estimated from its length and its trailer.
std::uint64_t gzip_bytes(const std::string& path) {
  const std::uint64_t packed = file_bytes(path);
  std::ifstream in(path, std::ios::binary);
  unsigned char tail[4] = {};
  if (packed >= 18 && in.seekg(-4, std::ios::end) && in.read(reinterpret_cast<char*>(tail), 4))
    return detail::gzip_estimate(packed, tail[0] | tail[1] << 8 | tail[2] << 16 | std::uint32_t{tail[3]} << 24);
  return packed > UINT64_MAX / 4 ? UINT64_MAX : packed * 4;
}

std::uint64_t index_bytes(const std::string& path) {
  std::uint64_t total = 0;
  for (const IndexEntry& e : read_trec_index(path)) total += message_file_bytes(e.path);
  return total;
}

std::uint64_t path_bytes(const std::string& path, const OpenOptions& options) {
  try {
    switch (detect(path)) {
      case CorpusKind::message: return message_file_bytes(path);
      case CorpusKind::mbox: return file_bytes(path);
      case CorpusKind::mbox_gz: return gzip_bytes(path);
      case CorpusKind::maildir: return files_bytes(maildir_files(path, options));
      case CorpusKind::mh: return files_bytes(mh_files(path));
      case CorpusKind::directory: return tree_bytes(path, options);
      case CorpusKind::trec_index: return index_bytes(path);
    }
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace

std::uint64_t estimated_bytes(const std::vector<std::string>& paths, const OpenOptions& options) {
  std::uint64_t total = 0;
  for (const std::string& p : paths) {
    const std::uint64_t n = path_bytes(p, options);
    total = n > UINT64_MAX - total ? UINT64_MAX : total + n;  // absurd .gz trailers saturate, they do not wrap
  }
  return total;
}

}  // namespace spamcore::corpus

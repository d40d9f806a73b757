// estimated_bytes(): how many message bytes the readers will hand out for some corpus paths, found without reading
// the messages. Train interleaves spam and ham by this (and shows its ETA), so it must follow what open() reads:
// a Maildir's cur/ and new/ only, a .gz inflated, the files a TREC index lists. It never fails: whatever cannot be
// listed or sized counts 0, and open() reports the real error when it gets there.
#include <filesystem>
#include <fstream>

#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/trec_index.hpp"

namespace spamcore::corpus {
namespace {

namespace fs = std::filesystem;

std::uint64_t file_bytes(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

/// Regular files below `dir`, dotfiles and dot-directories skipped as the readers skip them.
std::uint64_t tree_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code entry_ec;
    if (it->is_regular_file(entry_ec)) total += file_bytes(it->path());
  }
  return total;
}

std::uint64_t maildir_bytes(const fs::path& root, bool subfolders) {
  std::uint64_t total = tree_bytes(root / "cur") + tree_bytes(root / "new");
  if (!subfolders) return total;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code entry_ec;
    if (name.size() >= 2 && name[0] == '.' && !it->is_symlink(entry_ec) && detail::is_maildir(it->path().string()))
      total += maildir_bytes(it->path(), false);
  }
  return total;
}

/// A gzip file's inflated size from its trailer (ISIZE, the size mod 2^32). When that is not believable (a file
/// over 4 GiB inflated, several members, a damaged tail) mail's usual 4:1 ratio stands in.
std::uint64_t gzip_bytes(const std::string& path) {
  const std::uint64_t packed = file_bytes(path);
  std::ifstream in(path, std::ios::binary);
  unsigned char tail[4] = {};
  if (packed >= 18 && in.seekg(-4, std::ios::end) && in.read(reinterpret_cast<char*>(tail), 4)) {
    const std::uint64_t isize = tail[0] | tail[1] << 8 | tail[2] << 16 | std::uint64_t{tail[3]} << 24;
    if (isize >= packed) return isize;
  }
  return packed * 4;
}

std::uint64_t index_bytes(const std::string& path) {
  std::uint64_t total = 0;
  for (const IndexEntry& e : read_trec_index(path)) total += file_bytes(e.path);
  return total;
}

std::uint64_t path_bytes(const std::string& path, const OpenOptions& options) {
  try {
    switch (detect(path)) {
      case CorpusKind::message:
      case CorpusKind::mbox: return file_bytes(path);
      case CorpusKind::mbox_gz: return gzip_bytes(path);
      case CorpusKind::maildir: return maildir_bytes(path, options.maildir_subfolders);
      case CorpusKind::mh:
      case CorpusKind::directory: return tree_bytes(path);
      case CorpusKind::trec_index: return index_bytes(path);
    }
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace

std::uint64_t estimated_bytes(const std::vector<std::string>& paths, const OpenOptions& options) {
  std::uint64_t total = 0;
  for (const std::string& p : paths) total += path_bytes(p, options);
  return total;
}

}  // namespace spamcore::corpus

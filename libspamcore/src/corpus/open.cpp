// detect(): what a corpus path is; open(): the reader for it (the factory over readers.hpp).
#include "spamcore/corpus/open.hpp"

#include <sys/stat.h>

#include <filesystem>

#include "corpus/input.hpp"
#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/trec_index.hpp"

namespace spamcore::corpus {
namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;
constexpr int kIndexLinesChecked = 5;

/// The first (up to) five non-blank lines of `head` are "<judgement> <path> [ignored fields]". Only complete lines count,
/// except the last line of a file that fits in `head` (`whole`).
bool looks_like_trec_index(const std::string& head, bool whole) {
  int checked = 0;
  std::size_t pos = 0;
  while (pos < head.size() && checked < kIndexLinesChecked) {
    std::size_t eol = head.find('\n', pos);
    if (eol == std::string::npos) {
      if (!whole) break;
      eol = head.size();
    }
    const auto f = detail::fields(std::string_view(head).substr(pos, eol - pos));
    pos = eol + 1;
    if (f.empty()) continue;
    if (f.size() < 2 || !detail::is_judgement(f[0])) return false;
    ++checked;
  }
  return checked > 0;
}

}  // namespace

std::string_view to_string(CorpusKind kind) {
  switch (kind) {
    case CorpusKind::message: return "message";
    case CorpusKind::mbox: return "mbox";
    case CorpusKind::mbox_gz: return "mbox.gz";
    case CorpusKind::maildir: return "maildir";
    case CorpusKind::mh: return "mh";
    case CorpusKind::directory: return "directory";
    case CorpusKind::trec_index: return "trec-index";
  }
  return "unknown";
}

CorpusKind detect(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno(path, "cannot open");
  if (S_ISDIR(st.st_mode)) return detail::detect_directory(path);
  const std::string head = detail::read_file_prefix(path, kSniffBytes);
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
    return CorpusKind::mbox_gz;
  if (head.starts_with("From ")) return CorpusKind::mbox;
  if (looks_like_trec_index(head, head.size() < kSniffBytes)) return CorpusKind::trec_index;
  return CorpusKind::message;
}

std::unique_ptr<MessageSource> open(const std::string& path, const OpenOptions& options) {
  switch (detect(path)) {
    case CorpusKind::message: return detail::open_message_file(path);
    case CorpusKind::mbox: return detail::open_mbox(path, false);
    case CorpusKind::mbox_gz: return detail::open_mbox(path, true);
    case CorpusKind::maildir: return detail::open_maildir(path, options);
    case CorpusKind::mh: return detail::open_mh(path);
    case CorpusKind::directory: return detail::open_directory(path, options);
    case CorpusKind::trec_index: return open_trec_index(path);
  }
  return detail::open_message_file(path);
}

}  // namespace spamcore::corpus

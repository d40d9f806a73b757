// A directory tree of message files: entries by name at each level, dotfiles and dot-directories skipped,
// subdirectories that are Maildirs or MH folders read as such. Symlinks to files are followed, symlinks to
// directories are not (no loops).
#include <filesystem>

#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"

namespace spamcore::corpus::detail {
namespace {

namespace fs = std::filesystem;

class DirectorySource final : public MessageSource {
 public:
  DirectorySource(const std::string& root, const OpenOptions& options) : options_(options) {
    push(root, sorted_dir_entries(root));
  }

  std::optional<RawMessage> next() override {
    for (;;) {
      if (child_) {
        if (auto m = child_->next()) return m;
        child_.reset();
      }
      if (stack_.empty()) return std::nullopt;
      Frame& top = stack_.back();
      if (top.next == top.entries.size()) {
        stack_.pop_back();
        continue;
      }
      const DirEntry& entry = top.entries[top.next++];
      const std::string path = join(top.dir, entry.name);
      const EntryKind kind = entry_kind(path, entry.type);
      if (kind == EntryKind::file) {
        try {
          return read_message_file(path);
        } catch (const Error&) {
          std::error_code ec;
          if (fs::exists(fs::symlink_status(path, ec))) throw;
          continue;  // vanished since the listing
        }
      }
      if (kind != EntryKind::directory) continue;
      if (is_maildir(path)) {
        child_ = open_maildir(path, options_);
        continue;
      }
      std::vector<DirEntry> entries = sorted_dir_entries(path);
      if (classify_directory(path, entries) == CorpusKind::mh) {
        child_ = open_mh(path);
      } else {
        push(path, std::move(entries));
      }
    }
  }

 private:
  struct Frame {
    std::string dir;
    std::vector<DirEntry> entries;  // without dotfiles, sorted
    std::size_t next = 0;
  };

  void push(const std::string& dir, std::vector<DirEntry> entries) {
    std::erase_if(entries, [](const DirEntry& e) { return e.name[0] == '.'; });
    stack_.push_back(Frame{dir, std::move(entries), 0});
  }

  OpenOptions options_;
  std::vector<Frame> stack_;
  std::unique_ptr<MessageSource> child_;
};

}  // namespace

EntryKind entry_kind(const std::string& path, DirEntry::Type type) {
  // The type from the listing saves a stat per file; symlinks and file systems that give no type are asked.
  if (type == DirEntry::Type::file) return EntryKind::file;
  if (type == DirEntry::Type::directory) return EntryKind::directory;
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  if (ec) return EntryKind::skip;  // vanished since the listing
  const fs::file_status target = fs::is_symlink(link) ? fs::status(path, ec) : link;
  if (ec) return EntryKind::skip;  // dangling symlink
  if (fs::is_regular_file(target)) return EntryKind::file;
  if (fs::is_directory(target) && !fs::is_symlink(link)) return EntryKind::directory;
  return EntryKind::skip;
}

std::unique_ptr<MessageSource> open_directory(const std::string& path, const OpenOptions& options) {
  return std::make_unique<DirectorySource>(path, options);
}

}  // namespace spamcore::corpus::detail

// A directory tree of message files: entries by name at each level, dotfiles and dot-directories skipped,
// subdirectories that are Maildirs or MH folders read as such. Symlinks to files are followed, symlinks to
// directories are not (no loops).
#include <filesystem>

#include "corpus/readers.hpp"

namespace spamcore::corpus::detail {
namespace {

namespace fs = std::filesystem;

class DirectorySource final : public MessageSource {
 public:
  DirectorySource(const std::string& root, const OpenOptions& options) : options_(options) { push(root); }

  std::optional<RawMessage> next() override {
    for (;;) {
      if (child_) {
        if (auto m = child_->next()) return m;
        child_.reset();
      }
      if (stack_.empty()) return std::nullopt;
      Frame& top = stack_.back();
      if (top.next == top.names.size()) {
        stack_.pop_back();
        continue;
      }
      const std::string path = join(top.dir, top.names[top.next++]);
      std::error_code ec;
      const fs::file_status link = fs::symlink_status(path, ec);
      if (ec) continue;  // vanished since the listing
      const fs::file_status target = fs::is_symlink(link) ? fs::status(path, ec) : link;
      if (ec) continue;  // dangling symlink
      if (fs::is_regular_file(target)) return read_message_file(path);
      if (!fs::is_directory(target) || fs::is_symlink(link)) continue;
      switch (detect_directory(path)) {
        case CorpusKind::maildir: child_ = open_maildir(path, options_); break;
        case CorpusKind::mh: child_ = open_mh(path); break;
        default: push(path); break;
      }
    }
  }

 private:
  struct Frame {
    std::string dir;
    std::vector<std::string> names;  // without dotfiles, sorted
    std::size_t next = 0;
  };

  void push(const std::string& dir) {
    Frame frame{dir, {}, 0};
    for (std::string& name : sorted_entries(dir))
      if (name[0] != '.') frame.names.push_back(std::move(name));
    stack_.push_back(std::move(frame));
  }

  OpenOptions options_;
  std::vector<Frame> stack_;
  std::unique_ptr<MessageSource> child_;
};

}  // namespace

std::unique_ptr<MessageSource> open_directory(const std::string& path, const OpenOptions& options) {
  return std::make_unique<DirectorySource>(path, options);
}

}  // namespace spamcore::corpus::detail

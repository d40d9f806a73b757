// Maildir: cur/ then new/ (never tmp/), files by name, dotfiles skipped; then, when asked, the Maildir++
// subfolders (".Junk", ".Sent", ...) in name order.
#include <filesystem>

#include "corpus/readers.hpp"

namespace spamcore::corpus::detail {
namespace {

namespace fs = std::filesystem;

bool is_dir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

/// The message files of one Maildir (cur/ and new/), in reading order.
void list_maildir(const std::string& root, std::vector<std::string>& files) {
  for (const char* sub : {"cur", "new"}) {
    const std::string dir = join(root, sub);
    if (!is_dir(dir)) continue;
    for (const std::string& name : sorted_entries(dir)) {
      if (name[0] == '.') continue;
      std::string path = join(dir, name);
      if (is_file(path)) files.push_back(std::move(path));
    }
  }
}

class MaildirSource final : public MessageSource {
 public:
  MaildirSource(const std::string& root, const OpenOptions& options) {
    list_maildir(root, files_);
    if (!options.maildir_subfolders) return;
    for (const std::string& name : sorted_entries(root)) {
      if (name.size() < 2 || name[0] != '.') continue;
      const std::string sub = join(root, name);
      std::error_code ec;
      if (fs::is_symlink(sub, ec) || !is_maildir(sub)) continue;
      list_maildir(sub, files_);
    }
  }

  std::optional<RawMessage> next() override {
    if (next_ == files_.size()) return std::nullopt;
    return read_message_file(files_[next_++]);
  }

 private:
  std::vector<std::string> files_;  // names only: the messages are read one at a time
  std::size_t next_ = 0;
};

}  // namespace

bool is_maildir(const std::string& path) { return is_dir(join(path, "cur")) || is_dir(join(path, "new")); }

std::unique_ptr<MessageSource> open_maildir(const std::string& path, const OpenOptions& options) {
  return std::make_unique<MaildirSource>(path, options);
}

}  // namespace spamcore::corpus::detail

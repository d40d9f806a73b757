// Maildir: cur/ then new/ (never tmp/), files by name, dotfiles skipped; then, when asked, the Maildir++
// subfolders (".Junk", ".Sent", ...) in name order.
#include <filesystem>

#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"

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
  MaildirSource(const std::string& root, const OpenOptions& options) : files_(maildir_files(root, options)) {}

  std::optional<RawMessage> next() override {
    while (next_ < files_.size()) {
      const std::string& path = files_[next_++];
      try {
        return read_message_file(path);
      } catch (const Error&) {
        // A mail client renames a file when it marks it seen (new/ -> cur/, flags change): while the nightly
        // training runs, a listed file may be gone. That is not an error; anything else still is.
        std::error_code ec;
        if (fs::exists(path, ec) || ec) throw;
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> files_;  // names only: the messages are read one at a time
  std::size_t next_ = 0;
};

}  // namespace

std::vector<std::string> maildir_files(const std::string& root, const OpenOptions& options) {
  std::vector<std::string> files;
  list_maildir(root, files);
  if (!options.maildir_subfolders) return files;
  for (const std::string& name : sorted_entries(root)) {
    if (name.size() < 2 || name[0] != '.') continue;
    const std::string sub = join(root, name);
    std::error_code ec;
    if (fs::is_symlink(sub, ec) || !is_maildir(sub)) continue;
    list_maildir(sub, files);
  }
  return files;
}

bool is_maildir(const std::string& path) { return is_dir(join(path, "cur")) || is_dir(join(path, "new")); }

std::unique_ptr<MessageSource> open_maildir(const std::string& path, const OpenOptions& options) {
  return std::make_unique<MaildirSource>(path, options);
}

}  // namespace spamcore::corpus::detail

// Directory listing and the detection of directory kinds, shared by the readers. Listing uses readdir directly:
// std::filesystem builds a path object per entry, which cost more than the system calls on large corpora.
#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"

namespace spamcore::corpus::detail {

namespace fs = std::filesystem;

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::vector<DirEntry> sorted_dir_entries(const std::string& path) {
  const auto fail = [&](int err) {
    const std::string reason = std::error_code(err, std::system_category()).message();
    throw Error(ErrorKind::io, path, "cannot read directory: " + reason);
  };
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) fail(errno);
  std::vector<DirEntry> entries;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir);
    if (e == nullptr) {
      const int err = errno;
      ::closedir(dir);
      if (err != 0) fail(err);
      break;
    }
    const char* name = e->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    DirEntry::Type type = DirEntry::Type::other;
    switch (e->d_type) {
      case DT_UNKNOWN: type = DirEntry::Type::unknown; break;
      case DT_REG: type = DirEntry::Type::file; break;
      case DT_DIR: type = DirEntry::Type::directory; break;
      case DT_LNK: type = DirEntry::Type::symlink; break;
      default: break;
    }
    entries.push_back({name, type});
  }
  std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

std::vector<std::string> sorted_entries(const std::string& path) {
  std::vector<std::string> names;
  for (DirEntry& e : sorted_dir_entries(path)) names.push_back(std::move(e.name));
  return names;
}

CorpusKind classify_directory(const std::string& path, const std::vector<DirEntry>& entries) {
  const auto sequences = std::lower_bound(entries.begin(), entries.end(), std::string_view(".mh_sequences"),
                                          [](const DirEntry& e, std::string_view name) { return e.name < name; });
  if (sequences != entries.end() && sequences->name == ".mh_sequences") return CorpusKind::mh;
  bool any = false;
  for (const DirEntry& e : entries) {
    const std::string& name = e.name;
    if (name[0] == '.') continue;
    if (name.find_first_not_of("0123456789") != std::string::npos) return CorpusKind::directory;
    std::error_code ec;
    if (e.type != DirEntry::Type::file && !fs::is_regular_file(join(path, name), ec)) return CorpusKind::directory;
    any = true;
  }
  return any ? CorpusKind::mh : CorpusKind::directory;
}

CorpusKind detect_directory(const std::string& path) {
  if (is_maildir(path)) return CorpusKind::maildir;
  return classify_directory(path, sorted_dir_entries(path));
}

}  // namespace spamcore::corpus::detail

// Directory listing and the detection of directory kinds, shared by the readers.
#include <algorithm>
#include <filesystem>

#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"

namespace spamcore::corpus::detail {

namespace fs = std::filesystem;

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::vector<std::string> sorted_entries(const std::string& path) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(path, ec);
  const fs::directory_iterator end;
  while (!ec && it != end) {
    names.push_back(it->path().filename().string());
    it.increment(ec);
  }
  if (ec) throw Error(ErrorKind::io, path, "cannot read directory: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

CorpusKind detect_directory(const std::string& path) {
  if (is_maildir(path)) return CorpusKind::maildir;
  const std::vector<std::string> names = sorted_entries(path);
  if (std::binary_search(names.begin(), names.end(), ".mh_sequences")) return CorpusKind::mh;
  bool any = false;
  for (const std::string& name : names) {
    if (name[0] == '.') continue;
    if (name.find_first_not_of("0123456789") != std::string::npos) return CorpusKind::directory;
    std::error_code ec;
    if (!fs::is_regular_file(join(path, name), ec)) return CorpusKind::directory;
    any = true;
  }
  return any ? CorpusKind::mh : CorpusKind::directory;
}

}  // namespace spamcore::corpus::detail

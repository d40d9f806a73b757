// MH folder: files named by digits only, in numeric order (2 before 10); .mh_sequences and everything else ignored.
#include <algorithm>
#include <filesystem>

#include "corpus/readers.hpp"

namespace spamcore::corpus::detail {
namespace {

bool all_digits(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Numeric order of digit strings of any length: without leading zeros, shorter is smaller; ties by the full name.
bool numeric_less(const std::string& a, const std::string& b) {
  const std::size_t za = std::min(a.find_first_not_of('0'), a.size());
  const std::size_t zb = std::min(b.find_first_not_of('0'), b.size());
  const std::size_t la = a.size() - za, lb = b.size() - zb;
  if (la != lb) return la < lb;
  const int c = a.compare(za, la, b, zb, lb);
  return c != 0 ? c < 0 : a < b;
}

class MhSource final : public MessageSource {
 public:
  explicit MhSource(const std::string& root) : files_(mh_files(root)) {}

  std::optional<RawMessage> next() override {
    if (next_ == files_.size()) return std::nullopt;
    return read_message_file(files_[next_++]);
  }

 private:
  std::vector<std::string> files_;
  std::size_t next_ = 0;
};

}  // namespace

std::vector<std::string> mh_files(const std::string& root) {
  std::vector<std::string> names;
  for (std::string& name : sorted_entries(root))
    if (all_digits(name)) names.push_back(std::move(name));
  std::sort(names.begin(), names.end(), numeric_less);
  std::vector<std::string> files;
  for (const std::string& name : names) {
    std::string path = join(root, name);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) files.push_back(std::move(path));
  }
  return files;
}

std::unique_ptr<MessageSource> open_mh(const std::string& path) { return std::make_unique<MhSource>(path); }

}  // namespace spamcore::corpus::detail

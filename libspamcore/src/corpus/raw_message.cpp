#include "spamcore/corpus/source.hpp"

namespace spamcore::corpus {

std::string_view stored_bytes(std::string_view whole) {
  // The envelope goes first, then the cap: an mbox reader drops the separator line and keeps what follows.
  if (whole.starts_with("From ")) {
    const std::size_t eol = whole.find('\n');
    whole = eol == std::string_view::npos ? std::string_view() : whole.substr(eol + 1);
  }
  return whole.substr(0, kMaxMessageBytes);
}

std::string RawMessage::origin() const { return index < 0 ? path : path + ":" + std::to_string(index); }

}  // namespace spamcore::corpus

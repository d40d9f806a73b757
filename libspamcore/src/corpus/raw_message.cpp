#include "spamcore/corpus/source.hpp"

namespace spamcore::corpus {

std::string_view stored_bytes(std::string_view whole) {
  whole = whole.substr(0, kMaxMessageBytes);
  if (!whole.starts_with("From ")) return whole;
  const std::size_t eol = whole.find('\n');
  return eol == std::string_view::npos ? std::string_view() : whole.substr(eol + 1);
}

std::string RawMessage::origin() const { return index < 0 ? path : path + ":" + std::to_string(index); }

}  // namespace spamcore::corpus

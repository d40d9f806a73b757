#include "corpus/line_reader.hpp"

#include <cstring>

namespace spamcore::corpus::detail {

LineReader::LineReader(std::unique_ptr<ByteInput> input, std::size_t block)
    : input_(std::move(input)), buffer_(block) {}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {  // keep the partial line, move it to the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a line longer than the buffer
  const std::size_t n = input_->read(buffer_.data() + end_, buffer_.size() - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

bool LineReader::give(std::string_view& line, std::string_view piece) {
  line = piece;
  starts_line_ = previous_ended_;
  previous_ended_ = !piece.empty() && piece.back() == '\n';
  return true;
}

bool LineReader::next(std::string_view& line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    if (const void* nl = std::memchr(start + scanned_, '\n', available - scanned_)) {
      const std::size_t length = static_cast<std::size_t>(static_cast<const char*>(nl) - start) + 1;
      begin_ += length;
      scanned_ = 0;
      return give(line, std::string_view(start, length));
    }
    scanned_ = available;
    if (available >= kMaxLine) {
      begin_ += kMaxLine;
      scanned_ = 0;
      return give(line, std::string_view(start, kMaxLine));
    }
    if (!fill()) {
      if (begin_ == end_) return false;
      const std::string_view last(buffer_.data() + begin_, end_ - begin_);  // last line without a line ending
      begin_ = end_;
      scanned_ = 0;
      return give(line, last);
    }
  }
}

}  // namespace spamcore::corpus::detail

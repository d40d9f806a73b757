#pragma once
// Buffered line reader over a ByteInput: memory is the block size or the longest line, whichever is larger.
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "corpus/input.hpp"

namespace spamcore::corpus::detail {

class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteInput> input, std::size_t block = 256 * 1024);

  /// The next line with its line ending ('\n'; the last line of a file may have none), valid until the next call.
  /// A line longer than kMaxLine comes in pieces of kMaxLine bytes (memory stays bounded on hostile input).
  /// False at the end of the input.
  bool next(std::string_view& line);
  /// Whether the line next() returned last begins a line (false for the second and later pieces of a long line:
  /// they are not where an mbox separator or a ">From " quote can be).
  bool starts_line() const { return starts_line_; }

  const std::string& path() const { return input_->path(); }
  static constexpr std::size_t kMaxLine = std::size_t{1} << 20;

 private:
  bool fill();  ///< reads more bytes after end_; false at end of input

  std::unique_ptr<ByteInput> input_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;    ///< first unread byte
  std::size_t end_ = 0;      ///< one past the last buffered byte
  std::size_t scanned_ = 0;  ///< bytes after begin_ already known to hold no '\n'
  bool eof_ = false;
  bool starts_line_ = true;
  bool previous_ended_ = true;  ///< the line returned last ended with '\n'
  bool give(std::string_view& line, std::string_view piece);
};

}  // namespace spamcore::corpus::detail

#pragma once
// Byte inputs for the corpus readers: a plain file or a gzip stream (zlib), read in blocks; and a whole-file read.
// Private to the corpus module.
#include <cstddef>
#include <memory>
#include <string>

namespace spamcore::corpus::detail {

/// A sequential byte stream. read() returns 0 only at the end; failures throw Error naming the file.
class ByteInput {
 public:
  virtual ~ByteInput() = default;
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  virtual const std::string& path() const = 0;
};

/// `path` read as is (gzip = false) or decompressed with zlib (gzip = true). Throws Error(io) when it cannot open.
std::unique_ptr<ByteInput> open_input(const std::string& path, bool gzip);

/// The whole content of `path`. Throws Error(io) naming the file.
std::string read_whole_file(const std::string& path, std::size_t max = static_cast<std::size_t>(-1));

/// Up to `size` bytes from the start of `path` (fewer when the file is shorter). Throws Error(io) naming the file.
std::string read_file_prefix(const std::string& path, std::size_t size);

}  // namespace spamcore::corpus::detail

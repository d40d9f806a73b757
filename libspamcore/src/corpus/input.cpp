#include "corpus/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "spamcore/base/error.hpp"

namespace spamcore::corpus::detail {
namespace {

constexpr unsigned kGzBuffer = 256 * 1024;

/// An open file descriptor, closed on destruction.
class Fd {
 public:
  explicit Fd(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw_errno(path, "cannot open");
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

/// read(2) until `size` bytes or end of file; retries on EINTR.
std::size_t read_fully(int fd, const std::string& path, char* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, buffer + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(path, "read error");
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

class PlainInput final : public ByteInput {
 public:
  explicit PlainInput(std::string path) : path_(std::move(path)), fd_(path_) {}
  std::size_t read(char* buffer, std::size_t size) override {  // one read(2): a pipe gives what it has
    for (;;) {
      const ssize_t n = ::read(fd_.get(), buffer, size);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) throw_errno(path_, "read error");
    }
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  Fd fd_;
};

class GzInput final : public ByteInput {
 public:
  explicit GzInput(std::string path) : path_(std::move(path)) {
    errno = 0;
    gz_ = gzopen(path_.c_str(), "rb");
    if (gz_ == nullptr) {
      if (errno != 0) throw_errno(path_, "cannot open");
      throw Error(ErrorKind::io, path_, "cannot open: out of memory");
    }
    gzbuffer(gz_, kGzBuffer);
  }
  ~GzInput() override { gzclose(gz_); }
  GzInput(const GzInput&) = delete;
  GzInput& operator=(const GzInput&) = delete;

  std::size_t read(char* buffer, std::size_t size) override {
    if (size > INT_MAX) size = INT_MAX;
    errno = 0;
    const int n = gzread(gz_, buffer, static_cast<unsigned>(size));
    if (n > 0) return static_cast<std::size_t>(n);
    // 0 is the end or an error, -1 an error: ask zlib which. A truncated stream reports Z_BUF_ERROR.
    int code = Z_OK;
    const char* message = gzerror(gz_, &code);
    if (code == Z_OK || code == Z_STREAM_END) {
      if (n == 0) return 0;
      throw Error(ErrorKind::io, path_, "gzip read error");
    }
    if (code == Z_ERRNO) throw_errno(path_, "read error");
    std::string detail = message != nullptr ? message : "";
    if (detail.starts_with(path_ + ": ")) detail.erase(0, path_.size() + 2);  // zlib prefixes the path
    const std::string what = code == Z_BUF_ERROR ? "truncated gzip data" : "corrupt gzip data";
    throw Error(ErrorKind::format, path_, detail.empty() ? what : what + ": " + detail);
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  gzFile gz_ = nullptr;
};

}  // namespace

std::unique_ptr<ByteInput> open_input(const std::string& path, bool gzip) {
  if (gzip) return std::make_unique<GzInput>(path);
  return std::make_unique<PlainInput>(path);
}

std::string read_whole_file(const std::string& path, std::size_t max) {
  Fd fd(path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno(path, "cannot stat");
  if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::io, path, "is a directory");
  std::string out;
  // The size is a hint only (the file may grow or shrink while we read, or be a pipe).
  std::size_t capacity = std::min(max, st.st_size > 0 ? static_cast<std::size_t>(st.st_size) + 1 : 64 * 1024);
  std::size_t used = 0;
  for (;;) {
    out.resize(capacity);
    const std::size_t n = read_fully(fd.get(), path, out.data() + used, capacity - used);
    used += n;
    if (used < capacity || capacity == max) break;
    capacity = std::min(max, capacity * 2);
  }
  out.resize(used);
  return out;
}

std::string read_file_prefix(const std::string& path, std::size_t size) {
  Fd fd(path);
  std::string out(size, '\0');
  out.resize(read_fully(fd.get(), path, out.data(), size));
  return out;
}

}  // namespace spamcore::corpus::detail

#include "input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "spamcore/base/error.hpp"
#include "spamcore/corpus/source.hpp"

namespace spamcore::app {

std::string read_input(const std::string& file, std::size_t max) {
  const bool use_stdin = file.empty() || file == "-";
  const std::string name = use_stdin ? "<stdin>" : file;
  const int fd = use_stdin ? 0 : ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(name, "cannot open");
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      if (!use_stdin) ::close(fd);
      throw_errno(name, "cannot read");
    }
    const std::size_t keep = std::min(static_cast<std::size_t>(n), max - out.size());
    out.append(buf, keep);
    if (out.size() == max && !use_stdin) break;
  }
  if (!use_stdin) ::close(fd);
  return out;
}

std::string read_message(const std::string& file) {
  return read_input(file, corpus::kMaxMessageBytes + corpus::kEnvelopeAllowance);
}

void require_readable(const std::vector<std::string>& paths) {
  for (const std::string& path : paths)
    if (::access(path.c_str(), R_OK) != 0) throw_errno(path, "cannot open");
}

}  // namespace spamcore::app

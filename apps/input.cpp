#include "input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "spamcore/base/error.hpp"

namespace spamcore::app {

std::string read_message(const std::string& file) {
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
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (!use_stdin) ::close(fd);
  return out;
}

}  // namespace spamcore::app

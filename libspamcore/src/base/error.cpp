#include "spamcore/base/error.hpp"

#include <cerrno>
#include <cstring>

namespace spamcore {

Error::Error(ErrorKind kind, std::string path, std::string problem)
    : std::runtime_error(path.empty() ? problem : path + ": " + problem),
      kind_(kind),
      path_(std::move(path)),
      problem_(std::move(problem)) {}

void throw_errno(const std::string& path, const std::string& what) {
  const int err = errno;
  throw Error(ErrorKind::io, path, what + ": " + std::strerror(err));
}

}  // namespace spamcore

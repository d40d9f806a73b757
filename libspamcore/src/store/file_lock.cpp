#include "spamcore/store/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "spamcore/base/error.hpp"

namespace spamcore::store {

std::string resolve_model_link(const std::string& model_path) {
  // Link by link, so that a link to a model not yet written (the first training) is followed too; a relative
  // target is relative to its link's directory. A loop or an unreadable link leaves the path as it was.
  std::filesystem::path p(model_path);
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!std::filesystem::is_symlink(p, ec)) return p.string();
    const std::filesystem::path target = std::filesystem::read_symlink(p, ec);
    if (ec) return model_path;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return model_path;
}

FileLock::FileLock(const std::string& given_path) {
  const std::string model_path = resolve_model_link(given_path);
  const std::string path = model_path + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(ErrorKind::lock, path, std::string("cannot open lock file: ") + std::strerror(errno));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(fd_);
    throw Error(ErrorKind::lock, path, std::string("cannot lock: ") + std::strerror(err));
  }
  // Every writer holds this lock while its temporary file exists, so any temporary file seen now was left by a
  // writer that died (kill -9, power loss): remove them, or they pile up beside the model.
  const std::filesystem::path model(model_path);
  const std::filesystem::path dir = model.has_parent_path() ? model.parent_path() : std::filesystem::path(".");
  const std::string prefix = "." + model.filename().string() + ".tmp.";
  constexpr std::size_t kMkstempSuffix = 6;  // exactly: another model's temp file (".M.tmp.x.tmp.ABCDEF") is longer
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Its own error code: one entry that cannot be removed (a directory, a race) must not end the scan.
    std::error_code remove_ec;
    if (name.size() == prefix.size() + kMkstempSuffix && name.starts_with(prefix))
      std::filesystem::remove(it->path(), remove_ec);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace spamcore::store

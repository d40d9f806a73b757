#pragma once
// Serialises writers of a model: an exclusive flock on "<model>.lock", held for the object's lifetime.
#include <string>

namespace spamcore::store {

/// The file a model path names: a symbolic link is followed (to its final target, existing or not), so that a save
/// replaces the model and not the link, and every name of one model takes the same lock. Other paths as given.
std::string resolve_model_link(const std::string& model_path);

class FileLock {
 public:
  /// Blocks until the lock on "<model>.lock" is held, beside the model a link names (resolve_model_link). Throws
  /// Error(lock, ...) when it cannot be taken.
  explicit FileLock(const std::string& model_path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace spamcore::store

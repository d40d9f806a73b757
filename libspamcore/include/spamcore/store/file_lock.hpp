#pragma once
// Serialises writers of a model: an exclusive flock on "<model>.lock", held for the object's lifetime.
#include <string>

namespace spamcore::store {

class FileLock {
 public:
  /// Blocks until the lock on "<model_path>.lock" is held. Throws Error(lock, ...) when it cannot be taken.
  explicit FileLock(const std::string& model_path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace spamcore::store

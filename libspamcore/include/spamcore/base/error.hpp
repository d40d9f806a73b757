#pragma once
// The one exception type of libspamcore: an operation that cannot go on (unreadable file, corrupt model, usage).
// Broken mail is never an Error: mail::parse records it as an Issue instead.
#include <stdexcept>
#include <string>

namespace spamcore {

/// What went wrong, so that the CLI can map it to an exit code.
enum class ErrorKind { io, format, usage, model, lock };

/// An operation failed on `path`; what() is "<path>: <problem>".
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string path, std::string problem);
  ErrorKind kind() const noexcept { return kind_; }
  const std::string& path() const noexcept { return path_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  ErrorKind kind_;
  std::string path_;
  std::string problem_;
};

/// Error(io, path, "<what>: <strerror(errno)>") for a failed system call.
[[noreturn]] void throw_errno(const std::string& path, const std::string& what);

}  // namespace spamcore

#pragma once
// Runs the real spamcore binary (SPAMCORE_BIN) through the shell, with stdin from a string or file.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_util.hpp"

namespace spamcore::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// A fresh temporary directory, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "spamcore-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// `spamcore <args>` (args already shell-quoted as needed) with stdin from `stdin_file` (or /dev/null).
inline RunResult run_spamcore(const std::string& args, const std::string& stdin_file = "/dev/null") {
  TempDir tmp;
  const std::string cmd = shell_quote(SPAMCORE_BIN) + " " + args + " < " + shell_quote(stdin_file) + " > " +
                          shell_quote(tmp / "out") + " 2> " + shell_quote(tmp / "err");
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(tmp / "out");
  r.err = read_file(tmp / "err");
  return r;
}

}  // namespace spamcore::test

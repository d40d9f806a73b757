#pragma once
// Small helpers shared by the test executables.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace spamcore::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Writes `bytes` to `path` (replacing it), creating missing parent directories.
inline void write_file(const std::string& path, const std::string& bytes) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

/// data/fixtures/<relative>
inline std::string fixture_path(const std::string& relative) { return std::string(SPAMCORE_FIXTURES) + "/" + relative; }
inline std::string fixture(const std::string& relative) { return read_file(fixture_path(relative)); }

}  // namespace spamcore::test

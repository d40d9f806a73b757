#pragma once
// Small helpers shared by the test executables.
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

/// data/fixtures/<relative>
inline std::string fixture_path(const std::string& relative) { return std::string(SPAMCORE_FIXTURES) + "/" + relative; }
inline std::string fixture(const std::string& relative) { return read_file(fixture_path(relative)); }

}  // namespace spamcore::test

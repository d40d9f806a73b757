#pragma once
// Shared by the fuzz targets: inputs as text, and a scratch file for the readers that only take paths.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace spamcore::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A per-process file in /dev/shm (or /tmp) holding `bytes`; its path.
inline const std::string& scratch_file(std::string_view bytes, const char* suffix = "") {
  static const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  static std::string path;
  path = dir + "/spamcore-fuzz-" + std::to_string(getpid()) + suffix;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

}  // namespace spamcore::fuzz

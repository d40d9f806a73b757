// make_evasion SRC_DIR OUT_DIR [SEED]: for every applicable message file under SRC_DIR (sorted), writes
// OUT_DIR/plain/<name> and OUT_DIR/<transform>/<name> for each evasion (tests/evasion/transforms.hpp).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "transforms.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_evasion SRC_DIR OUT_DIR [SEED]\n");
    return 3;
  }
  const fs::path src = argv[1], out = argv[2];
  const std::uint64_t seed = argc > 3 ? std::stoull(argv[3]) : 1;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(src))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t used = 0;
  for (const std::string& dir : spamcore::evasion::transform_names()) fs::create_directories(out / dir);
  fs::create_directories(out / "plain");
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::ifstream in(files[i], std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string m = ss.str();
    if (!spamcore::evasion::applicable(m)) continue;
    ++used;
    const std::string name = files[i].filename().string();
    std::ofstream(out / "plain" / name, std::ios::binary) << m;
    for (const std::string& t : spamcore::evasion::transform_names())
      std::ofstream(out / t / name, std::ios::binary) << spamcore::evasion::transform(m, t, seed + i);
  }
  std::printf("make_evasion: %zu of %zu messages transformed\n", used, files.size());
  return 0;
}

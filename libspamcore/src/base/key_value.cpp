#include "spamcore/base/key_value.hpp"

namespace spamcore {

std::optional<KeyValues> parse_key_values(std::string_view text) {
  KeyValues out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    out.emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return out;
}

}  // namespace spamcore

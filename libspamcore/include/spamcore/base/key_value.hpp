#pragma once
// "key=value" lines: the text form of tokenizer settings and of a model's metadata.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spamcore {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

/// Splits lines at the first '='; blank lines skipped. nullopt when a non-blank line has no '='.
std::optional<KeyValues> parse_key_values(std::string_view text);

}  // namespace spamcore

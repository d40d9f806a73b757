#pragma once
// Reading the message argument `FILE|-` of score, filter, dump, tokens, learn.
#include <string>

namespace spamcore::app {

/// The whole of FILE, or of stdin for "-" (or empty). Throws spamcore::Error naming the file.
std::string read_message(const std::string& file);

}  // namespace spamcore::app

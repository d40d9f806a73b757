#pragma once
// Reading the FILE|- argument: the message of score, dump, tokens and learn (capped), the JSON of import (whole).
#include <cstddef>
#include <string>
#include <vector>

namespace spamcore::app {

/// FILE, or stdin for "-" (or empty), up to `max` bytes: past that, stdin is read to its end and dropped (the
/// writer, procmail, must not get SIGPIPE) and a file is not read further. Throws spamcore::Error naming the file.
std::string read_input(const std::string& file, std::size_t max);

/// A message as read_input keeps it: what the readers keep of a message (corpus::kMaxMessageBytes after an
/// envelope line), so a hostile multi-gigabyte message costs time, not memory.
std::string read_message(const std::string& file);

/// Throws spamcore::Error ("cannot open") for the first path that cannot be read: checked before any output, so a
/// mistyped last path does not leave the rows of the ones before it on stdout.
void require_readable(const std::vector<std::string>& paths);

/// A whole JSON export (no cap: a model's export may be large).
inline std::string read_all(const std::string& file) { return read_input(file, std::string().max_size()); }

}  // namespace spamcore::app

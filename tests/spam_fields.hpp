#pragma once
// The test's own reading of "every X-Spam-* field removed" (kept apart from the code under test): in the top
// header block (up to the first empty line; lines end at LF, CRLF or a bare CR), drop each line whose field name
// starts with X-Spam- (any case) and the continuation lines (starting with space or tab) that follow it.
#include <string>
#include <string_view>

namespace spamcore::test {

inline std::string without_spam_fields(std::string_view msg) {
  std::string out;
  bool in_header = true, dropping = false;
  std::size_t pos = 0;
  while (pos < msg.size()) {
    // A line ends at LF, CRLF or a bare CR (old Mac mail).
    std::size_t end = msg.find_first_of("\r\n", pos);
    end = end == std::string_view::npos                              ? msg.size()
          : msg[end] == '\r' && end + 1 < msg.size() && msg[end + 1] == '\n' ? end + 2
                                                                         : end + 1;
    const std::string_view line = msg.substr(pos, end - pos);
    pos = end;
    if (in_header && (line == "\n" || line == "\r\n" || line == "\r")) in_header = false;
    if (!in_header) {
      out += line;
      continue;
    }
    if (line[0] != ' ' && line[0] != '\t') {
      std::string name(line.substr(0, 7));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      dropping = name == "x-spam-";
    }
    if (!dropping) out += line;
  }
  return out;
}

}  // namespace spamcore::test

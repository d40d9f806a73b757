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

/// Our fields reduced to their names, X-Spam-Flag dropped: where they stand, not what they say. A second filter may
/// score a malformed message a little differently (once a forged field is gone a `From ` line becomes its envelope;
/// with no header in the parser's reading our fields are body text to it), but must put ours in the same place and
/// change nothing else. Lines end at LF, CRLF or a bare CR.
inline std::string spam_fields_unscored(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    std::size_t end = s.find_first_of("\r\n", pos);
    end = end == std::string_view::npos ? s.size() : end;
    const std::size_t next = end == s.size()                                                  ? end
                             : s[end] == '\r' && end + 1 < s.size() && s[end + 1] == '\n' ? end + 2
                                                                                            : end + 1;
    const std::string_view line = s.substr(pos, end - pos), ending = s.substr(end, next - end);
    if (line.starts_with("X-Spam-Status: ")) out.append("X-Spam-Status").append(ending);
    else if (line.starts_with("X-Spam-Score: ")) out.append("X-Spam-Score").append(ending);
    else if (line != "X-Spam-Flag: YES") out.append(line).append(ending);
    pos = next;
  }
  return out;
}

}  // namespace spamcore::test

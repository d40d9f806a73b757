#pragma once
// Raw bytes -> decoded Message. Never throws on bad mail: malformation becomes Message::issues.
#include <string>
#include <string_view>

#include "spamcore/base/limits.hpp"
#include "spamcore/mail/message.hpp"

namespace spamcore::mail {

/// Parses one message (a leading mbox `From ` line is skipped). Only the first limits.max_bytes are analysed.
Message parse(std::string_view bytes, const Limits& limits = {});

/// The charset parameter of a Content-Type value as parse() reads it into Part::charset (quoted or not, RFC 2231
/// forms, a missing ';'): lower case, trimmed; empty when there is none.
std::string content_type_charset(std::string_view content_type);

/// Where the header block of a message ends, as parse() reads it.
struct HeaderExtent {
  /// Where a field added at the end of the header block goes: before the blank line that ends it, before the
  /// first line that is not a field (0 when the message has no header block), or at the end of the input.
  std::size_t fields_end = 0;
  std::string line_ending = "\n";  ///< of the first header line: "\n", "\r\n" or "\r" (bare CR)
};
HeaderExtent header_extent(std::string_view bytes, const Limits& limits = {});

/// The message as JSON (headers, parts, decoded text, URLs, HTML signals, issues): what `spamcore dump` prints.
std::string to_json(const Message& message, int indent = 2);

}  // namespace spamcore::mail

#pragma once
// The header block of a message or MIME part: located and unfolded by hand, linear in its size.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "spamcore/base/limits.hpp"
#include "spamcore/mail/message.hpp"

namespace spamcore::mail::detail {

struct HeaderBlock {
  std::vector<HeaderField> fields;
  std::size_t body_offset = 0;  ///< where the body starts in the input (after the blank line)
  std::size_t fields_end = 0;   ///< where the fields end: at the blank line, a line that is no field, or the end
  std::string line_ending = "\n";  ///< line ending of the first header line ("\n", "\r\n" or "\r"); "\n" if none
};

/// Splits `bytes` into header fields and body. A first line that is not a field means no header block (issue
/// no_header, body_offset 0); a later line that is neither field nor continuation ends the block (bad_header_line).
/// Field values are unfolded, trimmed, capped at limits.max_line and RFC 2047 decoded into HeaderField::value
/// (unless `decode` is false: only where the block ends is wanted).
HeaderBlock parse_header_block(std::string_view bytes, const Limits& limits, std::vector<Issue>& issues,
                               bool decode = true);

/// A parsed structured header value: `type/subtype; name=value; ...` (Content-Type, Content-Disposition).
struct FieldParams {
  std::string value;  ///< the part before the first ';', lower case, trimmed, comments removed
  std::vector<std::pair<std::string, std::string>> params;  ///< names lower case; values unquoted, raw bytes

  /// The parameter `name`, joining RFC 2231 continuations (name*0, name*1*) and decoding name* (charset''%XX);
  /// empty when absent.
  std::string param(std::string_view name) const;
};

/// Tolerant parser for Content-Type / Content-Disposition values (quoted strings, comments, stray blanks).
FieldParams parse_field_params(std::string_view raw);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

/// Lower-cased, blank-trimmed copy.
std::string lower_trim(std::string_view s);

}  // namespace spamcore::mail::detail

#pragma once
// A decoded message: what the parser saw in hostile raw bytes, as plain structs (no mimetic types leak out).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spamcore::mail {

/// One header field, unfolded. Duplicates are kept, in order.
struct HeaderField {
  std::string name;   ///< as written (case kept), trimmed
  std::string raw;    ///< unfolded value, raw bytes, leading/trailing blanks trimmed
  std::string value;  ///< RFC 2047 decoded, converted to UTF-8
};

/// A malformation or limit met while parsing. Recorded, never thrown.
enum class IssueKind {
  truncated,            ///< message longer than Limits::max_bytes; the rest was not analysed
  long_line,            ///< a line over Limits::max_line was cut before MIME parsing
  no_header,            ///< the message does not start with a header block
  bad_header_line,      ///< a line in a header block that is neither a field nor a continuation
  too_many_headers,     ///< more than Limits::max_headers fields
  nul_bytes,            ///< NUL bytes in the message
  bare_cr,              ///< CR not followed by LF used as a line ending
  eight_bit_header,     ///< raw 8-bit bytes in a header value
  bad_encoded_word,     ///< an RFC 2047 encoded word that could not be decoded (left as written)
  depth_limit,          ///< MIME nesting deeper than Limits::max_depth
  part_limit,           ///< more MIME parts than Limits::max_parts
  nesting_prescan,      ///< too many multipart markers: MIME structure not parsed, body read as text
  missing_boundary,     ///< multipart without a boundary parameter, or whose boundary never appears
  bad_base64,           ///< characters outside the base64 alphabet, or a bad length
  bad_qp,               ///< malformed quoted-printable escapes
  unknown_encoding,     ///< Content-Transfer-Encoding not understood (body taken as is)
  unknown_charset,      ///< declared charset not known (fallback used)
  bad_charset,          ///< bytes invalid in the declared charset (replaced by U+FFFD)
  bad_content_type,     ///< Content-Type that does not parse as type/subtype
};

/// "truncated", "long-line", ... (stable names, used by `dump` and as features).
std::string_view to_string(IssueKind kind);

struct Issue {
  IssueKind kind;
  std::string detail;  ///< short human-readable context (may be empty)
};

/// What the HTML of a message reveals beyond its visible text.
struct HtmlSignals {
  std::size_t html_parts = 0;
  std::size_t images = 0;             ///< <img> tags
  std::size_t links = 0;              ///< <a href>, <area href>
  std::size_t forms = 0;              ///< <form>
  std::size_t scripts = 0;            ///< <script> elements (content dropped)
  std::size_t comments = 0;           ///< <!-- --> comments
  std::size_t comments_in_words = 0;  ///< comments with a letter right before and after (V<!-- -->iagra)
  std::size_t hidden_chars = 0;       ///< text bytes inside display:none / visibility:hidden elements
  std::size_t tiny_font_chars = 0;    ///< text bytes in font size 0 / font-size under 4px (size 1 is normal small print)
  std::size_t invisible_chars = 0;    ///< zero-width and other invisible code points in the text
  std::vector<std::string> tags;      ///< distinct start-tag names (lower case, letters and digits), first seen first, at most kMaxTagNames
  static constexpr std::size_t kMaxTagNames = 64;
};

/// One MIME leaf (or the whole body of a single-part message).
struct Part {
  std::string content_type;        ///< "type/subtype", lower case; "text/plain" when absent or broken
  std::string charset;             ///< declared charset parameter, lower case, unquoted; may be empty
  std::string transfer_encoding;   ///< lower case, trimmed; empty when absent
  std::string disposition;         ///< "inline", "attachment", or empty
  std::string filename;            ///< from Content-Disposition filename / Content-Type name, decoded
  std::size_t depth = 0;           ///< 0 for the top-level entity
  std::size_t encoded_size = 0;    ///< bytes of the body as transported
  std::size_t decoded_size = 0;    ///< bytes after transfer decoding
  bool is_text = false;            ///< text/plain or text/html read as text (not an attachment)
  bool is_html = false;
  std::string text;                ///< UTF-8 text (HTML already turned into visible text); empty for attachments
};

/// The decoded message.
struct Message {
  std::vector<HeaderField> headers;  ///< the top-level header block
  std::vector<Part> parts;           ///< leaves, in document order
  std::vector<std::string> urls;     ///< link targets and URLs seen in text, in order, duplicates kept
  HtmlSignals html;
  std::vector<Issue> issues;
  std::size_t raw_size = 0;          ///< bytes given to parse()
  std::size_t analysed_size = 0;     ///< bytes actually analysed (<= Limits::max_bytes)
  std::string line_ending;           ///< "\r\n", "\n" or "\r": what the header block used

  /// The first field called `name` (case-insensitive), decoded; nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
  /// True when an issue of this kind was recorded.
  bool has_issue(IssueKind kind) const;
  /// Every text part's text, joined by blank lines.
  std::string text() const;
};

}  // namespace spamcore::mail

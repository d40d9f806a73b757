#include "spamcore/mail/message.hpp"

#include "mail/header.hpp"

namespace spamcore::mail {

std::string_view to_string(IssueKind kind) {
  switch (kind) {
    case IssueKind::truncated: return "truncated";
    case IssueKind::long_line: return "long-line";
    case IssueKind::no_header: return "no-header";
    case IssueKind::bad_header_line: return "bad-header-line";
    case IssueKind::too_many_headers: return "too-many-headers";
    case IssueKind::nul_bytes: return "nul-bytes";
    case IssueKind::bare_cr: return "bare-cr";
    case IssueKind::eight_bit_header: return "8bit-header";
    case IssueKind::bad_encoded_word: return "bad-encoded-word";
    case IssueKind::depth_limit: return "depth-limit";
    case IssueKind::part_limit: return "part-limit";
    case IssueKind::nesting_prescan: return "nesting-prescan";
    case IssueKind::missing_boundary: return "missing-boundary";
    case IssueKind::bad_base64: return "bad-base64";
    case IssueKind::bad_qp: return "bad-qp";
    case IssueKind::unknown_encoding: return "unknown-encoding";
    case IssueKind::unknown_charset: return "unknown-charset";
    case IssueKind::bad_charset: return "bad-charset";
    case IssueKind::bad_content_type: return "bad-content-type";
  }
  return "unknown";
}

std::optional<std::string_view> Message::header(std::string_view name) const {
  for (const HeaderField& f : headers)
    if (detail::iequals(f.name, name)) return std::string_view(f.value);
  return std::nullopt;
}

bool Message::has_issue(IssueKind kind) const {
  for (const Issue& i : issues)
    if (i.kind == kind) return true;
  return false;
}

std::string Message::text() const {
  std::string out;
  for (const Part& p : parts) {
    if (!p.is_text || p.text.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += p.text;
  }
  return out;
}

}  // namespace spamcore::mail

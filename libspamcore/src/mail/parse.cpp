// mail::parse -- raw bytes to a decoded Message. The flow:
//   cap at max_bytes -> skip mbox envelope -> header block (ours, linear) -> body:
//     single part: decode it directly (most mail; mimetic is never involved)
//     multipart or message/rfc822: mime_tree walks it with mimetic, each leaf decoded the same way
//   leaf: Content-Type/-Disposition (ours) -> transfer decoding (ours) -> charset to UTF-8 -> HTML to text -> URLs
// Hostile input only ever adds Issues; nothing here throws for bad mail.
#include "spamcore/mail/parse.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "mail/charset.hpp"
#include "mail/codec.hpp"
#include "mail/header.hpp"
#include "mail/html_text.hpp"
#include "mail/mime_tree.hpp"
#include "mail/rfc2047.hpp"
#include "mail/scan.hpp"

namespace spamcore::mail {
namespace {

using detail::FieldParams;

std::string charset_param(const FieldParams& ct) { return detail::lower_trim(ct.param("charset")); }

void add_issue_once(std::vector<Issue>& issues, IssueKind kind, std::string detail = {}) {
  for (const Issue& i : issues)
    if (i.kind == kind) return;
  issues.push_back({kind, std::move(detail)});
}

bool has_bare_cr(std::string_view s) {
  if (s.empty()) return false;  // memchr must not see the null data() of an empty view
  for (const char* p = static_cast<const char*>(std::memchr(s.data(), '\r', s.size())); p;) {
    const std::size_t at = static_cast<std::size_t>(p - s.data());
    if (at + 1 >= s.size() || s[at + 1] != '\n') return true;
    p = static_cast<const char*>(std::memchr(p + 1, '\r', s.size() - at - 1));
  }
  return false;
}

// CRLF and bare CR become LF in decoded text. In place (the text only shrinks), moving the runs between CRs.
void normalise_newlines(std::string& s) {
  std::size_t r = detail::find_char(s, '\r');
  if (r == std::string::npos) return;
  char* const d = s.data();
  const std::size_t n = s.size();
  std::size_t w = r;
  while (r < n) {  // d[r] is a CR
    d[w++] = '\n';
    r += r + 1 < n && d[r + 1] == '\n' ? 2 : 1;
    const std::size_t cr = detail::find_char(s, '\r', r);
    const std::size_t run_end = cr == std::string::npos ? n : cr;
    std::memmove(d + w, d + r, run_end - r);
    w += run_end - r;
    r = run_end;
  }
  s.resize(w);
}

template <typename Fields>
std::string_view find_field(const Fields& fields, std::string_view name) {
  for (const auto& f : fields) {
    if constexpr (std::is_same_v<std::decay_t<decltype(f)>, HeaderField>) {
      if (detail::iequals(f.name, name)) return f.raw;
    } else {
      if (detail::iequals(f.first, name)) return f.second;
    }
  }
  return {};
}

class Decoder {
 public:
  explicit Decoder(Message& msg) : msg_(msg) {}

  // One leaf: its Content-Type, -Transfer-Encoding and -Disposition values (raw) and its encoded body.
  void leaf(std::string_view ct_raw, std::string_view cte_raw, std::string_view disp_raw, std::string_view body,
            std::size_t depth) {
    Part part;
    part.depth = depth;
    const FieldParams ct = detail::parse_field_params(ct_raw);
    part.content_type = ct.value;
    if (part.content_type.rfind("multipart/", 0) == 0) {
      part.content_type = "text/plain";  // a multipart mimetic could not split: its raw body is the text
    } else if (!valid_type(part.content_type)) {
      if (!ct_raw.empty()) add_issue_once(msg_.issues, IssueKind::bad_content_type, std::string(ct_raw.substr(0, 60)));
      part.content_type = "text/plain";
    }
    part.charset = charset_param(ct);
    part.transfer_encoding = detail::lower_trim(cte_raw);
    const FieldParams disp = detail::parse_field_params(disp_raw);
    part.disposition = disp.value;
    std::string filename = disp.param("filename");
    if (filename.empty()) filename = ct.param("name");
    if (!filename.empty()) part.filename = detail::decode_header_value(filename);
    part.encoded_size = body.size();

    // The data of the part: the body itself while nothing had to change it (identity transfer encoding, text that
    // is UTF-8 already, no CR), else `owned`. HTML is read from it in place; plain text gets its own copy once.
    std::string owned;
    const bool decoded = transfer_decode(part.transfer_encoding, body, owned);
    bool in_owned = decoded;
    std::string_view data = decoded ? std::string_view(owned) : body;
    part.decoded_size = data.size();

    const bool texty = part.content_type == "text/plain" || part.content_type == "text/html" ||
                       part.content_type == "text/enriched" || part.content_type == "text/richtext";
    part.is_text = texty && part.disposition != "attachment";
    part.is_html = part.is_text && part.content_type == "text/html";
    if (part.is_text) {
      detail::CharsetResult cr;
      if (std::optional<std::string> utf8 = detail::to_utf8_if_changed(data, part.charset, &cr)) {
        owned = std::move(*utf8);
        data = owned;
        in_owned = true;
      }
      if (cr.unknown_charset) add_issue_once(msg_.issues, IssueKind::unknown_charset, part.charset);
      if (cr.invalid_bytes) add_issue_once(msg_.issues, IssueKind::bad_charset, part.charset);
      if (detail::find_char(data, '\r') != std::string_view::npos) {
        if (!in_owned) owned = data;
        normalise_newlines(owned);
        data = owned;
        in_owned = true;
      }
      if (part.is_html) {
        detail::HtmlText h = detail::html_to_text(data);
        part.text = std::move(h.text);
        for (auto& u : h.urls) msg_.urls.push_back(std::move(u));
        detail::find_urls(part.text, msg_.urls);  // URLs written as visible text, outside any <a>
        add_signals(h.signals);
        ++msg_.html.html_parts;
      } else {
        part.text = in_owned ? std::move(owned) : std::string(data);
        detail::find_urls(part.text, msg_.urls);
        uudecode_attachment(part, depth);
      }
    }
    msg_.parts.push_back(std::move(part));
  }

 private:
  static bool valid_type(const std::string& t) {
    const auto slash = t.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == t.size()) return false;
    return std::all_of(t.begin(), t.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.' || c == '+' ||
             c == '_';
    });
  }

  // Decodes `body` into `out`; false (`out` untouched) when the body is the data as it is.
  bool transfer_decode(const std::string& cte, std::string_view body, std::string& out) {
    bool bad = false;
    if (cte == "base64") {
      out = detail::decode_base64(body, &bad);
      if (bad) add_issue_once(msg_.issues, IssueKind::bad_base64);
      return true;
    }
    if (cte == "quoted-printable") {
      out = detail::decode_qp(body, &bad);
      if (bad) add_issue_once(msg_.issues, IssueKind::bad_qp);
      return true;
    }
    if (cte == "x-uuencode" || cte == "uuencode" || cte == "x-uue") {
      std::string name;
      if (detail::decode_uuencode(body, &out, &name)) return true;
    }
    if (!cte.empty() && cte != "7bit" && cte != "8bit" && cte != "binary")
      add_issue_once(msg_.issues, IssueKind::unknown_encoding, cte);
    return false;
  }

  // An uuencoded file inside a plain text body is an attachment in disguise.
  void uudecode_attachment(Part& text_part, std::size_t depth) {
    const auto begin = detail::find_str(text_part.text, "begin ");
    if (begin == std::string::npos || (begin != 0 && text_part.text[begin - 1] != '\n')) return;
    std::string data, name;
    if (!detail::decode_uuencode(std::string_view(text_part.text).substr(begin), &data, &name)) return;
    Part att;
    att.content_type = "application/octet-stream";
    att.transfer_encoding = "x-uuencode";
    att.disposition = "attachment";
    att.filename = name;
    att.depth = depth;
    att.decoded_size = data.size();
    const auto end = detail::find_str(text_part.text, "\nend", begin);
    att.encoded_size = (end == std::string::npos ? text_part.text.size() : end) - begin;
    text_part.text.erase(begin, att.encoded_size);  // the encoded lines are noise as text
    pending_.push_back(std::move(att));
  }

  void add_signals(const HtmlSignals& s) {
    HtmlSignals& m = msg_.html;
    m.images += s.images;
    m.links += s.links;
    m.forms += s.forms;
    m.scripts += s.scripts;
    m.comments += s.comments;
    m.comments_in_words += s.comments_in_words;
    m.hidden_chars += s.hidden_chars;
    m.tiny_font_chars += s.tiny_font_chars;
    m.invisible_chars += s.invisible_chars;
    for (const std::string& t : s.tags)
      if (m.tags.size() < HtmlSignals::kMaxTagNames && std::find(m.tags.begin(), m.tags.end(), t) == m.tags.end())
        m.tags.push_back(t);
  }

 public:
  void flush_pending() {
    for (auto& p : pending_) msg_.parts.push_back(std::move(p));
    pending_.clear();
  }

 private:
  Message& msg_;
  std::vector<Part> pending_;
};

// Normalised Content-Type for mimetic: our own parse, so its naive parameter parsing never sees the raw value
// (libraries.md P5). A multipart without a usable boundary borrows the first "--x" line of the body.
std::string mime_content_type(const FieldParams& ct, std::string_view body, std::vector<Issue>& issues) {
  if (ct.value == "message/rfc822") return ct.value;
  std::string boundary = ct.param("boundary");
  // Line by line: each line start is compared once, and a comparison stops at the line's end (a boundary holds no
  // line break). Searching the body for the marker instead cost length times boundary length where the body repeats
  // the boundary's bytes: 15 s for a 60 KB boundary of dashes over 1 MB of dashes.
  auto present = [&](const std::string& b) {
    const std::string marker = "--" + b;
    const char* const end = body.data() + body.size();
    for (const char* at = body.data(); at < end;) {
      if (body.compare(static_cast<std::size_t>(at - body.data()), marker.size(), marker) == 0) return true;
      at = detail::find_any<'\r', '\n'>(at, end);
      if (at != end) ++at;
    }
    return false;
  };
  if (boundary.empty() || boundary.find_first_of("\"\r\n") != std::string::npos || !present(boundary)) {
    issues.push_back({IssueKind::missing_boundary, boundary.substr(0, 70)});
    boundary.clear();
    for (std::size_t at = 0; at < body.size();) {
      const bool line_start = at == 0 || body[at - 1] == '\n' || body[at - 1] == '\r';
      if (line_start && body.compare(at, 2, "--") == 0) {
        const auto eol = body.find_first_of("\r\n", at);
        std::string_view cand = body.substr(at + 2, (eol == std::string_view::npos ? body.size() : eol) - at - 2);
        while (!cand.empty() && (cand.back() == ' ' || cand.back() == '\t')) cand.remove_suffix(1);
        if (cand.size() >= 2 && cand.size() <= 200 && cand.find('"') == std::string_view::npos) {
          boundary = std::string(cand);
          break;
        }
      }
      const auto nl = body.find('\n', at);
      if (nl == std::string_view::npos) break;
      at = nl + 1;
    }
    if (boundary.empty()) return {};
  }
  return ct.value + "; boundary=\"" + boundary + "\"";
}

}  // namespace

namespace {

// The length of a leading mbox `From ` line, its line ending included (LF, CRLF, or a bare CR as in old Mac mail,
// whose lines have no LF at all); 0 when there is none.
std::size_t envelope_size(std::string_view bytes) {
  if (bytes.substr(0, 5) != "From ") return 0;
  const std::size_t i = bytes.find_first_of("\r\n");
  if (i == std::string_view::npos) return bytes.size();
  return bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n' ? i + 2 : i + 1;
}

}  // namespace

std::string content_type_charset(std::string_view content_type) {
  return charset_param(detail::parse_field_params(content_type));
}

HeaderExtent header_extent(std::string_view bytes, const Limits& limits) {
  const std::size_t skipped = envelope_size(bytes);
  std::vector<Issue> issues;
  // Where the block ends does not depend on the values: they are not decoded (filter asks twice per message).
  const detail::HeaderBlock hb = detail::parse_header_block(bytes.substr(skipped), limits, issues, false);
  return {skipped + hb.fields_end, hb.line_ending};
}

Message parse(std::string_view bytes, const Limits& limits) {
  // A message naming more charsets than this gets the rest treated as unknown (detail::CharsetBudget).
  constexpr std::size_t kNewCharsetsPerMessage = 32;
  const detail::CharsetBudget charsets(kNewCharsetsPerMessage);
  Message msg;
  msg.raw_size = bytes.size();
  if (bytes.size() > limits.max_bytes) {
    bytes = bytes.substr(0, limits.max_bytes);
    msg.issues.push_back({IssueKind::truncated, std::to_string(msg.raw_size) + " bytes"});
  }
  msg.analysed_size = bytes.size();
  bytes.remove_prefix(envelope_size(bytes));  // mbox envelope (libraries.md P1)
  if (!bytes.empty() && std::memchr(bytes.data(), '\0', bytes.size()) != nullptr)
    msg.issues.push_back({IssueKind::nul_bytes, {}});
  if (has_bare_cr(bytes)) msg.issues.push_back({IssueKind::bare_cr, {}});

  detail::HeaderBlock hb = detail::parse_header_block(bytes, limits, msg.issues);
  msg.headers = std::move(hb.fields);
  msg.line_ending = std::move(hb.line_ending);
  const std::string_view body = bytes.substr(std::min(hb.body_offset, bytes.size()));

  Decoder decoder(msg);
  const std::string_view ct_raw = find_field(msg.headers, "content-type");
  const FieldParams ct = detail::parse_field_params(ct_raw);
  const bool multipart = ct.value.rfind("multipart/", 0) == 0;
  std::string mime_ct;
  if (multipart || ct.value == "message/rfc822") mime_ct = mime_content_type(ct, body, msg.issues);
  if (mime_ct.empty()) {
    // Single part -- or a multipart whose boundary is nowhere: read the body as the text it is.
    decoder.leaf(multipart ? std::string_view{} : ct_raw, find_field(msg.headers, "content-transfer-encoding"),
                 find_field(msg.headers, "content-disposition"), body, 0);
  } else {
    detail::walk_mime(mime_ct, body, limits, msg.issues, [&](const detail::MimeLeaf& leaf) {
      decoder.leaf(find_field(leaf.fields, "content-type"), find_field(leaf.fields, "content-transfer-encoding"),
                   find_field(leaf.fields, "content-disposition"), leaf.body, leaf.depth);
    });
  }
  decoder.flush_pending();
  return msg;
}

}  // namespace spamcore::mail

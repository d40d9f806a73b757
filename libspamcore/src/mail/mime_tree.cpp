#include "mail/mime_tree.hpp"

#include <cstring>
#include <memory>

#include <mimetic/mimeentity.h>
#include <mimetic/parser/itparser.h>

#include "mail/scan.hpp"

namespace spamcore::mail::detail {
namespace {

// mimetic recurses once per nesting level and allocates ~870 bytes per part with no limits of its own
// (libraries.md P8-P10). Rather than refuse such input, cut it where the structure exceeds what we will walk:
// everything before the cut is still decoded normally.
constexpr std::size_t kMaxNestingMarkers = 64;   // "multipart/" or "message/rfc822" mentions
constexpr std::size_t kBoundaryLinesPerPart = 4;  // lines starting with "--" allowed per walked part

bool istarts(const char* p, const char* end, const char* lit) {
  const std::size_t n = std::strlen(lit);
  if (static_cast<std::size_t>(end - p) < n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if ((p[i] | 0x20) != lit[i]) return false;
  return true;
}

// A line that could start a header field: a name of printable characters, then ':'.
bool field_start(const char* p, const char* eol) {
  const char* q = p;
  while (q < eol && *q > ' ' && *q < 0x7f && *q != ':') ++q;
  return q > p && q < eol && *q == ':';
}

// Copies `body` into `out`, cutting lines longer than max_line and stopping at the first line that exceeds the
// nesting or part budget. Lines end at LF, CR or CRLF (mimetic accepts all three). The folded lines after a line that
// could start a header field are kept up to max_line bytes in all: mimetic grows a field's value 128 bytes at a time,
// each time copying it, so 1 MB of one folded part header cost a second.
void sanitise(std::string_view body, const Limits& limits, std::string& out, std::vector<Issue>& issues) {
  out.reserve(out.size() + body.size());
  const char* p = body.data();
  const char* const end = p + body.size();
  const char* copied = p;  // bytes before this are in `out` (lines kept whole are copied in runs)
  std::size_t markers = 0, dash_lines = 0;
  bool cut_long = false, cut_folded = false;
  bool after_field = false;  // the lines since the last one that could start a header field are all folded
  std::size_t folded = 0;    // their bytes
  const std::size_t max_dash = limits.max_parts * kBoundaryLinesPerPart;
  while (p < end) {
    if (end - p >= 2 && p[0] == '-' && p[1] == '-' && ++dash_lines > max_dash) {
      issues.push_back({IssueKind::part_limit, "boundary lines"});
      out.append(copied, p);
      return;
    }
    // One scan finds the end of the line and, on the way, each '/' (the anchor of the markers).
    const char* eol = p;
    bool too_nested = false;
    while (!too_nested && (eol = find_any<'\n', '\r', '/'>(eol, end)) != end && *eol == '/') {
      const char* q = eol++;
      if ((q - p >= 9 && istarts(q - 9, end, "multipart")) || (q - p >= 7 && istarts(q - 7, end, "message/rfc822")))
        too_nested = ++markers > kMaxNestingMarkers;
    }
    if (too_nested) {
      issues.push_back({IssueKind::nesting_prescan, std::to_string(kMaxNestingMarkers) + " multipart markers"});
      out.append(copied, p);
      return;
    }
    const char* next = eol;
    if (next < end) next += (*next == '\r' && next + 1 < end && next[1] == '\n') ? 2 : 1;
    const bool folded_line = p < eol && (*p == ' ' || *p == '\t');
    if (folded_line && after_field && (folded += static_cast<std::size_t>(next - p)) > limits.max_line) {
      out.append(copied, p);  // the line and its ending are dropped
      copied = next;
      cut_folded = true;
      p = next;
      continue;
    }
    if (!folded_line) {
      after_field = field_start(p, eol);
      folded = 0;
    }
    if (static_cast<std::size_t>(eol - p) > limits.max_line) {
      out.append(copied, p + limits.max_line);
      copied = eol;  // the line ending is kept
      cut_long = true;
    }
    p = next;
  }
  out.append(copied, p);
  if (cut_long) issues.push_back({IssueKind::long_line, "MIME body"});
  if (cut_folded) issues.push_back({IssueKind::long_line, "folded MIME header field"});
}

// mimetic's input-iterator parser with its hot loop, copy_until_boundary, done a line at a time instead of a byte at
// a time. Same result, quirks included: mimetic copies through a 4096-byte buffer that it flushes when 4093 bytes
// are in it, keeping the partial line; a line that alone fills it is flushed too, and the boundary test at the end
// of that line then sees only its part after the last flush. The loop below tracks where that buffer would start
// (`block`) so the same lines are tested; the bytes are the input's own, so the body is one append at the end.
class Parser final : public mimetic::IteratorParser<const char*, std::input_iterator_tag> {
 public:
  using IteratorParser::IteratorParser;

 private:
  void copy_until_boundary(mimetic::ParsingElem pe) override {
    constexpr std::ptrdiff_t kFlushAt = 4096 - 2 - 1;  // mimetic's blksz - 2 - nlsz
    const char* const start = m_bit;
    const char* const end = m_eit;
    const char* block = start;  // where mimetic's buffer starts in the input
    const char* line = start;   // where the boundary test looks: the line start, or a flush inside the line
    bool empty_line = true;
    const char* p = start;
    while (p != end) {
      if (p - block >= kFlushAt) {
        if (line == block) line = p;  // the whole buffer is one line: flushed, the line goes on from here
        block = line;
      }
      const char* const limit = end - block > kFlushAt ? block + kFlushAt : end;
      const char* const nl = find_any<'\r', '\n'>(p, limit);
      if (nl != p) empty_line = false;
      p = nl;
      if (p == limit) continue;
      // A line ending: CR, LF, CRLF or LFCR.
      const char* next = p + 1;
      if (next != end && *next == (*p == '\r' ? '\n' : '\r')) ++next;
      if (!empty_line && p - line >= 2 && line[0] == '-' && line[1] == '-' && isBoundary(std::string(line, p))) {
        // The line ending before the boundary belongs to it, when it is still in the buffer.
        std::ptrdiff_t keep = line - block;
        if (keep >= 2) {
          if (isnl(line[-1], line[-2])) {
            keep -= 2;
          } else if (isnl(line[-1])) {
            keep -= 1;
          }
        } else if (keep == 1 && isnl(block[0])) {
          keep = 0;
        }
        emit(start, block + keep, pe);
        m_bit = next;
        return;
      }
      p = next;
      line = p;
      empty_line = true;
    }
    emit(start, end, pe);
    m_bit = end;
  }

  void emit(const char* from, const char* to, mimetic::ParsingElem pe) {
    constexpr std::ptrdiff_t kMaxChunk = 1 << 30;  // onBlock takes an int
    for (; to - from > kMaxChunk; from += kMaxChunk) onBlock(from, static_cast<int>(kMaxChunk), pe);
    if (to != from) onBlock(from, static_cast<int>(to - from), pe);
  }
};

}  // namespace

void walk_mime(std::string_view content_type, std::string_view body, const Limits& limits,
               std::vector<Issue>& issues, const std::function<void(const MimeLeaf&)>& on_leaf) {
  std::string input = "Content-Type: ";
  input.append(content_type);
  input.append("\n\n");
  sanitise(body, limits, input, issues);

  // Never copy a MimeEntity (P7); hold it by pointer and read it only through const references (P6).
  auto root = std::make_unique<mimetic::MimeEntity>();
  {
    // Line-anchored boundary matching (P2).
    Parser parser(*root);
    parser.run(input.data(), input.data() + input.size());
  }

  struct Item {
    const mimetic::MimeEntity* entity;
    std::size_t depth;
  };
  std::vector<Item> stack{{root.get(), 0}};
  std::size_t visited = 0;
  bool depth_hit = false, parts_hit = false;
  std::vector<std::pair<std::string, std::string>> fields;
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (++visited > limits.max_parts) {
      parts_hit = true;
      break;
    }
    const mimetic::MimeEntity& e = *item.entity;
    const auto& children = e.body().parts();
    if (!children.empty()) {
      if (item.depth >= limits.max_depth) {
        depth_hit = true;
        continue;
      }
      // Reverse push so that leaves come out in document order.
      for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back({*it, item.depth + 1});
      continue;
    }
    fields.clear();
    const mimetic::Header& h = e.header();
    for (const mimetic::Field& f : h) fields.emplace_back(std::string(f.name()), f.value());
    std::string_view b = e.body();
    if (b.empty() && h.contentType().isMultipart()) {
      // A multipart whose boundary never came: mimetic filed everything as preamble.
      b = e.body().preamble();
      issues.push_back({IssueKind::missing_boundary, "nested multipart"});
    }
    on_leaf(MimeLeaf{fields, b, item.depth});
  }
  if (depth_hit) issues.push_back({IssueKind::depth_limit, std::to_string(limits.max_depth)});
  if (parts_hit) issues.push_back({IssueKind::part_limit, std::to_string(limits.max_parts)});
}

}  // namespace spamcore::mail::detail

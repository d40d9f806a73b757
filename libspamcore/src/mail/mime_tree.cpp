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

// Copies `body` into `out`, cutting lines longer than max_line and stopping at the first line that exceeds the
// nesting or part budget. Lines end at LF, CR or CRLF (mimetic accepts all three).
void sanitise(std::string_view body, const Limits& limits, std::string& out, std::vector<Issue>& issues) {
  out.reserve(out.size() + body.size());
  const char* p = body.data();
  const char* const end = p + body.size();
  const char* copied = p;  // bytes before this are in `out` (lines kept whole are copied in runs)
  std::size_t markers = 0, dash_lines = 0;
  bool cut_long = false;
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
    if (static_cast<std::size_t>(eol - p) > limits.max_line) {
      out.append(copied, p + limits.max_line);
      copied = eol;  // the line ending is kept
      cut_long = true;
    }
    p = next;
  }
  out.append(copied, p);
  if (cut_long) issues.push_back({IssueKind::long_line, "MIME body"});
}

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
    mimetic::IteratorParser<const char*, std::input_iterator_tag> parser(*root);
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

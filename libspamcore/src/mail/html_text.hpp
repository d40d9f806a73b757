#pragma once
// HTML -> visible text, linear time on any input (hand-written: libraries.md section 3, P14).
#include <string>
#include <string_view>
#include <vector>

#include "spamcore/mail/message.hpp"

namespace spamcore::mail::detail {

struct HtmlText {
  std::string text;               ///< visible text, UTF-8; block tags become line breaks, inline tags nothing
  std::vector<std::string> urls;  ///< a/area href, form action, img src (entity-decoded, trimmed), in order
  HtmlSignals signals;            ///< counts for this document (html_parts is left 0; the caller counts parts)
};

/// `html` must already be UTF-8. NUL bytes are dropped; comments and <script>/<style>/<template>/<iframe> content
/// skipped (<head> holds nothing else visible; <title> text is kept as a line); &name; (common set) and &#n; / &#xh;
/// decoded. Text inside hidden (display:none, visibility:hidden, hidden) or tiny-font (font size 0, CSS under 4px)
/// elements is left out of `text` -- it is there to poison filters, not for the reader -- and counted in signals.
HtmlText html_to_text(std::string_view html);

/// Appends the URLs found in plain text (http://, https://, ftp://, www.) to `out`, as written.
void find_urls(std::string_view text, std::vector<std::string>& out);

}  // namespace spamcore::mail::detail

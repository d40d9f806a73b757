#pragma once
// The MIME tree of a multipart (or message/rfc822) body, read with mimetic and handed out as plain leaves.
// mimetic stays inside mime_tree.cpp (libraries.md P11).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spamcore/base/limits.hpp"
#include "spamcore/mail/message.hpp"

namespace spamcore::mail::detail {

struct MimeLeaf {
  const std::vector<std::pair<std::string, std::string>>& fields;  ///< the leaf's header fields, unfolded
  std::string_view body;                                           ///< still transfer-encoded
  std::size_t depth;
};

/// Parses `content_type` (a normalised Content-Type value such as `multipart/mixed; boundary="b"`) over `body`
/// and calls on_leaf for each leaf in document order, within limits.max_depth and limits.max_parts. Input that
/// would make mimetic blow up (deep nesting, part floods, huge lines) is cut first and recorded as issues.
void walk_mime(std::string_view content_type, std::string_view body, const Limits& limits,
               std::vector<Issue>& issues, const std::function<void(const MimeLeaf&)>& on_leaf);

}  // namespace spamcore::mail::detail

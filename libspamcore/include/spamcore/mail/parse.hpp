#pragma once
// Raw bytes -> decoded Message. Never throws on bad mail: malformation becomes Message::issues.
#include <string_view>

#include "spamcore/base/limits.hpp"
#include "spamcore/mail/message.hpp"

namespace spamcore::mail {

/// Parses one message (a leading mbox `From ` line is skipped). Only the first limits.max_bytes are analysed.
Message parse(std::string_view bytes, const Limits& limits = {});

/// The message as JSON (headers, parts, decoded text, URLs, HTML signals, issues): what `spamcore dump` prints.
std::string to_json(const Message& message, int indent = 2);

}  // namespace spamcore::mail

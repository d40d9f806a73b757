#pragma once
// A corpus is read as a stream of raw messages, one at a time, whatever its on-disk format.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spamcore::corpus {

/// Bytes kept of one message: the rest is read past and dropped, so a hostile 4 GB message (or a .gz that inflates
/// to one) costs time, not memory. Analysis reads far less (Limits::max_bytes, 1 MiB by default).
inline constexpr std::size_t kMaxMessageBytes = std::size_t{64} << 20;
/// Bytes read beyond kMaxMessageBytes so that a leading mbox `From ` line (dropped before the cap applies) does not
/// shorten what is kept.
inline constexpr std::size_t kEnvelopeAllowance = 64 * 1024;

/// A message handed over whole (a file, stdin) as the readers keep it: at most kMaxMessageBytes, without a leading
/// mbox `From ` line. Train and learn digest these bytes, so a message is the same message whichever way it came.
std::string_view stored_bytes(std::string_view whole);

/// One message as stored, with where it came from.
struct RawMessage {
  std::string path;          ///< the file it was read from
  std::int64_t index = -1;   ///< 0-based position inside an mbox; -1 when the file is the message
  std::string bytes;         ///< the message without any mbox envelope line, >From-unquoted
  std::string envelope;      ///< the mbox `From ` line that preceded it (no line ending), if any
  std::string judgement;     ///< the label of a TREC index line, case kept ("spam", "Ham", "SPAM"); else empty

  /// "path" or "path:index", the name used in listings and score files.
  std::string origin() const;
};

/// A stream of messages; next() returns nullopt at the end. Throws spamcore::Error on I/O or format failure.
class MessageSource {
 public:
  virtual ~MessageSource() = default;
  virtual std::optional<RawMessage> next() = 0;
};

}  // namespace spamcore::corpus

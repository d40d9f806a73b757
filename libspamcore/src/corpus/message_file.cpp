// A single file that is one message (also every file of a directory, Maildir, MH folder or TREC index).
#include "corpus/input.hpp"
#include "corpus/readers.hpp"

namespace spamcore::corpus::detail {

void take_envelope(std::string& bytes, std::string& envelope) {
  if (bytes.compare(0, 5, "From ") != 0) return;
  std::size_t eol = bytes.find('\n');
  const std::size_t next = eol == std::string::npos ? bytes.size() : eol + 1;
  if (eol == std::string::npos) eol = bytes.size();
  if (eol > 0 && bytes[eol - 1] == '\r') --eol;
  envelope.assign(bytes, 0, eol);
  bytes.erase(0, next);
}

RawMessage read_message_file(const std::string& path) {
  RawMessage m;
  m.path = path;
  // As stored_bytes() and the mbox reader: the envelope line goes, then the cap applies to what follows it.
  m.bytes = read_whole_file(path, kMaxMessageBytes + kEnvelopeAllowance);
  take_envelope(m.bytes, m.envelope);
  if (m.bytes.size() > kMaxMessageBytes) {
    m.bytes.resize(kMaxMessageBytes);
    m.bytes.shrink_to_fit();
  }
  return m;
}

namespace {

class MessageFileSource final : public MessageSource {
 public:
  explicit MessageFileSource(std::string path) : path_(std::move(path)) {}
  std::optional<RawMessage> next() override {
    if (done_) return std::nullopt;
    done_ = true;
    return read_message_file(path_);
  }

 private:
  std::string path_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<MessageSource> open_message_file(const std::string& path) {
  return std::make_unique<MessageFileSource>(path);
}

}  // namespace spamcore::corpus::detail

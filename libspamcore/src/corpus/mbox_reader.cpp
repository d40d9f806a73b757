// mbox (mboxrd), plain or gzip, streamed: only the message being assembled is held in memory.
//
// A message starts at an envelope line ("From <token> ... d:dd ...") at the start of the file or after an empty
// line; that empty line separates and belongs to no message. ">From " lines lose one '>' (mboxrd); line endings
// are kept as found. The first line of the file is the envelope whenever it starts with "From ".
#include <cctype>

#include "corpus/line_reader.hpp"
#include "corpus/readers.hpp"

namespace spamcore::corpus::detail {

bool is_envelope_line(std::string_view line) {
  if (line.size() < 6 || line.compare(0, 5, "From ") != 0) return false;
  std::size_t i = 5;
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (blank(line[i])) return false;
  while (i < line.size() && !blank(line[i])) ++i;  // the sender token
  for (; i + 3 < line.size(); ++i) {
    if (digit(line[i]) && line[i + 1] == ':' && digit(line[i + 2]) && digit(line[i + 3])) return true;
  }
  return false;
}

namespace {

bool is_empty_line(std::string_view line) { return line == "\n" || line == "\r\n"; }

std::string_view without_line_ending(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

/// ">From ", ">>From ", ...: true when the line is a quoted From line.
bool is_quoted_from(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return i > 0 && line.compare(i, 5, "From ") == 0;
}

class MboxSource final : public MessageSource {
 public:
  MboxSource(const std::string& path, bool gzip) : path_(path), lines_(open_input(path, gzip)) {}

  std::optional<RawMessage> next() override {
    for (;;) {
      if (done_) return std::nullopt;
      RawMessage m;
      m.path = path_;
      std::string_view line;
      bool previous_empty = false;
      std::size_t before_previous = 0;  // size of m.bytes before the previous line went in (part of it, or none)
      if (first_) {
        first_ = false;
        if (!lines_.next(line)) {
          done_ = true;
          return std::nullopt;
        }
        if (line.compare(0, 5, "From ") == 0) {
          m.envelope = without_line_ending(line);
        } else {  // no envelope at the start (possible in a .gz): the leading text is a message of its own
          before_previous = m.bytes.size();
          append(m.bytes, line, true);
          previous_empty = is_empty_line(line);
        }
      } else {
        m.envelope = std::move(pending_envelope_);
        pending_envelope_.clear();
      }
      for (;;) {
        if (!lines_.next(line)) {
          done_ = true;
          break;
        }
        const bool line_start = lines_.starts_line();  // not a later piece of a line over LineReader::kMaxLine
        if (previous_empty && line_start && is_envelope_line(line)) {
          pending_envelope_ = without_line_ending(line);
          break;
        }
        before_previous = m.bytes.size();
        append(m.bytes, line, line_start);
        previous_empty = line_start && is_empty_line(line);
      }
      // The empty line before the next envelope, or at the end of the file, is the separator: whatever of it went
      // in comes out (at the size cap, that may be nothing).
      if (previous_empty) m.bytes.resize(before_previous);
      if (m.envelope.empty() && m.bytes.empty()) continue;  // only blank lines before the first envelope
      m.index = count_++;
      return m;
    }
  }

 private:
  static void append(std::string& bytes, std::string_view line, bool line_start) {
    if (line_start && line[0] == '>' && is_quoted_from(line)) line.remove_prefix(1);
    if (bytes.size() >= kMaxMessageBytes) return;  // read past, not kept
    bytes.append(line.substr(0, kMaxMessageBytes - bytes.size()));
  }

  std::string path_;
  LineReader lines_;
  std::string pending_envelope_;
  std::int64_t count_ = 0;
  bool first_ = true;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<MessageSource> open_mbox(const std::string& path, bool gzip) {
  return std::make_unique<MboxSource>(path, gzip);
}

}  // namespace spamcore::corpus::detail

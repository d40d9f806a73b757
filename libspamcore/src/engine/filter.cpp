// engine::filter -- the never-lose-mail pipe. The flow:
//   open the model (a failure is remembered, not thrown) -> read until the header block has ended and the
//   analysed prefix is in memory (or EOF, or the header cap) -> score the prefix -> write the header block with
//   X-Spam-* replaced by ours (or, if anything failed, the bytes exactly as read) -> stream the rest through.
// Nothing before the final copy may throw: every failure becomes "pass through unchanged" plus an error text.
#include "spamcore/engine/filter.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <new>
#include <optional>
#include <vector>

#include "spamcore/base/error.hpp"
#include "spamcore/engine/scorer.hpp"
#include "spamcore/mail/parse.hpp"

namespace spamcore::engine {
namespace {

constexpr std::size_t kChunk = std::size_t{1} << 16;

// Appends up to one chunk; false at end of input.
bool read_chunk(int fd, std::string& buf, const std::string& name) {
  const std::size_t old = buf.size();
  buf.resize(old + kChunk);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data() + old, kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      buf.resize(old);
      throw_errno(name, "cannot read");
    }
    buf.resize(old + static_cast<std::size_t>(n));
    return n > 0;
  }
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("<stdout>", "cannot write");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// The header block ends at the first empty line ("\n" or "\r\n"). Scanning resumes at `line_start`, the first
// line not yet known to be complete, and the search for its end at `searched`, where the last search stopped: a
// header line of many chunks is read through once, not once per chunk.
struct HeaderEnd {
  std::size_t fields_end = 0;  ///< where the empty line starts
  std::size_t body_start = 0;  ///< just after it
  bool found = false;
};

HeaderEnd find_header_end(std::string_view s, std::size_t& line_start, std::size_t& searched) {
  while (line_start < s.size()) {
    const std::size_t p = line_start;
    if (s[p] == '\n') return {p, p + 1, true};
    if (s[p] == '\r' && p + 1 < s.size() && s[p + 1] == '\n') return {p, p + 2, true};
    const std::size_t nl = s.find('\n', std::max(p, searched));
    if (nl == std::string_view::npos) {
      searched = s.size();
      break;
    }
    line_start = nl + 1;
  }
  return {};
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

// The end of the line that starts at `pos`, its ending included. Lines end at LF (CRLF included) -- what mail
// programs downstream read -- and, in mail whose lines end in a bare CR (old Mac mail), at CR too. A stray CR inside
// a line of LF mail does not end it: a reader of the output would not see a new line there either.
std::size_t line_end(std::string_view s, std::size_t pos, bool bare_cr_lines) {
  const std::size_t i = bare_cr_lines ? s.find_first_of("\r\n", pos) : s.find('\n', pos);
  if (i == std::string_view::npos) return s.size();
  return s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n' ? i + 2 : i + 1;
}

bool is_line_break(char c) { return c == '\n' || c == '\r'; }

// The head of the message (its header, maybe more) with forged X-Spam-* fields removed -- up to the first empty
// line, as far as downstream readers would still take them for header fields -- and ours added where the parser
// ends the header block of what is left. Placing ours in what is left, not in what came, makes a second filter
// put them in the same place: it sees the same message once ours are removed. Our fields start and end whole lines
// as the mail's own lines are cut (LF, or CR in bare-CR mail). nullopt: nowhere to put them without changing a byte.
std::optional<std::string> rewrite_header(std::string_view head, const Limits& limits, const model::Score& score,
                                          std::string_view algorithm, std::string_view digest) {
  // Bare-CR mail: its first line ends in CR and no LF comes before the end of its header (a CR inside a line of LF
  // mail, however early, does not make it CR mail).
  const mail::HeaderExtent came = mail::header_extent(head, limits);
  // Where the parser ends the fields says nothing here: after a stray CR, LF mail looks like CR mail up to it. Bare-CR
  // mail has no LF before its first CR-style empty line at all.
  const bool cr = came.line_ending == "\r" && head.substr(0, head.find("\r\r")).find('\n') == std::string_view::npos;
  auto ends_line = [cr](char c) { return c == '\n' || (cr && c == '\r'); };
  auto first_empty_line = [&](std::string_view s) {
    for (std::size_t pos = 0; pos < s.size(); pos = line_end(s, pos, cr))
      if (is_line_break(s[pos]) && (line_end(s, pos, cr) - pos == 1 || s.substr(pos, 2) == "\r\n")) return pos;
    return s.size();
  };
  const std::size_t empty_line = first_empty_line(head);
  std::string kept = strip_spam_fields(head.substr(0, empty_line), cr);
  const std::size_t header_end = kept.size();  // the empty line (or the end) follows
  kept.append(head.substr(empty_line));
  const std::string_view k(kept);
  const mail::HeaderExtent extent = mail::header_extent(k, limits);
  // The start of the last field: of the last line before the empty line that is not a continuation (0 if none).
  std::size_t last_field = 0;
  for (std::size_t pos = 0; pos < header_end; pos = line_end(k, pos, cr))
    if (k[pos] != ' ' && k[pos] != '\t') last_field = pos;
  std::size_t at = std::min(extent.fields_end, header_end);
  // The parser also ends lines at a stray CR; in LF mail ours go at the start of the next whole line.
  if (at > 0 && !ends_line(k[at - 1])) {
    const std::size_t next = line_end(k, at, cr);
    at = next < k.size() && ends_line(k[next - 1]) ? std::min(next, header_end) : k.size();
  }
  // A first line that starts with a blank (no header at all): ours in front would adopt it as a continuation, and
  // the next filter would strip it with them. Such mail gets ours at the first empty line.
  if (at < k.size() && (k[at] == ' ' || k[at] == '\t')) at = header_end;
  // An unterminated last line (all header, no final newline) keeps its bytes: ours go before its whole field.
  if (at == k.size() && !k.empty() && !ends_line(k.back())) at = std::min(last_field, header_end);
  // Only indented lines and no line end at all: nowhere to put a field without changing a byte.
  if (at < k.size() && (k[at] == ' ' || k[at] == '\t')) return std::nullopt;
  // Our lines end as the line before them does (or as the first line, when they come first).
  std::string_view eol = cr                              ? std::string_view("\r")
                         : came.line_ending == "\r\n" ? std::string_view("\r\n")
                                                        : std::string_view("\n");
  if (at > 0 && ends_line(k[at - 1]))
    eol = at >= 2 && k.substr(at - 2, 2) == "\r\n" ? k.substr(at - 2, 2) : k.substr(at - 1, 1);
  std::string out(k.substr(0, at));
  out += spam_header_fields(score, algorithm, digest, eol);
  out.append(k.substr(at));
  return out;
}

}  // namespace

std::string spam_header_fields(const model::Score& score, std::string_view algorithm, std::string_view model_digest,
                               std::string_view eol) {
  const char* status = score.verdict == model::Verdict::spam ? "Yes"
                       : score.verdict == model::Verdict::ham ? "No"
                                                              : "Unsure";
  char p[32];
  std::snprintf(p, sizeof p, "%.6f", score.probability);
  std::string out = "X-Spam-Status: " + std::string(status) + ", score=" + p + ", algo=" + std::string(algorithm) +
                    ", model=" + std::string(model_digest);
  out += eol;
  out += "X-Spam-Score: " + std::string(p);
  out += eol;
  if (score.verdict == model::Verdict::spam) {
    out += "X-Spam-Flag: YES";
    out += eol;
  }
  return out;
}

std::string strip_spam_fields(std::string_view block, bool bare_cr_lines) {
  std::string out;
  out.reserve(block.size());
  bool skipping = false;
  std::size_t pos = 0;
  while (pos < block.size()) {
    const std::size_t end = line_end(block, pos, bare_cr_lines);
    const std::string_view line = block.substr(pos, end - pos);
    const bool continuation = line[0] == ' ' || line[0] == '\t';
    if (!continuation) skipping = starts_with_ci(line, "x-spam-");
    if (!skipping) out += line;
    pos = end;
  }
  return out;
}

FilterOutcome filter(int in_fd, int out_fd, const FilterOptions& options) {
  FilterOutcome r;
  std::optional<Scorer> scorer;
  std::size_t analysed = Limits{}.max_bytes, raw_prefix = 0;
  try {
    scorer.emplace(Scorer::open(options.model_path));
    const tokenize::TokenizerSettings& t = scorer->model().config().tokenizer;
    analysed = t.limits.max_bytes;
    if (t.byte_ngrams > 0) raw_prefix = t.byte_ngram_prefix;
  } catch (const std::exception& e) {
    r.error = e.what();
  }

  // What the tokenizer reads of a whole message, as `score` gives it: one byte past what is analysed, so that the
  // parser knows the message was cut (its "truncated" feature), and the raw bytes its byte n-grams are taken from.
  const std::size_t wanted = std::max(analysed + (analysed < SIZE_MAX ? 1 : 0), raw_prefix);
  std::string head;
  std::size_t line_start = 0, searched = 0;
  HeaderEnd end;
  bool eof = false;
  try {
    for (;;) {
      end = find_header_end(head, line_start, searched);
      if (end.found && head.size() >= wanted) break;
      if (!end.found && head.size() >= options.max_header_bytes) break;
      if (eof) break;
      eof = !read_chunk(in_fd, head, options.input_name);
    }
  } catch (const std::bad_alloc&) {
    scorer.reset();
    r.error = options.input_name + ": out of memory while reading the header";
  } catch (...) {
    write_all(out_fd, head);  // what was read still goes out; the read error is the caller's to report
    throw;
  }

  std::string rewritten;
  if (scorer && !end.found && !eof) {
    r.error = options.input_name + ": header block longer than " + std::to_string(options.max_header_bytes) +
              " bytes; passed through unchanged";
  } else if (scorer) {
    try {
      const std::string_view message(head.data(), std::min(head.size(), wanted));
      r.score = scorer->score(message);
      r.model_digest = scorer->model().digest();
      // Where the parser ends the header block: before the blank line, before a line that is not a field (at the
      // top when there is no header at all), with the message's own line ending (LF, CRLF or bare CR).
      const std::string_view top = std::string_view(head).substr(0, end.found ? end.body_start : head.size());
      std::optional<std::string> with_ours =
          rewrite_header(top, scorer->model().config().tokenizer.limits, r.score,
                         model::to_string(scorer->model().config().algorithm), r.model_digest);
      if (with_ours) {
        rewritten = std::move(*with_ours);
        rewritten.append(head, top.size());
        r.classified = true;
      } else {
        r.error = options.input_name + ": only indented lines and no line end: no place for our fields that keeps "
                                       "every byte; passed through unchanged";
      }
    } catch (const std::exception& e) {
      r.error = e.what();
      rewritten.clear();
    }
  }
  write_all(out_fd, r.classified ? rewritten : head);
  head.clear();
  head.shrink_to_fit();
  std::string buf;
  while (!eof) {
    buf.clear();
    eof = !read_chunk(in_fd, buf, options.input_name);
    write_all(out_fd, buf);
  }
  return r;
}

}  // namespace spamcore::engine

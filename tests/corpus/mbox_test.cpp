// mbox reading: splitting rules, mboxrd unquoting, line endings, gzip (also corrupt and truncated), streaming.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_util.hpp"
#include "corpus/line_reader.hpp"
#include "corpus/readers.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"

using namespace spamcore;
using spamcore::test::TempDir;
using spamcore::test::write_file;

namespace {

std::vector<corpus::RawMessage> read_all(const std::string& path) {
  std::vector<corpus::RawMessage> out;
  auto source = corpus::open(path);
  while (auto m = source->next()) out.push_back(std::move(*m));
  return out;
}

void write_gz(const std::string& path, const std::string& content) {
  gzFile gz = gzopen(path.c_str(), "wb6");
  REQUIRE(gz != nullptr);
  REQUIRE(gzwrite(gz, content.data(), static_cast<unsigned>(content.size())) == static_cast<int>(content.size()));
  REQUIRE(gzclose(gz) == Z_OK);
}

/// The messages of `content` read as an mbox file.
std::vector<corpus::RawMessage> mbox(const std::string& content) {
  TempDir tmp;
  write_file(tmp / "m.mbox", content);
  REQUIRE(corpus::detect(tmp / "m.mbox") == corpus::CorpusKind::mbox);
  return read_all(tmp / "m.mbox");
}

std::vector<std::string> bodies(const std::vector<corpus::RawMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.bytes);
  return out;
}

using Strings = std::vector<std::string>;

const std::string kEnv1 = "From alice@example.com Mon Jan  1 10:00:00 2024";
const std::string kEnv2 = "From bob@example.org Tue Jan  2 11:30:00 2024";

}  // namespace

TEST_CASE("mbox: the fixture gives three messages, exact bytes, envelopes and origins") {
  const std::string path = spamcore::test::fixture_path("corpus/basic.mbox");
  CHECK(corpus::detect(path) == corpus::CorpusKind::mbox);
  const auto messages = read_all(path);
  REQUIRE(messages.size() == 3);
  CHECK(messages[0].bytes ==
        "From: alice@example.com\nSubject: one\n\nFirst paragraph.\n\nSecond paragraph after a blank line.\n"
        "From the quoted line\n>From the double quoted line\nFrom in the body at 10:00 without blank line before\n"
        "is not a separator.\n\nFrom nobody in particular, no time here\nis not a separator either.\n");
  CHECK(messages[1].bytes == "From: bob@example.org\nSubject: two\n\nBody two.\n");
  CHECK(messages[2].bytes == "From: carol@example.net\nSubject: three\n\nBody three, no blank line at the end.\n");
  CHECK(messages[0].envelope == kEnv1);
  CHECK(messages[1].envelope == kEnv2);
  CHECK(messages[2].envelope == "From carol@example.net Wed Jan  3 12:45:00 2024");
  for (std::size_t i = 0; i < messages.size(); ++i) {
    CHECK(messages[i].path == path);
    CHECK(messages[i].index == static_cast<std::int64_t>(i));
    CHECK(messages[i].origin() == path + ":" + std::to_string(i));
    CHECK(messages[i].judgement.empty());
  }
}

TEST_CASE("mbox: envelope lines") {
  using corpus::detail::is_envelope_line;
  CHECK(is_envelope_line(kEnv1 + "\n"));
  CHECK(is_envelope_line("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\r\n"));
  CHECK(is_envelope_line("From x 1:00"));
  CHECK_FALSE(is_envelope_line("From  Mon Jan  1 10:00:00 2024\n"));  // no sender token
  CHECK_FALSE(is_envelope_line("From here to eternity\n"));            // no time
  CHECK_FALSE(is_envelope_line("From 10:00\n"));                       // the time must come after the token
  CHECK_FALSE(is_envelope_line("From: a@b 10:00\n"));
  CHECK_FALSE(is_envelope_line("from x 10:00\n"));
  CHECK_FALSE(is_envelope_line("From x 1:0\n"));
}

TEST_CASE("mbox: splitting needs a blank line before and an envelope-like line") {
  SUBCASE("From line in a body without a blank line before is not a split") {
    const auto m = mbox(kEnv1 + "\nSubject: a\n\nline\nFrom x@y Mon Jan  1 10:00:00 2024\nmore\n");
    CHECK(bodies(m) == Strings{"Subject: a\n\nline\nFrom x@y Mon Jan  1 10:00:00 2024\nmore\n"});
  }
  SUBCASE("From line after a blank line but without a time is not a split") {
    const auto m = mbox(kEnv1 + "\nSubject: a\n\nline\n\nFrom here on, nothing\n");
    CHECK(bodies(m) == Strings{"Subject: a\n\nline\n\nFrom here on, nothing\n"});
  }
  SUBCASE("a real separator splits, and the blank line belongs to neither message") {
    const auto m = mbox(kEnv1 + "\nSubject: a\n\nA\n\n" + kEnv2 + "\nSubject: b\n\nB\n");
    CHECK(bodies(m) == Strings{"Subject: a\n\nA\n", "Subject: b\n\nB\n"});
    CHECK(m[1].envelope == kEnv2);
  }
  SUBCASE("message bodies with several blank lines keep all but the separator") {
    const auto m = mbox(kEnv1 + "\nS: a\n\n\n\nA\n\n\n\n" + kEnv2 + "\nS: b\n\nB\n\n\n");
    CHECK(bodies(m) == Strings{"S: a\n\n\n\nA\n\n\n", "S: b\n\nB\n\n"});
  }
  SUBCASE("an empty message between two envelopes") {
    const auto m = mbox(kEnv1 + "\n\n" + kEnv2 + "\nX\n");
    CHECK(bodies(m) == Strings{"", "X\n"});
  }
  SUBCASE("only an envelope line") {
    const auto m = mbox(kEnv1 + "\n");
    CHECK(bodies(m) == Strings{""});
    CHECK(m[0].envelope == kEnv1);
  }
}

TEST_CASE("mbox: end of file") {
  CHECK(bodies(mbox(kEnv1 + "\nS: a\n\nA\n")) == Strings{"S: a\n\nA\n"});
  CHECK(bodies(mbox(kEnv1 + "\nS: a\n\nA\n\n")) == Strings{"S: a\n\nA\n"});
  CHECK(bodies(mbox(kEnv1 + "\nS: a\n\nA\n\n\n")) == Strings{"S: a\n\nA\n\n"});
  CHECK(bodies(mbox(kEnv1 + "\nS: a\n\nA")) == Strings{"S: a\n\nA"});
  CHECK(bodies(mbox(kEnv1 + "\r\nS: a\r\n\r\nA\r\n\r\n")) == Strings{"S: a\r\n\r\nA\r\n"});
}

TEST_CASE("mbox: mboxrd unquoting removes one '>' from >+From lines only") {
  const auto m = mbox(kEnv1 + "\nS: a\n\n>From first\n>>From second\n>>>From third\n> From not\n>Fromage not\n"
                              "x >From not\n\n>From after blank\n");
  CHECK(bodies(m) == Strings{"S: a\n\nFrom first\n>From second\n>>From third\n> From not\n>Fromage not\n"
                             "x >From not\n\nFrom after blank\n"});
}

TEST_CASE("mbox: CRLF line endings are kept, the CRLF blank separator is removed") {
  const std::string env1 = kEnv1 + "\r\n", env2 = kEnv2 + "\r\n";
  const auto m = mbox(env1 + "S: a\r\n\r\nA\r\n\r\nmore\r\n\r\n" + env2 + "S: b\r\n\r\n>From B\r\n\r\n");
  CHECK(bodies(m) == Strings{"S: a\r\n\r\nA\r\n\r\nmore\r\n", "S: b\r\n\r\nFrom B\r\n"});
  REQUIRE(m.size() == 2);
  CHECK(m[0].envelope == kEnv1);
  CHECK(m[1].envelope == kEnv2);
}

TEST_CASE("mbox: mixed line endings are kept byte for byte") {
  const auto m = mbox(kEnv1 + "\nS: a\r\n\nA\rB\n\r\n" + kEnv2 + "\nS: b\n");
  CHECK(bodies(m) == Strings{"S: a\r\n\nA\rB\n", "S: b\n"});
}

namespace {

std::string big_mbox(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += "From sender" + std::to_string(i % 97) + "@example.com Mon Jan  1 10:" + std::to_string(10 + i % 50) +
           ":00 2024\nSubject: message " + std::to_string(i) + "\n\nbody " + std::to_string(i * 7919 % 100003) +
           "\n>From quoted\n\n";
  }
  return out;
}

std::string slurp(const std::string& path) { return spamcore::test::read_file(path); }

}  // namespace

TEST_CASE("mbox.gz: the same messages as the plain mbox") {
  TempDir tmp;
  const std::string plain = slurp(spamcore::test::fixture_path("corpus/basic.mbox")) + "\n" + big_mbox(50);
  write_file(tmp / "m.mbox", plain);
  write_gz(tmp / "m.mbox.gz", plain);
  CHECK(corpus::detect(tmp / "m.mbox.gz") == corpus::CorpusKind::mbox_gz);
  const auto a = read_all(tmp / "m.mbox");
  const auto b = read_all(tmp / "m.mbox.gz");
  REQUIRE(a.size() == 53);
  REQUIRE(b.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(a[i].bytes == b[i].bytes);
    CHECK(a[i].envelope == b[i].envelope);
    CHECK(b[i].index == static_cast<std::int64_t>(i));
    CHECK(b[i].path == tmp / "m.mbox.gz");
  }
  CHECK(b[52].bytes == "Subject: message 49\n\nbody " + std::to_string(49 * 7919 % 100003) + "\nFrom quoted\n");
}

TEST_CASE("mbox.gz: an empty gzip stream has no messages") {
  TempDir tmp;
  write_gz(tmp / "e.gz", "");
  CHECK(read_all(tmp / "e.gz").empty());
}

TEST_CASE("mbox.gz: corrupt and truncated streams throw Error naming the file") {
  TempDir tmp;
  write_gz(tmp / "good.gz", big_mbox(3000));
  const std::string gz = slurp(tmp / "good.gz");
  REQUIRE(gz.size() > 1000);
  REQUIRE(read_all(tmp / "good.gz").size() == 3000);

  std::string flipped = gz;
  for (std::size_t i = gz.size() / 2; i < gz.size() / 2 + 16; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  write_file(tmp / "flipped.gz", flipped);
  write_file(tmp / "truncated.gz", gz.substr(0, gz.size() / 2));
  write_file(tmp / "no-trailer.gz", gz.substr(0, gz.size() - 4));  // all data, CRC present, length missing

  for (const std::string name : {"flipped.gz", "truncated.gz", "no-trailer.gz"}) {
    CAPTURE(name);
    const std::string path = tmp / name;
    CHECK(corpus::detect(path) == corpus::CorpusKind::mbox_gz);
    try {
      read_all(path);
      FAIL("no error for " << name);
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find(path) == 0);
      CHECK(e.path() == path);
      CHECK(e.kind() == ErrorKind::format);
      const std::string want = name == std::string("flipped.gz") ? ": corrupt gzip data" : ": truncated gzip data";
      CHECK(std::string(e.what()).starts_with(path + want));
      CHECK(std::string(e.what()).find(path, 1) == std::string::npos);  // the path once
    }
  }
}

TEST_CASE("mbox: 200000 messages are counted while streaming") {
  TempDir tmp;
  constexpr std::size_t n = 200000;
  {
    std::ofstream out(tmp / "big.mbox", std::ios::binary);
    for (std::size_t i = 0; i < n; ++i) out << "From a@b Mon Jan  1 10:00:00 2024\nSubject: " << i << "\n\nx\n\n";
  }
  auto source = corpus::open(tmp / "big.mbox");
  std::size_t count = 0;
  std::optional<corpus::RawMessage> last;
  while (auto m = source->next()) {
    ++count;
    last = std::move(m);
  }
  CHECK(count == n);
  REQUIRE(last);
  CHECK(last->index == static_cast<std::int64_t>(n - 1));
  CHECK(last->bytes == "Subject: 199999\n\nx\n");
}

TEST_CASE("mbox: a message is returned before the rest of the input exists (streaming, through a FIFO)") {
  TempDir tmp;
  const std::string fifo = tmp / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::atomic<bool> first_seen{false}, closed{false};
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    const std::string head = kEnv1 + "\nS: a\n\nA\n\n" + kEnv2 + "\nS: b\n";
    [[maybe_unused]] ssize_t w = ::write(fd, head.data(), head.size());
    // Keep the pipe open until the reader has the first message (or give up after 5 s).
    for (int i = 0; i < 500 && !first_seen; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::string tail = "\nB\n";
    w = ::write(fd, tail.data(), tail.size());
    closed = true;
    ::close(fd);
  });
  auto source = corpus::detail::open_mbox(fifo, false);
  auto first = source->next();
  const bool before_close = !closed;
  first_seen = true;
  auto second = source->next();
  auto end = source->next();
  writer.join();
  REQUIRE(first);
  CHECK(first->bytes == "S: a\n\nA\n");
  CHECK(before_close);
  REQUIRE(second);
  CHECK(second->bytes == "S: b\n\nB\n");
  CHECK_FALSE(end);
}

TEST_CASE("line reader: lines across block boundaries and longer than the buffer, plain and gzip") {
  TempDir tmp;
  const std::string content = "a\n\nbc\r\n" + std::string(300000, 'x') + "\nlast line without newline";
  write_file(tmp / "lines", content);
  write_gz(tmp / "lines.gz", content);
  for (const bool gzip : {false, true}) {
    for (const std::size_t block : {1, 2, 7, 64, 256 * 1024}) {
      CAPTURE(gzip);
      CAPTURE(block);
      corpus::detail::LineReader reader(corpus::detail::open_input(tmp / (gzip ? "lines.gz" : "lines"), gzip), block);
      std::string joined;
      std::vector<std::size_t> sizes;
      std::string_view line;
      while (reader.next(line)) {
        joined.append(line);
        sizes.push_back(line.size());
      }
      CHECK(joined == content);
      CHECK(sizes == std::vector<std::size_t>{2, 1, 4, 300001, 25});
      CHECK_FALSE(reader.next(line));
    }
  }
}

TEST_CASE("estimated_bytes: a gzip mbox counts as its inflated size") {
  TempDir tmp;
  std::string content;
  for (int i = 0; i < 200; ++i) content += "From a@b  Tue Aug  6 11:51:02 2002\nSubject: " + std::to_string(i) + "\n\nbody\n\n";
  write_gz(tmp / "m.mbox.gz", content);
  CHECK(corpus::estimated_bytes({tmp / "m.mbox.gz"}) == content.size());
  write_file(tmp / "m.mbox", content);
  CHECK(corpus::estimated_bytes({tmp / "m.mbox"}) == content.size());
}

TEST_CASE("mbox: a message cut at the size cap keeps exactly its first kMaxMessageBytes bytes") {
  std::string content = "Subject: big\n\n";
  const std::string row = std::string(1023, 'x') + "\n";
  while (content.size() + row.size() <= corpus::kMaxMessageBytes) content += row;
  content += std::string(corpus::kMaxMessageBytes - content.size() - 1, 'y') + "\n";
  REQUIRE(content.size() == corpus::kMaxMessageBytes);
  const std::string envelope = "From a@b  Tue Aug  6 11:51:02 2002\n";
  for (const std::string extra : {"", "more text past the cap\n"}) {
    const auto messages = mbox(envelope + content + extra + "\n" + envelope + "Subject: next\n\nbody\n");
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].bytes.size() == content.size());
    CHECK(messages[0].bytes == content);  // the separator is not kept, and no byte of the message is lost for it
    CHECK(messages[1].bytes == "Subject: next\n\nbody\n");
  }
}

TEST_CASE("mbox: the pieces of a line over LineReader::kMaxLine are not line starts") {
  const std::size_t piece = corpus::detail::LineReader::kMaxLine;
  const std::string envelope = "From a@b  Tue Aug  6 11:51:02 2002\n";
  // A line of exactly one piece, then its "\n" alone: not an empty line, so the From line after it is body text.
  const std::string long_line = std::string(piece, 'x') + "\n";
  const std::string first = "Subject: one\n\n" + long_line + "From b@c  Tue Aug  6 11:51:02 2002\nmore\n";
  auto messages = mbox(envelope + first + "\n" + envelope + "Subject: two\n\nbody\n");
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].bytes == first);
  CHECK(messages[1].bytes == "Subject: two\n\nbody\n");
  // ">From " where a piece begins is inside a line: it keeps its '>'.
  const std::string quoted = "Subject: q\n\n" + std::string(piece, 'y') + ">From here on\n";
  messages = mbox(envelope + quoted);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].bytes == quoted);
}

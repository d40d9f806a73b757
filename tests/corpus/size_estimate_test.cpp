// stored_bytes (what train and learn digest) and estimated_bytes (what train interleaves classes by).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cli_util.hpp"
#include "corpus/readers.hpp"
#include "spamcore/corpus/open.hpp"

using namespace spamcore;
using spamcore::test::TempDir;
using spamcore::test::write_file;

namespace {

/// Bytes of every message open() hands out for `path`.
std::uint64_t bytes_read(const std::string& path, const corpus::OpenOptions& options = {}) {
  std::uint64_t total = 0;
  auto source = corpus::open(path, options);
  while (auto m = source->next()) total += m->bytes.size();
  return total;
}

}  // namespace

TEST_CASE("stored_bytes: a leading From line goes, nothing else changes") {
  CHECK(corpus::stored_bytes("Subject: x\n\nbody\n") == "Subject: x\n\nbody\n");
  CHECK(corpus::stored_bytes("From a@b  Tue Aug  6 11:51:02 2002\nSubject: x\n\nbody\n") == "Subject: x\n\nbody\n");
  CHECK(corpus::stored_bytes("From a@b  Tue Aug  6 11:51:02 2002\r\nSubject: x\r\n") == "Subject: x\r\n");
  CHECK(corpus::stored_bytes("From a@b no newline") == "");
  CHECK(corpus::stored_bytes("From: a@b\n\nx") == "From: a@b\n\nx");  // a header field, not an envelope
  CHECK(corpus::stored_bytes("") == "");
  const std::string big(corpus::kMaxMessageBytes + 10, 'x');
  CHECK(corpus::stored_bytes(big).size() == corpus::kMaxMessageBytes);
}

TEST_CASE("stored_bytes agrees with what a reader keeps of a message file") {
  TempDir tmp;
  const std::string text = "From a@b  Tue Aug  6 11:51:02 2002\nSubject: x\n\nFrom the start\n";
  write_file(tmp / "dir/1", text);
  auto source = corpus::open(tmp / "dir");
  const auto m = source->next();
  REQUIRE(m);
  CHECK(m->bytes == corpus::stored_bytes(text));
}

TEST_CASE("over the cap, a message file, an mbox and stored_bytes keep the same bytes: envelope off, then the cap") {
  TempDir tmp;
  const std::string envelope = "From a@b  Tue Aug  6 11:51:02 2002\n";
  std::string body = "Subject: big\n\n";
  body.resize(corpus::kMaxMessageBytes + 100, 'x');
  const std::string whole = envelope + body;
  write_file(tmp / "dir/1", whole);
  write_file(tmp / "m.mbox", whole);
  const std::string_view stored = corpus::stored_bytes(whole);
  CHECK(stored.size() == corpus::kMaxMessageBytes);
  CHECK(stored.substr(0, 8) == "Subject:");
  for (const char* path : {"dir", "m.mbox"}) {
    CAPTURE(path);
    auto source = corpus::open(tmp / path);
    const auto m = source->next();
    REQUIRE(m);
    CHECK(m->bytes.size() == stored.size());
    CHECK(m->bytes == stored);
  }
}

TEST_CASE("estimated_bytes: a Maildir counts cur/ and new/, subfolders only when they are read") {
  TempDir tmp;
  write_file(tmp / "md/cur/1", std::string(100, 'a'));
  write_file(tmp / "md/new/2", std::string(50, 'b'));
  write_file(tmp / "md/tmp/3", std::string(1000, 'c'));          // never read
  write_file(tmp / "md/.Junk/cur/4", std::string(7000, 'd'));    // a subfolder
  write_file(tmp / "md/cur/.hidden", std::string(300, 'e'));     // dotfile, skipped
  CHECK(corpus::estimated_bytes({tmp / "md"}) == 150);
  CHECK(corpus::estimated_bytes({tmp / "md"}) == bytes_read(tmp / "md"));
  corpus::OpenOptions sub;
  sub.maildir_subfolders = true;
  CHECK(corpus::estimated_bytes({tmp / "md"}, sub) == 7150);
  CHECK(corpus::estimated_bytes({tmp / "md"}, sub) == bytes_read(tmp / "md", sub));
}

TEST_CASE("estimated_bytes: files, directories, TREC indexes; missing paths count 0") {
  TempDir tmp;
  write_file(tmp / "d/a/1.eml", "Subject: 1\n\n" + std::string(40, 'x'));
  write_file(tmp / "d/2.eml", "Subject: 2\n\n" + std::string(60, 'x'));
  write_file(tmp / "d/.skip", std::string(500, 'x'));
  CHECK(corpus::estimated_bytes({tmp / "d"}) == bytes_read(tmp / "d"));
  CHECK(corpus::estimated_bytes({tmp / "d/2.eml"}) == 72);
  write_file(tmp / "index", "spam d/a/1.eml\nham d/2.eml\nspam d/2.eml\n");
  CHECK(corpus::estimated_bytes({tmp / "index"}) == 52 + 72 + 72);
  CHECK(corpus::estimated_bytes({tmp / "index"}) == bytes_read(tmp / "index"));
  CHECK(corpus::estimated_bytes({tmp / "missing", tmp / "d/2.eml"}) == 72);
}

TEST_CASE("estimated_bytes: a directory is walked as the reader walks it (Maildirs, MH folders, the 64 MiB cap)") {
  TempDir tmp;
  write_file(tmp / "d/md/cur/1", std::string(100, 'a'));
  write_file(tmp / "d/md/tmp/2", std::string(1000, 'b'));        // a Maildir's tmp/ is never read
  write_file(tmp / "d/mh/.mh_sequences", "unseen: 1\n");
  write_file(tmp / "d/mh/1", std::string(30, 'c'));
  write_file(tmp / "d/mh/notes", std::string(2000, 'd'));        // not a digit name: not an MH message
  write_file(tmp / "d/plain/x.eml", std::string(7, 'e'));
  CHECK(corpus::estimated_bytes({tmp / "d"}) == 137);
  CHECK(corpus::estimated_bytes({tmp / "d"}) == bytes_read(tmp / "d"));
  CHECK(corpus::estimated_bytes({tmp / "d/mh"}) == 30);
  // A message file over the cap counts what is kept of it (sparse: no 64 MiB written).
  write_file(tmp / "big/1.eml", "");
  std::filesystem::resize_file(tmp / "big/1.eml", corpus::kMaxMessageBytes + 12345);
  CHECK(corpus::estimated_bytes({tmp / "big"}) == corpus::kMaxMessageBytes);
}

TEST_CASE("gzip estimate: ISIZE is the size mod 2^32; taken as it is when ordinary, else unwrapped towards 4:1") {
  using corpus::detail::gzip_estimate;
  constexpr std::uint64_t MB = 1000000, GiB = std::uint64_t{1} << 30;
  CHECK(gzip_estimate(1000, 4100) == 4100);                       // the common case: ISIZE itself
  CHECK(gzip_estimate(1000, 990) == 990);                         // stored: a little less than packed
  CHECK(gzip_estimate(500 * MB, 750 * MB) == 750 * MB);           // large, poorly compressed: ordinary ratio
  CHECK(gzip_estimate(2000 * MB, 2600 * MB) == 2600 * MB);
  CHECK(gzip_estimate(GiB, 512u << 20) == 4 * GiB + (512u << 20));  // 4.5 GiB inflated: wrapped once
  CHECK(gzip_estimate(3 * GiB, 0) == 12 * GiB);                   // 12 GiB: wrapped three times
  CHECK(gzip_estimate(10000, 900000) == 900000);                  // 90:1, too small to have wrapped: ISIZE
  CHECK(gzip_estimate(10000, 10) == 40000);                       // last member of several: 4:1 stands in
  CHECK(gzip_estimate(10000, 20000000) == 40000);                 // 2000:1 is beyond DEFLATE: not this file's size
  CHECK(gzip_estimate(100000000, 1000000) == 400000000);         // a wrap would be 43:1: several members instead
  CHECK(gzip_estimate(20, 0) == 0);                               // an empty .gz: gzip's own 20 bytes
  CHECK(gzip_estimate(40, 20) == 20);
  CHECK(gzip_estimate(1018, 900) == 900);                         // exactly 0.9:1 and 12:1 of the deflated bytes
  CHECK(gzip_estimate(1018, 12000) == 12000);
  CHECK(gzip_estimate(4161790, 0xF0000000u) == 0xF0000000u);      // 967:1, but too small to have wrapped
  CHECK(gzip_estimate(0, 0) == 0);
  CHECK(gzip_estimate(UINT64_MAX / 2, 7) == UINT64_MAX);          // absurd sizes saturate, they do not wrap
}

TEST_CASE("estimated_bytes: a message file given directly or through an index counts what is kept of it") {
  TempDir tmp;
  write_file(tmp / "big.eml", "");
  std::filesystem::resize_file(tmp / "big.eml", corpus::kMaxMessageBytes + 12345);
  CHECK(corpus::estimated_bytes({tmp / "big.eml"}) == corpus::kMaxMessageBytes);
  write_file(tmp / "index", "spam big.eml\n");
  CHECK(corpus::estimated_bytes({tmp / "index"}) == corpus::kMaxMessageBytes);
}

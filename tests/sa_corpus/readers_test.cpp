// The SpamAssassin public corpus (scripts/fetch-corpus.sh) read four ways must give the same 6046 messages, and
// every one of them must parse. Skipped, saying so, when the corpus is absent.
#include <doctest/doctest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "cli_util.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/mail/parse.hpp"

namespace fs = std::filesystem;
using namespace spamcore;
using spamcore::test::TempDir;

namespace {

constexpr std::size_t kCorpusMessages = 6046;

bool corpus_present() {
  if (fs::is_directory(SPAMCORE_CORPUS)) return true;
  MESSAGE("SpamAssassin corpus not found at " SPAMCORE_CORPUS " -- run scripts/fetch-corpus.sh; test skipped");
  return false;
}

std::vector<corpus::RawMessage> read_all(const std::string& path) {
  std::vector<corpus::RawMessage> out;
  auto source = corpus::open(path);
  while (auto m = source->next()) out.push_back(std::move(*m));
  return out;
}

// mboxrd: every line that starts with zero or more '>' then "From " gets one more '>'.
std::string mboxrd_quote(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size() + 64);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t eol = bytes.find('\n', pos);
    eol = eol == std::string::npos ? bytes.size() : eol + 1;
    std::size_t k = pos;
    while (k < eol && bytes[k] == '>') ++k;
    if (bytes.compare(k, 5, "From ") == 0) out.push_back('>');
    out.append(bytes, pos, eol - pos);
    pos = eol;
  }
  return out;
}

// The mbox form of the messages: envelope (kept, or made up), quoted body, a newline if the message lacks a final
// one (mbox cannot store a message that does not end in a newline), and the blank separator line.
std::string to_mbox(const std::vector<corpus::RawMessage>& messages) {
  std::string mbox;
  for (const auto& m : messages) {
    mbox += m.envelope.empty() ? "From MAILER-DAEMON  Thu Jan  1 00:00:00 1970" : m.envelope;
    mbox += "\n";
    mbox += mboxrd_quote(m.bytes);
    if (!m.bytes.empty() && m.bytes.back() != '\n') mbox += "\n";
    mbox += "\n";
  }
  return mbox;
}

std::string expected_in_mbox(const std::string& bytes) {
  return (!bytes.empty() && bytes.back() != '\n') ? bytes + "\n" : bytes;
}

}  // namespace

TEST_CASE("corpus: directories, mbox, gzip mbox and Maildir give the same 6046 messages") {
  if (!corpus_present()) return;
  const auto dir = read_all(SPAMCORE_CORPUS);
  REQUIRE(dir.size() == kCorpusMessages);

  TempDir tmp;
  const std::string mbox = to_mbox(dir);
  {
    std::ofstream(tmp / "all.mbox", std::ios::binary) << mbox;
    gzFile gz = gzopen((tmp / "all.mbox.gz").c_str(), "wb6");
    REQUIRE(gz != nullptr);
    REQUIRE(gzwrite(gz, mbox.data(), static_cast<unsigned>(mbox.size())) == static_cast<int>(mbox.size()));
    REQUIRE(gzclose(gz) == Z_OK);
    fs::create_directories(tmp / "maildir/cur");
    fs::create_directories(tmp / "maildir/new");
    fs::create_directories(tmp / "maildir/tmp");
    std::ofstream(tmp / "maildir/tmp/1.partial", std::ios::binary) << "Subject: never read\n\n";
    char name[64];
    for (std::size_t i = 0; i < dir.size(); ++i) {
      std::snprintf(name, sizeof name, "%06zu.spamcore-test:2,S", i);
      const std::string path = tmp / ("maildir/cur/" + std::string(name));
      std::ofstream out(path, std::ios::binary);
      if (!dir[i].envelope.empty()) out << dir[i].envelope << "\n";  // a leading From line is the envelope
      out << dir[i].bytes;
    }
  }
  CHECK(corpus::detect(tmp / "all.mbox") == corpus::CorpusKind::mbox);
  CHECK(corpus::detect(tmp / "all.mbox.gz") == corpus::CorpusKind::mbox_gz);
  CHECK(corpus::detect(tmp / "maildir") == corpus::CorpusKind::maildir);

  for (const std::string& path : {tmp / "all.mbox", tmp / "all.mbox.gz", tmp / "maildir"}) {
    CAPTURE(path);
    const auto other = read_all(path);
    REQUIRE(other.size() == dir.size());
    std::size_t differing = 0, lacking_newline = 0;
    for (std::size_t i = 0; i < dir.size(); ++i) {
      const bool mbox_form = path.find("mbox") != std::string::npos;
      const std::string want = mbox_form ? expected_in_mbox(dir[i].bytes) : dir[i].bytes;
      if (want != dir[i].bytes) ++lacking_newline;
      if (other[i].bytes != want) ++differing;
      if (mbox_form) CHECK(other[i].index == static_cast<std::int64_t>(i));
    }
    CHECK(differing == 0);
    CHECK(lacking_newline <= 1);  // one corpus file has no final newline; only mbox adds it
  }
}

TEST_CASE("corpus: every message parses") {
  if (!corpus_present()) return;
  auto source = corpus::open(SPAMCORE_CORPUS);
  std::size_t n = 0, parts = 0, text_bytes = 0, no_header = 0;
  while (auto raw = source->next()) {
    const mail::Message m = mail::parse(raw->bytes);
    ++n;
    parts += m.parts.size();
    for (const auto& p : m.parts) text_bytes += p.text.size();
    if (m.has_issue(mail::IssueKind::no_header)) ++no_header;
    REQUIRE_FALSE(m.headers.empty());
  }
  CHECK(n == kCorpusMessages);
  CHECK(parts >= n);
  CHECK(no_header == 0);
  MESSAGE("parts: " << parts << ", decoded text bytes: " << text_bytes);
}

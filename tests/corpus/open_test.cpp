// detect() and open() on single files, and their errors.
#include <doctest/doctest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_util.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"

using namespace spamcore;
using corpus::CorpusKind;
using spamcore::test::fixture_path;
using spamcore::test::TempDir;
using spamcore::test::write_file;

namespace {

std::vector<corpus::RawMessage> read_all(const std::string& path) {
  std::vector<corpus::RawMessage> out;
  auto source = corpus::open(path);
  while (auto m = source->next()) out.push_back(std::move(*m));
  return out;
}

}  // namespace

TEST_CASE("detect: each kind") {
  CHECK(corpus::detect(fixture_path("corpus/single.eml")) == CorpusKind::message);
  CHECK(corpus::detect(fixture_path("corpus/basic.mbox")) == CorpusKind::mbox);
  CHECK(corpus::detect(fixture_path("corpus/maildir")) == CorpusKind::maildir);
  CHECK(corpus::detect(fixture_path("corpus/mh")) == CorpusKind::mh);
  CHECK(corpus::detect(fixture_path("corpus/tree")) == CorpusKind::directory);
  CHECK(corpus::detect(fixture_path("corpus/trec/full/index")) == CorpusKind::trec_index);
  CHECK(corpus::detect(fixture_path("corpus/trec/full/bad_label")) == CorpusKind::message);  // line 3 is no label

  TempDir tmp;
  gzFile gz = gzopen((tmp / "x.gz").c_str(), "wb");
  REQUIRE(gz != nullptr);
  gzputs(gz, "From a@b Mon Jan  1 10:00:00 2024\n\n");
  gzclose(gz);
  CHECK(corpus::detect(tmp / "x.gz") == CorpusKind::mbox_gz);

  write_file(tmp / "empty", "");
  CHECK(corpus::detect(tmp / "empty") == CorpusKind::message);
  write_file(tmp / "index", "\n\nham a\r\nSPAM b\n");
  CHECK(corpus::detect(tmp / "index") == CorpusKind::trec_index);
  write_file(tmp / "extra", "spam a 1 2\nham b\n");  // extra fields are ignored, as read_trec_index does
  CHECK(corpus::detect(tmp / "extra") == CorpusKind::trec_index);
  write_file(tmp / "one-field", "spam\nham b\n");
  CHECK(corpus::detect(tmp / "one-field") == CorpusKind::message);
  write_file(tmp / "header", "Subject: spam a\n\nspam b\n");
  CHECK(corpus::detect(tmp / "header") == CorpusKind::message);
  write_file(tmp / "lower", "Spam a\nhAm b\n");
  CHECK(corpus::detect(tmp / "lower") == CorpusKind::message);
  write_file(tmp / "six", "spam 1\nham 2\nspam 3\nham 4\nspam 5\nThis is not checked\n");
  CHECK(corpus::detect(tmp / "six") == CorpusKind::trec_index);
  write_file(tmp / "from-colon", "From: a@b\n\n");
  CHECK(corpus::detect(tmp / "from-colon") == CorpusKind::message);

  CHECK(corpus::to_string(CorpusKind::mbox_gz) == "mbox.gz");
  CHECK(corpus::to_string(CorpusKind::trec_index) == "trec-index");
  CHECK(corpus::to_string(CorpusKind::maildir) == "maildir");
}

TEST_CASE("open: a single message file is one message, whole") {
  const std::string path = fixture_path("corpus/single.eml");
  const auto messages = read_all(path);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].bytes == spamcore::test::fixture("corpus/single.eml"));
  CHECK(messages[0].bytes.starts_with("From: alice@example.com\n"));
  CHECK(messages[0].envelope.empty());
  CHECK(messages[0].index == -1);
  CHECK(messages[0].origin() == path);
}

TEST_CASE("open: an empty file is one empty message") {
  TempDir tmp;
  write_file(tmp / "empty", "");
  const auto messages = read_all(tmp / "empty");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].bytes.empty());
}

TEST_CASE("detect/open: a missing path is an io Error naming it") {
  const std::string path = fixture_path("corpus/does-not-exist");
  for (int i = 0; i < 2; ++i) {
    try {
      if (i == 0) corpus::detect(path);
      else corpus::open(path);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::io);
      CHECK(e.path() == path);
      CHECK(std::string(e.what()).starts_with(path + ": "));
      CHECK(std::string(e.what()).ends_with(": No such file or directory"));
    }
  }
}

TEST_CASE("origin: path, or path:index inside an mbox") {
  corpus::RawMessage m;
  m.path = "a/b";
  CHECK(m.origin() == "a/b");
  m.index = 0;
  CHECK(m.origin() == "a/b:0");
  m.index = 12;
  CHECK(m.origin() == "a/b:12");
}

// TREC index files: relative paths, labels with their case, errors with line numbers, missing message files.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_util.hpp"
#include "test_util.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/trec_index.hpp"

using namespace spamcore;
using spamcore::test::fixture_path;
using spamcore::test::TempDir;
using spamcore::test::write_file;

namespace {

std::string data(const std::string& name) {
  return std::filesystem::path(fixture_path("corpus/trec/data/" + name)).lexically_normal().string();
}

std::vector<corpus::RawMessage> drain(corpus::MessageSource& source) {
  std::vector<corpus::RawMessage> out;
  while (auto m = source.next()) out.push_back(std::move(*m));
  return out;
}

}  // namespace

TEST_CASE("trec index: entries in order, paths resolved against the index's directory, labels as written") {
  const auto entries = corpus::read_trec_index(fixture_path("corpus/trec/full/index"));
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].judgement == "spam");
  CHECK(entries[1].judgement == "ham");
  CHECK(entries[2].judgement == "Spam");
  CHECK(entries[3].judgement == "HAM");
  CHECK(entries[0].path == data("inmail.1"));
  CHECK(entries[1].path == data("inmail.2"));
  CHECK(entries[2].path == data("inmail.3"));  // CRLF line, extra field ignored
  CHECK(entries[3].path == data("inmail.2"));
  CHECK(entries[0].line == 1);
  CHECK(entries[2].line == 4);  // line 3 is blank
  CHECK(entries[3].line == 5);
}

TEST_CASE("trec index: open_trec_index and open() give the messages with their judgements") {
  const std::string index = fixture_path("corpus/trec/full/index");
  CHECK(corpus::detect(index) == corpus::CorpusKind::trec_index);
  auto by_index = corpus::open_trec_index(index);
  auto by_open = corpus::open(index);
  const auto a = drain(*by_index);
  const auto b = drain(*by_open);
  REQUIRE(a.size() == 4);
  REQUIRE(b.size() == 4);
  const std::vector<std::string> labels{"spam", "ham", "Spam", "HAM"};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(a[i].judgement == labels[i]);
    CHECK(b[i].judgement == labels[i]);
    CHECK(a[i].bytes == b[i].bytes);
    CHECK(a[i].origin() == b[i].origin());
    CHECK(a[i].index == -1);
  }
  CHECK(a[0].bytes == "Received: from x\nSubject: inmail-1\n\ni1\n");
  CHECK(a[0].origin() == data("inmail.1"));
  CHECK(a[2].envelope == "From envelope@example.com Fri Jan  5 08:00:00 2024");
  CHECK(a[2].bytes == "Subject: inmail-3\n\ni3\n");
  CHECK(a[3].bytes == a[1].bytes);
}

TEST_CASE("trec index: an unknown judgement is a format Error with the file and line") {
  const std::string index = fixture_path("corpus/trec/full/bad_label");
  try {
    corpus::read_trec_index(index);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::format);
    CHECK(std::string(e.what()) == index + ": line 3: unknown judgement 'junk'");
  }
  CHECK_THROWS_AS(corpus::open_trec_index(index), Error);
}

TEST_CASE("trec index: a missing message file is an Error before any message is read, naming the line and file") {
  const std::string index = fixture_path("corpus/trec/full/missing_file");
  try {
    corpus::open_trec_index(index);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()) ==
          index + ": line 2: cannot open " + data("missing.7") + ": No such file or directory");
  }
  // A file that goes missing after the check: an Error naming that file when the source reaches it.
  TempDir tmp;
  write_file(tmp / "m1", "Subject: one\n\n1\n");
  write_file(tmp / "m2", "Subject: two\n\n2\n");
  write_file(tmp / "index", "spam m1\nham m2\n");
  auto source = corpus::open_trec_index(tmp / "index");
  std::filesystem::remove(tmp / "m2");
  REQUIRE(source->next());
  try {
    source->next();
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(e.path() == tmp / "m2");
  }
}

TEST_CASE("trec index: a missing index file is an io Error") {
  CHECK_THROWS_WITH_AS(corpus::read_trec_index(fixture_path("corpus/trec/full/none")),
                       doctest::Contains("No such file or directory"), Error);
}

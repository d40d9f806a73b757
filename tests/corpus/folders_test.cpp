// Maildir, MH folders and directory trees: order, what is skipped, Maildir++ subfolders, symlinks.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_util.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"

namespace fs = std::filesystem;
using namespace spamcore;
using spamcore::test::fixture_path;
using spamcore::test::TempDir;
using spamcore::test::write_file;

namespace {

std::vector<corpus::RawMessage> read_all(const std::string& path, const corpus::OpenOptions& options = {}) {
  std::vector<corpus::RawMessage> out;
  auto source = corpus::open(path, options);
  while (auto m = source->next()) out.push_back(std::move(*m));
  return out;
}

/// The Subject of each message (the fixtures carry one per message), in reading order.
std::vector<std::string> subjects(const std::vector<corpus::RawMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) {
    const auto at = m.bytes.find("Subject: ");
    out.push_back(at == std::string::npos ? "?" : m.bytes.substr(at + 9, m.bytes.find('\n', at) - at - 9));
  }
  return out;
}

std::vector<std::string> origins(const std::vector<corpus::RawMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.origin());
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("maildir: cur then new, by name; tmp and dotfiles skipped; subfolders only when asked") {
  const std::string root = fixture_path("corpus/maildir");
  CHECK(corpus::detect(root) == corpus::CorpusKind::maildir);

  const auto plain = read_all(root);
  CHECK(subjects(plain) == Strings{"cur-1", "cur-2", "new-1"});
  CHECK(origins(plain) == Strings{root + "/cur/1700000001.M1P1.host:2,S", root + "/cur/1700000002.M1P1.host:2,S",
                                  root + "/new/1700000003.M1P1.host"});
  REQUIRE(plain.size() == 3);
  CHECK(plain[0].bytes == "Subject: cur-1\n\nc1\n");
  CHECK(plain[0].index == -1);
  CHECK(plain[0].envelope.empty());

  corpus::OpenOptions with_subfolders;
  with_subfolders.maildir_subfolders = true;
  const auto all = read_all(root, with_subfolders);
  CHECK(subjects(all) == Strings{"cur-1", "cur-2", "new-1", "junk-cur", "junk-new"});
  REQUIRE(all.size() == 5);
  CHECK(all[3].path == root + "/.Junk/cur/1700000005.M1P1.host:2,");
}

TEST_CASE("maildir: only new/, byte order of names, subfolders in name order") {
  TempDir tmp;
  const std::string root = tmp / "Maildir";
  write_file(root + "/new/b", "Subject: b\n\n");
  write_file(root + "/new/B", "Subject: B\n\n");
  write_file(root + "/new/a", "Subject: a\n\n");
  write_file(root + "/.Sent/new/1", "Subject: sent\n\n");
  write_file(root + "/.Archive/cur/1", "Subject: archive\n\n");
  fs::create_directories(root + "/.Empty/cur");
  CHECK(corpus::detect(root) == corpus::CorpusKind::maildir);
  CHECK(subjects(read_all(root)) == Strings{"B", "a", "b"});
  corpus::OpenOptions options;
  options.maildir_subfolders = true;
  CHECK(subjects(read_all(root, options)) == Strings{"B", "a", "b", "archive", "sent"});
}

TEST_CASE("mh: numeric order, .mh_sequences and other names ignored") {
  const std::string root = fixture_path("corpus/mh");
  CHECK(corpus::detect(root) == corpus::CorpusKind::mh);
  const auto messages = read_all(root);
  CHECK(subjects(messages) == Strings{"mh-1", "mh-2", "mh-10"});
  CHECK(origins(messages) == Strings{root + "/1", root + "/2", root + "/10"});
}

TEST_CASE("mh: detected by numbered files alone; a non-numbered file makes it a plain directory") {
  TempDir tmp;
  write_file(tmp / "mh/100", "Subject: 100\n\n");
  write_file(tmp / "mh/9", "Subject: 9\n\n");
  write_file(tmp / "mh/010", "Subject: 010\n\n");
  CHECK(corpus::detect(tmp / "mh") == corpus::CorpusKind::mh);
  CHECK(subjects(read_all(tmp / "mh")) == Strings{"9", "010", "100"});
  write_file(tmp / "mh/readme", "Subject: readme\n\n");
  CHECK(corpus::detect(tmp / "mh") == corpus::CorpusKind::directory);
  CHECK(subjects(read_all(tmp / "mh")) == Strings{"010", "100", "9", "readme"});
}

TEST_CASE("directory: recursive, sorted, dotfiles skipped, Maildir and MH subfolders read as such") {
  const std::string root = fixture_path("corpus/tree");
  CHECK(corpus::detect(root) == corpus::CorpusKind::directory);
  const auto messages = read_all(root);
  CHECK(subjects(messages) == Strings{"a-1", "a-2", "b-inbox", "b-z", "mh-9", "mh-10", "top"});
  CHECK(origins(messages) == Strings{root + "/a/1.eml", root + "/a/2.eml",
                                     root + "/b/inbox/cur/1700000007.M1P1.host:2,S", root + "/b/z.eml",
                                     root + "/c-mh/9", root + "/c-mh/10", root + "/top.eml"});
  REQUIRE(messages.size() == 7);
  // A file in a directory is one message: its From line is the envelope, and a later From line does not split.
  CHECK(messages[0].envelope == "From someone@example.com Thu Jan  4 09:00:00 2024");
  CHECK(messages[0].bytes == "Subject: a-1\n\na1\n\nFrom x@y Thu Jan  4 09:00:00 2024\nnot split\n");
  CHECK(messages[0].index == -1);
}

TEST_CASE("directory: symlinks to files are followed, symlinks to directories are not") {
  TempDir tmp;
  const std::string root = tmp / "tree";
  write_file(root + "/real/m.eml", "Subject: real\n\n");
  write_file(tmp / "outside.eml", "Subject: outside\n\n");
  fs::create_directory_symlink(root, root + "/real/loop");
  fs::create_directory_symlink(root + "/real", root + "/alias");
  fs::create_symlink(tmp / "outside.eml", root + "/link.eml");
  fs::create_symlink(tmp / "nowhere.eml", root + "/dangling.eml");
  const auto messages = read_all(root);
  CHECK(subjects(messages) == Strings{"outside", "real"});
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].path == root + "/link.eml");
  // The root itself may be a symlink to a directory.
  fs::create_directory_symlink(root, tmp / "root-link");
  CHECK(read_all(tmp / "root-link").size() == 2);
}

TEST_CASE("directory: an empty directory has no messages; CRLF envelope of a file is stripped with its CRLF") {
  TempDir tmp;
  fs::create_directories(tmp / "empty");
  CHECK(corpus::detect(tmp / "empty") == corpus::CorpusKind::directory);
  CHECK(read_all(tmp / "empty").empty());
  write_file(tmp / "d/m.eml", "From a@b Mon Jan  1 10:00:00 2024\r\nSubject: x\r\n\r\nbody\r\n\r\n");
  const auto messages = read_all(tmp / "d");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].envelope == "From a@b Mon Jan  1 10:00:00 2024");
  CHECK(messages[0].bytes == "Subject: x\r\n\r\nbody\r\n\r\n");  // no separator removal in a single file
}

TEST_CASE("directory: an unreadable subdirectory is an Error naming it") {
  if (::geteuid() == 0) {
    MESSAGE("running as root: permissions are not enforced; test skipped");
    return;
  }
  TempDir tmp;
  write_file(tmp / "d/locked/m.eml", "Subject: x\n\n");
  write_file(tmp / "d/m.eml", "Subject: y\n\n");
  fs::permissions(tmp / "d/locked", fs::perms::none);
  auto source = corpus::open(tmp / "d");
  CHECK_THROWS_WITH_AS(while (source->next()) {}, doctest::Contains((tmp / "d/locked").c_str()), Error);
  fs::permissions(tmp / "d/locked", fs::perms::owner_all);
}

TEST_CASE("maildir: a file renamed away while reading (a client marking it seen) is skipped") {
  TempDir tmp;
  write_file(tmp / "md/cur/1", "Subject: one\n\n");
  write_file(tmp / "md/cur/2", "Subject: two\n\n");
  write_file(tmp / "md/new/3", "Subject: three\n\n");
  auto source = corpus::open(tmp / "md");
  auto first = source->next();
  REQUIRE(first);
  fs::rename(tmp / "md/cur/2", tmp / "md/cur/2:2,S");  // listed already under its old name
  auto second = source->next();
  REQUIRE(second);
  CHECK(second->path == tmp / "md/new/3");
  CHECK_FALSE(source->next());
}

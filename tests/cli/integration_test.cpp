// What ships for mail users and admins, run for real: the procmail and maildrop recipes from the README and
// scripts/retrain.sh.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_util.hpp"

using namespace spamcore::test;
namespace fs = std::filesystem;

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

int sh(const std::string& script) {
  const int status = std::system(("bash -c " + q(script)).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void make_maildir(const fs::path& dir) {
  for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(dir / sub);
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

}  // namespace

// A trained model and a Maildir with a .Junk folder; deliver() runs a recipe on two spam and three ham fixtures
// and checks where each went and what it carries.
struct Delivery {
  TempDir tmp;
  std::string model = tmp / "m.scm";
  fs::path maildir = tmp / "Maildir";

  Delivery() {
    REQUIRE(run_spamcore("train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
                         q(fixture_path("train/ham")))
                .exit_code == 0);
    make_maildir(maildir);
    make_maildir(maildir / ".Junk");
  }

  // `command` reads one message on its standard input.
  void deliver(const std::string& command) const {
    for (const char* f : {"train/spam/01.eml", "train/spam/02.eml", "train/ham/01.eml", "train/ham/02.eml",
                          "train/ham/03.eml"})
      CHECK(sh(command + " < " + q(fixture_path(f))) == 0);
    CHECK(files_in(maildir / ".Junk/new") == 2);
    CHECK(files_in(maildir / "new") == 3);
    for (const auto& e : fs::directory_iterator(maildir / ".Junk/new"))
      CHECK(read_file(e.path()).find("\nX-Spam-Flag: YES\n") != std::string::npos);
    for (const auto& e : fs::directory_iterator(maildir / "new")) {
      const std::string m = read_file(e.path());
      CHECK(m.find("\nX-Spam-Status: No, score=") != std::string::npos);
      CHECK(m.find("X-Spam-Flag") == std::string::npos);
    }
  }
};

TEST_CASE("the README's procmail recipe files spam into .Junk and ham into the inbox, with our fields") {
  if (sh("command -v procmail > /dev/null") != 0) {
    MESSAGE("procmail not installed (scripts/test.sh installs it): skipped");
    return;
  }
  const Delivery d;
  // The recipe as the README gives it, with the paths of this test.
  std::ofstream(d.tmp / "procmailrc") << "MAILDIR=" << d.maildir.string() << "/\nDEFAULT=$MAILDIR\nLOGFILE="
                                       << (d.tmp / "procmail.log") << "\nSPAMCORE=" << SPAMCORE_BIN
                                       << "\n\n:0fw\n| $SPAMCORE filter -m " << d.model
                                       << "\n\n:0:\n* ^X-Spam-Flag: YES\n.Junk/\n";
  d.deliver("procmail " + q(d.tmp / "procmailrc"));
}

TEST_CASE("the README's maildrop recipe files spam into .Junk and ham into the inbox, with our fields") {
  if (sh("command -v maildrop > /dev/null") != 0) {
    MESSAGE("maildrop not installed (scripts/test.sh installs it): skipped");
    return;
  }
  const Delivery d;
  // The recipe as the README gives it, with this test's paths for $HOME (maildrop takes HOME from the password
  // file, not the environment), binary and model. maildrop wants its filter file private to its owner.
  const std::string home = d.tmp.path();
  std::ofstream(d.tmp / "mailfilter") << "DEFAULT=\"" << home << "/Maildir/\"\nxfilter \"" << SPAMCORE_BIN
                                      << " filter -m " << d.model << "\"\nif (/^X-Spam-Flag: YES/)\n  to \"" << home
                                      << "/Maildir/.Junk/\"\n";
  fs::permissions(d.tmp / "mailfilter", fs::perms::owner_read | fs::perms::owner_write);
  d.deliver("maildrop " + q(d.tmp / "mailfilter"));
}

TEST_CASE("scripts/retrain.sh: incremental, one log line, safe twice at once, non-zero on failure") {
  TempDir tmp;
  const fs::path maildir = tmp / "Maildir";
  make_maildir(maildir);
  make_maildir(maildir / ".Junk");
  for (int i = 0; i < 8; ++i) {
    fs::copy_file(fixture_path("train/spam/0" + std::to_string(i) + ".eml"),
                  maildir / ".Junk/cur" / ("s" + std::to_string(i) + ":2,S"));
    fs::copy_file(fixture_path("train/ham/0" + std::to_string(i) + ".eml"),
                  maildir / "cur" / ("h" + std::to_string(i) + ":2,S"));
  }
  const std::string env = "HOME=" + q(tmp.path()) + " SPAMCORE_BIN=" + q(SPAMCORE_BIN) + " ";
  const std::string script = std::string(SPAMCORE_SOURCE_DIR) + "/scripts/retrain.sh";
  REQUIRE(sh(env + q(script) + " > " + q(tmp / "o1") + " & p1=$!; " + env + q(script) + " > " + q(tmp / "o2") +
             " & p2=$!; wait $p1 && wait $p2") == 0);
  const std::string log = read_file(tmp / ".spamcore/retrain.log");
  CHECK(std::count(log.begin(), log.end(), '\n') == 2);
  CHECK(log.find("learned 16 (8 spam, 8 ham)") != std::string::npos);
  CHECK(log.find("learned 0 (0 spam, 0 ham), skipped 16 known") != std::string::npos);
  CHECK(read_file(tmp / "o1").find("retrain rc=0: train: ") != std::string::npos);

  fs::copy_file(fixture_path("mail/plain.eml"), maildir / "cur" / "new1:2,S");
  REQUIRE(sh(env + q(script) + " > /dev/null") == 0);
  CHECK(read_file(tmp / ".spamcore/retrain.log").find("learned 1 (0 spam, 1 ham), skipped 16 known") !=
        std::string::npos);

  fs::remove_all(maildir / ".Junk");
  CHECK(sh(env + q(script) + " > /dev/null 2> " + q(tmp / "err")) == 3);
  CHECK(read_file(tmp / "err").find("retrain rc=3: spamcore: ") != std::string::npos);
}

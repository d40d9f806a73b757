// Faults an admin's cron job and a mail pipe meet together: model replaced under scorers, concurrent writers,
// a trainer killed mid-write. Driven through the real binary, in background shell jobs.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_util.hpp"

using namespace spamcore::test;

namespace {

std::string q(const std::string& s) { return shell_quote(s); }
const std::string bin = shell_quote(SPAMCORE_BIN);

int sh(const std::string& script) {
  const int status = std::system(("bash -c " + q(script)).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `n` distinct small messages in `dir`, words drawn from a fixed list by a seeded generator.
void make_messages(const std::string& dir, int n, const std::string& tag, std::uint32_t seed) {
  std::filesystem::create_directories(dir);
  static const char* words[] = {"offer", "meeting", "free", "report", "money", "project", "click", "lunch",
                                "winner", "schedule", "viagra", "review", "cash", "patch", "deal", "build"};
  for (int i = 0; i < n; ++i) {
    std::ofstream out(dir + "/" + std::to_string(i) + ".eml", std::ios::binary);
    out << "From: " << tag << i << "@example.com\nSubject: " << tag << " message " << i << "\n\n";
    for (int w = 0; w < 60; ++w) {
      seed = seed * 1103515245u + 12345u;
      out << words[(seed >> 16) % 16] << (w % 12 == 11 ? "\n" : " ");
    }
    out << tag << i << "\n";
  }
}

// A model trained on the fixture mail (8 spam, 8 ham).
void train_fixtures(const std::string& model) {
  REQUIRE(sh(bin + " train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
             q(fixture_path("train/ham")) + " > /dev/null") == 0);
}

std::pair<std::uint64_t, std::uint64_t> model_counts(const std::string& model) {
  const RunResult r = run_spamcore("export -m " + q(model) + " --format json");
  REQUIRE(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  return {std::stoull(doc["meta"]["spam_messages"].get<std::string>()),
          std::stoull(doc["meta"]["ham_messages"].get<std::string>())};
}

}  // namespace

TEST_CASE("a scorer loop keeps working while train replaces the model 20 times") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  const std::string train = bin + " train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
                            q(fixture_path("train/ham")) + " > /dev/null";
  REQUIRE(sh(train) == 0);
  const std::string script =
      "( for i in $(seq 20); do " + train + " || echo fail >> " + q(tmp / "trainfail") + "; done; touch " +
      q(tmp / "done") + " ) &\n"
      "n=0; bad=0\n"
      "while [ ! -e " + q(tmp / "done") + " ] || [ $n -lt 20 ]; do\n"
      "  " + bin + " score -m " + q(model) + " " + q(fixture_path("train/spam/01.eml")) + " > /dev/null 2>> " +
      q(tmp / "err") + "; rc=$?\n"
      "  [ $rc -le 2 ] || bad=$((bad+1)); n=$((n+1))\n"
      "done\nwait\necho \"$n $bad\" > " + q(tmp / "result");
  REQUIRE(sh(script) == 0);
  const std::string result = read_file(tmp / "result");
  MESSAGE("scores run during the 20 retrains, failures: " << result);
  CHECK(result.substr(result.find(' ') + 1) == "0\n");
  CHECK_FALSE(std::filesystem::exists(tmp / "trainfail"));
  CHECK(read_file(tmp / "err").empty());
}

TEST_CASE("two learn processes and an incremental train at once: every update lands") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  const auto [spam0, ham0] = model_counts(model);
  make_messages(tmp / "a", 12, "alpha", 1);
  make_messages(tmp / "b", 12, "beta", 2);
  make_messages(tmp / "cs", 15, "gamma", 3);
  make_messages(tmp / "ch", 15, "delta", 4);
  const std::string script =
      "( for f in " + q(tmp / "a") + "/*.eml; do " + bin + " learn -m " + q(model) + " --spam \"$f\" > /dev/null || "
      "echo fail; done ) > " + q(tmp / "fa") + " &\n"
      "( for f in " + q(tmp / "b") + "/*.eml; do " + bin + " learn -m " + q(model) + " --ham \"$f\" > /dev/null || "
      "echo fail; done ) > " + q(tmp / "fb") + " &\n"
      "( " + bin + " train --incremental -m " + q(model) + " --spam " + q(tmp / "cs") + " --ham " + q(tmp / "ch") +
      " > /dev/null || echo fail ) > " + q(tmp / "fc") + " &\n"
      "wait";
  REQUIRE(sh(script) == 0);
  CHECK(read_file(tmp / "fa").empty());
  CHECK(read_file(tmp / "fb").empty());
  CHECK(read_file(tmp / "fc").empty());
  const auto [spam1, ham1] = model_counts(model);
  CHECK(spam1 == spam0 + 12 + 15);
  CHECK(ham1 == ham0 + 12 + 15);
}

TEST_CASE("kill -9 of train at any moment leaves a model that opens and scores") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  make_messages(tmp / "s", 1500, "spam", 5);
  make_messages(tmp / "h", 1500, "ham", 6);
  const std::string train = bin + " train -m " + q(model) + " --spam " + q(tmp / "s") + " --ham " + q(tmp / "h") +
                            " > /dev/null 2>&1";
  const auto start = std::chrono::steady_clock::now();
  const std::string copy = tmp / "copy.scm";
  REQUIRE(sh("cp " + q(model) + " " + q(copy) + " && " + bin + " train -m " + q(copy) + " --spam " + q(tmp / "s") +
             " --ham " + q(tmp / "h") + " > /dev/null") == 0);
  const double full = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (int k = 1; k <= 20; ++k) {
    const double at = full * k / 20.0;
    sh(train + " & pid=$!; sleep " + std::to_string(at) + "; kill -9 $pid 2>/dev/null; wait $pid");
    const RunResult s = run_spamcore("score -m " + q(model), fixture_path("train/spam/01.eml"));
    REQUIRE_MESSAGE(s.exit_code <= 2, "killed after " << at << " s: " << s.err);
    REQUIRE(run_spamcore("export -m " + q(model)).exit_code == 0);  // every block verifies
  }
}

namespace {

std::size_t temp_files(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.path().filename().string().find(".tmp.") != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("a trainer killed mid-write leaves a temporary file; the next writer removes it") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  std::ofstream(tmp / ".m.scm.tmp.AbC123") << "half a model";  // what kill -9 during a save leaves
  // Not ours: the temporary file of a model named "m.scm.tmp.x", whose writer may be saving right now.
  std::ofstream(tmp / ".m.scm.tmp.x.tmp.XyZ789") << "another model's save";
  REQUIRE(temp_files(tmp.path()) == 2);
  REQUIRE(run_spamcore("learn -m " + q(model) + " --spam " + q(fixture_path("mail/plain.eml"))).exit_code == 0);
  CHECK(temp_files(tmp.path()) == 1);
  CHECK(std::filesystem::exists(tmp / ".m.scm.tmp.x.tmp.XyZ789"));
}

TEST_CASE("a stale temporary name that cannot be removed does not stop the others from being removed") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  // A non-empty directory with a temporary file's name: remove() fails on it, wherever it comes in the scan.
  std::filesystem::create_directory(tmp / ".m.scm.tmp.DIR000");
  std::ofstream(std::filesystem::path(tmp / ".m.scm.tmp.DIR000") / "x") << "x";
  for (int i = 0; i < 20; ++i)
    std::ofstream(tmp / (".m.scm.tmp.Stal" + std::to_string(i % 10) + char('a' + i / 10))) << "x";
  REQUIRE(temp_files(tmp.path()) == 21);
  REQUIRE(run_spamcore("learn -m " + q(model) + " --spam " + q(fixture_path("mail/plain.eml"))).exit_code == 0);
  CHECK(temp_files(tmp.path()) == 1);
}

TEST_CASE("disk full while saving (ulimit -f): clear error, exit 3, old model intact, no temporary file") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  const std::string before = read_file(model);
  const int rc = sh("ulimit -f 1024; " + bin + " learn -m " + q(model) + " --ham " +
                    q(fixture_path("mail/plain.eml")) + " > /dev/null 2> " + q(tmp / "err"));
  CHECK(rc == 3);
  const std::string err = read_file(tmp / "err");
  CHECK(err.find("cannot write") != std::string::npos);
  CHECK(err.find("File too large") != std::string::npos);
  CHECK(read_file(model) == before);
  CHECK(temp_files(tmp.path()) == 0);
  CHECK(run_spamcore("score -m " + q(model), fixture_path("train/spam/01.eml")).exit_code <= 2);
}

TEST_CASE("a model directory that cannot be written: clear error, exit 3, old model intact") {
  TempDir tmp;
  const std::string dir = tmp / "ro";
  std::filesystem::create_directories(dir);
  const std::string model = dir + "/m.scm";
  train_fixtures(model);
  const std::string before = read_file(model);
  // Root ignores permission bits: a read-only bind mount makes the directory unwritable even for root.
  if (sh("mount --bind " + q(dir) + " " + q(dir) + " 2>/dev/null && mount -o remount,bind,ro " + q(dir) +
         " 2>/dev/null") != 0 &&
      sh("chmod 555 " + q(dir) + " && ! touch " + q(dir + "/probe") + " 2>/dev/null") != 0) {
    sh("umount " + q(dir) + " 2>/dev/null; chmod 755 " + q(dir));
    MESSAGE("cannot make a read-only directory here (root, no mount): skipped");
    return;
  }
  const int rc = sh(bin + " learn -m " + q(model) + " --ham " + q(fixture_path("mail/plain.eml")) +
                    " > /dev/null 2> " + q(tmp / "err"));
  CHECK(rc == 3);
  CHECK(read_file(tmp / "err").rfind("spamcore: " + dir, 0) == 0);
  CHECK(read_file(model) == before);
  sh("umount " + q(dir) + " 2>/dev/null; chmod 755 " + q(dir));
}

TEST_CASE("4 scorer loops, 2 learners and a retrainer at once: no failure, counts add up") {
  const char* env = std::getenv("SPAMCORE_STRESS_SECONDS");
  const int seconds = env ? std::atoi(env) : 10;  // 60 for the closing note; CI keeps it short
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  const auto [spam0, ham0] = model_counts(model);
  make_messages(tmp / "ls", 3000, "learnspam", 11);
  make_messages(tmp / "lh", 3000, "learnham", 12);
  make_messages(tmp / "rs", 20, "retrainspam", 13);
  make_messages(tmp / "rh", 20, "retrainham", 14);
  const std::string end = "$(( $(date +%s) + " + std::to_string(seconds) + " ))";
  const std::string score_loop =
      "( n=0; bad=0; while [ $(date +%s) -lt $end ]; do " + bin + " score -m " + q(model) + " " +
      q(fixture_path("train/ham/01.eml")) + " > /dev/null 2>&1; [ $? -le 2 ] || bad=$((bad+1)); n=$((n+1)); done; "
      "echo \"$n $bad\" ) ";
  auto learn_loop = [&](const std::string& dir, const char* label, const std::string& out) {
    return "( i=0; bad=0; while [ $(date +%s) -lt $end ] && [ $i -lt 3000 ]; do " + bin + " learn -m " + q(model) +
           " " + label + " " + q(tmp / dir) + "/$i.eml > /dev/null 2>&1 || bad=$((bad+1)); i=$((i+1)); done; "
           "echo \"$i $bad\" > " + q(tmp / out) + " ) &\n";
  };
  const std::string script =
      "end=" + end + "\n" + learn_loop("ls", "--spam", "la") + learn_loop("lh", "--ham", "lb") +
      "( r=0; bad=0; while [ $(date +%s) -lt $end ]; do " + bin + " train --incremental -m " + q(model) +
      " --spam " + q(tmp / "rs") + " --ham " + q(tmp / "rh") + " > /dev/null 2>&1 || bad=$((bad+1)); r=$((r+1)); "
      "done; echo \"$r $bad\" > " + q(tmp / "rt") + " ) &\n" +
      "for k in 1 2 3 4; do " + score_loop + " > " + q(tmp / "s") + "$k & done\nwait\n";
  REQUIRE(sh(script) == 0);
  auto pair_of = [&](const std::string& f) {
    const std::string t = read_file(tmp / f);
    return std::make_pair(std::stoul(t), std::stoul(t.substr(t.find(' ') + 1)));
  };
  std::size_t scores = 0;
  for (const char* f : {"s1", "s2", "s3", "s4"}) {
    const auto [n, bad] = pair_of(f);
    scores += n;
    CHECK(bad == 0);
  }
  const auto [la, la_bad] = pair_of("la");
  const auto [lb, lb_bad] = pair_of("lb");
  const auto [rt, rt_bad] = pair_of("rt");
  CHECK(la_bad == 0);
  CHECK(lb_bad == 0);
  CHECK(rt_bad == 0);
  CHECK(rt > 0);
  const auto [spam1, ham1] = model_counts(model);
  CHECK(spam1 == spam0 + la + 20);
  CHECK(ham1 == ham0 + lb + 20);
  MESSAGE(seconds << " s: " << scores << " scores, " << la << " + " << lb << " learns, " << rt << " retrains");
}

TEST_CASE("out of memory (ulimit -v): one clear line and exit 3") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  train_fixtures(model);
  // A 60 MB message is kept whole (under the 64 MiB cap); growing the buffer to hold it needs more than 80 MB.
  const int rc = sh("ulimit -v 80000; head -c 60000000 /dev/zero | " + bin + " score -m " + q(model) +
                    " > /dev/null 2> " + q(tmp / "err"));
  CHECK(rc == 3);
  CHECK(read_file(tmp / "err") == "spamcore: out of memory\n");
}

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
  REQUIRE(sh(bin + " train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
             q(fixture_path("train/ham")) + " > /dev/null") == 0);
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
  REQUIRE(sh(bin + " train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
             q(fixture_path("train/ham")) + " > /dev/null") == 0);
  make_messages(tmp / "s", 1500, "spam", 5);
  make_messages(tmp / "h", 1500, "ham", 6);
  const std::string train = bin + " train -m " + q(model) + " --spam " + q(tmp / "s") + " --ham " + q(tmp / "h") +
                            " > /dev/null 2>&1";
  const auto start = std::chrono::steady_clock::now();
  const std::string copy = tmp / "copy.scm";
  REQUIRE(sh("cp " + q(model) + " " + q(copy) + " && " + bin + " train -m " + q(copy) + " --spam " + q(tmp / "s") +
             " --ham " + q(tmp / "h") + " > /dev/null") == 0);
  const double full = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (int k = 1; k <= 10; ++k) {
    const double at = full * k / 10.0;
    sh(train + " & pid=$!; sleep " + std::to_string(at) + "; kill -9 $pid 2>/dev/null; wait $pid");
    const RunResult s = run_spamcore("score -m " + q(model), fixture_path("train/spam/01.eml"));
    REQUIRE_MESSAGE(s.exit_code <= 2, "killed after " << at << " s: " << s.err);
    REQUIRE(run_spamcore("export -m " + q(model)).exit_code == 0);  // every block verifies
  }
}

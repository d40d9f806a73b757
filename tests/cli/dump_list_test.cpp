#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_util.hpp"
#include "spamcore/base/digest.hpp"

using namespace spamcore::test;
using nlohmann::json;

TEST_CASE("dump prints the parsed message as JSON, from a file and from stdin") {
  const std::string path = fixture_path("mail/multipart_alternative.eml");
  const RunResult r = run_spamcore("dump " + shell_quote(path));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);
  CHECK(j["headers"][2]["name"] == "Subject");
  CHECK(j["headers"][2]["value"] == "Café deals €50");
  REQUIRE(j["parts"].size() == 2);
  CHECK(j["parts"][0]["content_type"] == "text/plain");
  CHECK(j["parts"][1]["transfer_encoding"] == "base64");
  CHECK(j["html"]["images"] == 1);
  CHECK(j["issues"].empty());
  bool found = false;
  for (const auto& u : j["urls"]) found = found || u == "http://click.spam.example/?id=1";
  CHECK(found);

  const RunResult s = run_spamcore("dump -", path);
  CHECK(s.exit_code == 0);
  CHECK(s.out == r.out);
  const RunResult c = run_spamcore("dump --compact", path);
  CHECK(c.out.find('\n') == c.out.size() - 1);
}

TEST_CASE("dump reports issues of hostile mail and still exits 0") {
  const RunResult r = run_spamcore("dump", fixture_path("mail/hostile_bytes.eml"));
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  std::vector<std::string> kinds;
  for (const auto& i : j["issues"]) kinds.push_back(i["kind"]);
  CHECK(std::find(kinds.begin(), kinds.end(), "nul-bytes") != kinds.end());
  CHECK(std::find(kinds.begin(), kinds.end(), "bad-encoded-word") != kinds.end());
}

TEST_CASE("dump of a missing file: one line naming the file, exit 3") {
  const RunResult r = run_spamcore("dump /nonexistent/message.eml");
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK(r.err == "spamcore: /nonexistent/message.eml: cannot open: No such file or directory\n");
}

TEST_CASE("usage errors exit 3 (never 2, which means unsure), --help exits 0 with an example") {
  CHECK(run_spamcore("").exit_code == 3);
  CHECK(run_spamcore("no-such-command").exit_code == 3);
  for (const char* cmd : {"dump", "list", "stats", "train", "learn", "score", "filter", "classify", "eval", "export",
                          "import", "inspect", "tokens"}) {
    const RunResult h = run_spamcore(std::string(cmd) + " --help");
    CHECK_MESSAGE(h.exit_code == 0, cmd);
    CHECK_MESSAGE(h.out.find("Example:") != std::string::npos, cmd);
  }
}

TEST_CASE("numeric options refuse nan and out-of-range values before anything is trained") {
  for (const char* opt : {"--nb-alpha nan", "--nb-chi-scale nan", "--nb-chi-scale 0.5", "--warmup nan",
                          "--spam-cutoff nan", "--nb-weight inf", "--nb-min-dev -1", "--lr-rate nan",
                          "--osb-window 17", "--nb-context-min 0", "--lr-squash nan", "--lr-squash -1"}) {
    TempDir tmp;
    const std::string model = tmp / "m.scm";
    const RunResult r = run_spamcore("train -m " + shell_quote(model) + " " + opt + " --spam " +
                                     shell_quote(fixture_path("train/spam")) + " --ham " +
                                     shell_quote(fixture_path("train/ham")));
    CHECK_MESSAGE(r.exit_code == 3, opt);
    CHECK_MESSAGE(r.err.find("not in range") != std::string::npos, opt << ": " << r.err);
    CHECK_MESSAGE(!std::filesystem::exists(model), opt);  // refused before anything was trained
  }
}

TEST_CASE("list prints origin, size and SHA-256 per message") {
  const std::string path = fixture_path("mail/plain.eml");
  const RunResult r = run_spamcore("list " + shell_quote(path));
  REQUIRE(r.exit_code == 0);
  // A file starting with a "From " line is an mbox (here of one message); the envelope is not part of the message.
  const std::string raw = read_file(path);
  const std::string bytes = raw.substr(raw.find('\n') + 1);
  CHECK(r.out == path + ":0\t" + std::to_string(bytes.size()) + "\t" + spamcore::to_hex(spamcore::sha256(bytes)) + "\n");
  const RunResult missing = run_spamcore("list /nonexistent/dir");
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.rfind("spamcore: /nonexistent/dir: ", 0) == 0);
}

TEST_CASE("stats summarises a folder") {
  const RunResult r = run_spamcore("stats " + shell_quote(fixture_path("mail")));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("messages") != std::string::npos);
  CHECK(r.out.find("missing-boundary=2") != std::string::npos);
}

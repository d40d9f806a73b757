// `spamcore filter` through the real binary: never lose mail, exit codes, the documented fields.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_util.hpp"
#include "spam_fields.hpp"

using namespace spamcore::test;

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::string trained_model(const TempDir& tmp) {
  const std::string model = tmp / "m.scm";
  const RunResult t = run_spamcore("train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
                                   q(fixture_path("train/ham")));
  REQUIRE(t.exit_code == 0);
  return model;
}


}  // namespace

TEST_CASE("filter: spam gets X-Spam-Flag, exit 0 whatever the verdict, forged fields replaced") {
  TempDir tmp;
  const std::string model = trained_model(tmp);
  const RunResult spam = run_spamcore("filter -m " + q(model), fixture_path("train/spam/03.eml"));
  CHECK(spam.exit_code == 0);
  CHECK(spam.err.empty());
  CHECK(spam.out.find("\nX-Spam-Status: Yes, score=") != std::string::npos);
  CHECK(spam.out.find("\nX-Spam-Flag: YES\n") != std::string::npos);
  CHECK(without_spam_fields(spam.out) == without_spam_fields(fixture("train/spam/03.eml")));

  write_file(tmp / "forged.eml", "X-Spam-Status: No, score=0.0\nX-Spam-Flag: NO\nSubject: hi\n\nhello\n");
  const RunResult forged = run_spamcore("filter -m " + q(model), tmp / "forged.eml");
  CHECK(forged.exit_code == 0);
  CHECK(forged.out.find("X-Spam-Flag: NO") == std::string::npos);
  CHECK(forged.out.find("X-Spam-Status: No, score=0.0\n") == std::string::npos);
  CHECK(forged.out.rfind("Subject: hi\nX-Spam-Status: ", 0) == 0);
  // FILE argument as well as stdin.
  CHECK(run_spamcore("filter -m " + q(model) + " " + q(tmp / "forged.eml")).out == forged.out);
}

TEST_CASE("filter: a message longer than the model's --max-bytes scores as `score` scores it") {
  // The filter reads only as much as the model's tokenizer reads: one byte past what it analyses (without it, the
  // parser would not know the message was cut, and the "truncated" feature that `train` and `score` see would be
  // missing), and the raw prefix its byte n-grams come from, which may be longer.
  TempDir tmp;
  const std::string head = "Subject: cheap pills\n\n";
  std::vector<std::string> paths = {fixture_path("train/spam/00.eml"), fixture_path("mail/plain.eml")};
  for (const std::size_t size : {199, 200, 201, 2999, 3000, 3001, 5000}) {
    paths.push_back(tmp / ("m" + std::to_string(size) + ".eml"));
    write_file(paths.back(), head + std::string(size - head.size(), 'x'));
  }
  for (const std::string settings : {"--max-bytes 200", "--max-bytes 200 --byte-ngrams 3"}) {
    CAPTURE(settings);
    const std::string model = tmp / "m.scm";
    std::filesystem::remove(model);
    REQUIRE(run_spamcore("train " + settings + " -m " + q(model) + " --spam " + q(fixture_path("train/spam")) +
                         " --ham " + q(fixture_path("train/ham")))
                .exit_code == 0);
    for (const std::string& path : paths) {
      CAPTURE(path);
      const RunResult scored = run_spamcore("score -m " + q(model) + " " + q(path));
      const RunResult filtered = run_spamcore("filter -m " + q(model), path);
      REQUIRE(filtered.exit_code == 0);
      const std::size_t at = filtered.out.find("\nX-Spam-Score: ");
      REQUIRE(at != std::string::npos);
      const std::string value = filtered.out.substr(at + 15, filtered.out.find('\n', at + 1) - at - 15);
      CHECK(scored.out.substr(0, scored.out.find(' ')) == value);
      CHECK(without_spam_fields(filtered.out) == without_spam_fields(read_file(path)));
    }
  }
}

TEST_CASE("filter: no model, corrupt model -> the input byte for byte, one line on stderr, exit 3") {
  TempDir tmp;
  const std::string msg = fixture("mail/crlf.eml");
  const RunResult none = run_spamcore("filter -m " + q(tmp / "none.scm"), fixture_path("mail/crlf.eml"));
  CHECK(none.exit_code == 3);
  CHECK(none.out == msg);
  CHECK(none.err == "spamcore: " + tmp / "none.scm" + ": cannot open model: No such file or directory\n");

  const std::string model = trained_model(tmp);
  std::string bytes = read_file(model);
  bytes[40] ^= 0x40;  // in the header: refused at open (a flipped data byte is refused when a score touches it)
  write_file(tmp / "bad.scm", bytes);
  const RunResult bad = run_spamcore("filter -m " + q(tmp / "bad.scm"), fixture_path("mail/crlf.eml"));
  CHECK(bad.exit_code == 3);
  CHECK(bad.out == msg);
  CHECK(bad.err.find(tmp / "bad.scm") != std::string::npos);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
}

TEST_CASE("filter: empty, binary junk, CRLF and a 50 MB message keep every byte") {
  TempDir tmp;
  const std::string model = trained_model(tmp);

  write_file(tmp / "empty", "");
  const RunResult empty = run_spamcore("filter -m " + q(model), tmp / "empty");
  CHECK(empty.exit_code == 0);
  CHECK(without_spam_fields(empty.out).empty());
  CHECK(empty.out.find("X-Spam-Status: ") == 0);

  std::string junk;
  std::uint32_t x = 12345;
  for (int i = 0; i < 300000; ++i) {
    x = x * 1103515245u + 12345u;
    junk.push_back(static_cast<char>(x >> 24));
  }
  write_file(tmp / "junk", junk);
  const RunResult j = run_spamcore("filter -m " + q(model), tmp / "junk");
  CHECK((j.exit_code == 0 || j.exit_code == 3));
  CHECK(without_spam_fields(j.out) == without_spam_fields(junk));

  const RunResult crlf = run_spamcore("filter -m " + q(model), fixture_path("mail/crlf.eml"));
  CHECK(crlf.exit_code == 0);
  CHECK(crlf.out.find("X-Spam-Score: 0.") != std::string::npos);
  for (std::size_t i = 1; i < crlf.out.size(); ++i)
    if (crlf.out[i] == '\n') REQUIRE(crlf.out[i - 1] == '\r');
  CHECK(without_spam_fields(crlf.out) == without_spam_fields(fixture("mail/crlf.eml")));

  std::string big = "From: big@example.com\nSubject: fifty megabytes\n\n";
  const std::string line(99, 'x');
  while (big.size() < (50u << 20)) big += line + "\n";
  write_file(tmp / "big", big);
  const RunResult b = run_spamcore("filter -m " + q(model), tmp / "big");
  CHECK(b.exit_code == 0);
  CHECK(b.out.size() > big.size());
  CHECK(without_spam_fields(b.out) == big);
}

TEST_CASE("filter: a reader that goes away gives exit 3, not a silent death by SIGPIPE") {
  TempDir tmp;
  const std::string model = trained_model(tmp);
  std::string big = "Subject: x\n\n" + std::string(4u << 20, 'y');
  write_file(tmp / "big", big);
  const std::string cmd = "set -o pipefail; " + q(SPAMCORE_BIN) + " filter -m " + q(model) + " < " + q(tmp / "big") +
                          " 2>/dev/null | head -c 10 > /dev/null";
  const int status = std::system(("bash -c " + q(cmd)).c_str());
  CHECK(WEXITSTATUS(status) == 3);
}

// engine::filter in-process: header rewriting rules, line endings, fallbacks. (The CLI tests run the binary.)
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "cli_util.hpp"
#include "spam_fields.hpp"
#include "spamcore/engine/filter.hpp"
#include "spamcore/engine/train.hpp"

using namespace spamcore;
using namespace spamcore::test;

namespace {

struct Trained {
  TempDir dir;
  std::string model = dir / "m.scm";
  Trained() {
    engine::TrainOptions o;
    o.model_path = model;
    o.spam_paths = {fixture_path("train/spam")};
    o.ham_paths = {fixture_path("train/ham")};
    engine::train(o);
  }
};

const Trained& trained() {
  static const Trained t;
  return t;
}

engine::FilterOutcome run_filter(const std::string& input, std::string& output, const std::string& model,
                                 std::size_t max_header = std::size_t{64} << 20) {
  TempDir tmp;
  std::ofstream(tmp / "in", std::ios::binary) << input;
  const int in = ::open((tmp / "in").c_str(), O_RDONLY);
  const int out = ::open((tmp / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  engine::FilterOptions o;
  o.model_path = model;
  o.max_header_bytes = max_header;
  const engine::FilterOutcome r = engine::filter(in, out, o);
  ::close(in);
  ::close(out);
  output = read_file(tmp / "out");
  return r;
}

}  // namespace

TEST_CASE("strip_spam_fields drops X-Spam-* fields with their continuation lines, any case, nothing else") {
  CHECK(engine::strip_spam_fields("A: 1\nX-Spam-Flag: YES\nB: 2\n") == "A: 1\nB: 2\n");
  CHECK(engine::strip_spam_fields("x-spam-status: Yes,\n\tscore=1\n  more\nC: 3\r\n") == "C: 3\r\n");
  CHECK(engine::strip_spam_fields("X-Spam: not ours\nX-Spammer: no\n") == "X-Spam: not ours\nX-Spammer: no\n");
  CHECK(engine::strip_spam_fields("A: 1\n\tcont\nX-SPAM-Level: ***") == "A: 1\n\tcont\n");
}

TEST_CASE("spam_header_fields: status, score, flag only for spam, the given line ending") {
  model::Score s;
  s.probability = 0.25;
  s.verdict = model::Verdict::ham;
  CHECK(engine::spam_header_fields(s, "nb", "abc", "\r\n") ==
        "X-Spam-Status: No, score=0.250000, algo=nb, model=abc\r\nX-Spam-Score: 0.250000\r\n");
  s.probability = 0.999;
  s.verdict = model::Verdict::spam;
  CHECK(engine::spam_header_fields(s, "combo", "d", "\n") ==
        "X-Spam-Status: Yes, score=0.999000, algo=combo, model=d\nX-Spam-Score: 0.999000\nX-Spam-Flag: YES\n");
  s.verdict = model::Verdict::unsure;
  CHECK(engine::spam_header_fields(s, "nb", "d", "\n").rfind("X-Spam-Status: Unsure,", 0) == 0);
}

TEST_CASE("filter adds its fields at the end of the header block, replacing forged ones") {
  const std::string in = "From: a@example.com\nX-Spam-Flag: YES\nSubject: hello\n\nbody\nX-Spam-Flag: in body\n";
  std::string out;
  const auto r = run_filter(in, out, trained().model);
  REQUIRE(r.classified);
  CHECK(r.error.empty());
  CHECK(out.rfind("From: a@example.com\nSubject: hello\nX-Spam-Status: ", 0) == 0);
  CHECK(out.find("\n\nbody\nX-Spam-Flag: in body\n") != std::string::npos);
  CHECK(without_spam_fields(out) == without_spam_fields(in));
}

TEST_CASE("filter keeps CRLF, and handles no header, no body, no final newline and empty input") {
  std::string out;
  REQUIRE(run_filter("Subject: x\r\n\r\nbody\r\n", out, trained().model).classified);
  CHECK(out.find("X-Spam-Score: ") != std::string::npos);
  CHECK(out.find("\nX-Spam-Score: 0.") != std::string::npos);
  CHECK(out.find("\r\n\r\nbody\r\n") != std::string::npos);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i] == '\n') CHECK(out[i - 1] == '\r');

  REQUIRE(run_filter("\nbody only\n", out, trained().model).classified);
  CHECK(out.rfind("X-Spam-Status: ", 0) == 0);
  CHECK(out.find("\n\nbody only\n") != std::string::npos);

  REQUIRE(run_filter("Subject: no newline", out, trained().model).classified);
  CHECK(out.size() > 19);
  CHECK(out.substr(out.size() - 19) == "Subject: no newline");
  // The unterminated last line continues a field: ours go before that whole field, not between its lines.
  REQUIRE(run_filter("From: a@b\nSubject: one\n two\n\tthree", out, trained().model).classified);
  CHECK(out.rfind("From: a@b\nX-Spam-Status: ", 0) == 0);
  CHECK(out.ends_with("\nSubject: one\n two\n\tthree"));
  CHECK(without_spam_fields(out) == "From: a@b\nSubject: one\n two\n\tthree");
  // Only indented lines and no line end: ours at the top would adopt them as continuations (a second filter would
  // strip them): passed through unchanged, as a message that cannot be classified.
  const auto indented = run_filter(" leading\n continuation", out, trained().model);
  CHECK_FALSE(indented.classified);
  CHECK(indented.error.find("no place for our fields") != std::string::npos);
  CHECK(out == " leading\n continuation");

  REQUIRE(run_filter("", out, trained().model).classified);
  CHECK(without_spam_fields(out).empty());
}

TEST_CASE("filter ends the header block where the parser does: bare CR lines, no header, a line that is no field") {
  std::string out;
  // Bare CR line endings (old Mac mail): our fields before the empty line, in CR, forged ones removed.
  REQUIRE(run_filter("Subject: cr\rX-Spam-Flag: YES\rFrom: a@b\r\rBody one\rBody two\r", out, trained().model)
              .classified);
  CHECK(out.rfind("Subject: cr\rFrom: a@b\rX-Spam-Status: ", 0) == 0);
  CHECK(out.ends_with("\r\rBody one\rBody two\r"));
  CHECK(out.find('\n') == std::string::npos);
  CHECK(out.find("X-Spam-Flag: YES") == std::string::npos);
  // No header block at all (the first line is no field): ours at the top, the text after them as it came.
  REQUIRE(run_filter("This is not a header line at all\nJust text.\n", out, trained().model).classified);
  CHECK(out.rfind("X-Spam-Status: ", 0) == 0);
  CHECK(out.ends_with("\nThis is not a header line at all\nJust text.\n"));
  CHECK(without_spam_fields(out) == "This is not a header line at all\nJust text.\n");
  // A line that is neither a field nor a continuation ends the block: ours before it, not in the body.
  REQUIRE(run_filter("Subject: x\nHello there\nFrom: y\n\nbody\n", out, trained().model).classified);
  CHECK(out.rfind("Subject: x\nX-Spam-Status: ", 0) == 0);
  CHECK(out.ends_with("\nHello there\nFrom: y\n\nbody\n"));
  // An mbox envelope line stays first.
  REQUIRE(run_filter("From a@b Mon Jan  1 00:00:00 2001\nSubject: x\n\nbody\n", out, trained().model).classified);
  CHECK(out.rfind("From a@b Mon Jan  1 00:00:00 2001\nSubject: x\nX-Spam-Status: ", 0) == 0);
}

TEST_CASE("filter: odd line endings and odd first lines keep every byte, and filtering twice changes nothing more") {
  std::string once, twice;
  // A first line ended by a stray CR in LF mail: ours in LF, after the last field, the empty line kept.
  REQUIRE(run_filter("From: a@x\rX-Mailer: z\nSubject: s\n\nbody\n", once, trained().model).classified);
  CHECK(once.rfind("From: a@x\rX-Mailer: z\nSubject: s\nX-Spam-Status: ", 0) == 0);
  CHECK(once.find("\nX-Spam-Score: ") != std::string::npos);
  CHECK(once.ends_with("\n\nbody\n"));
  // A stray CR in the first line, then text that is no field: still LF mail, ours on LF lines of their own, where
  // procmail's ^X-Spam-Flag finds them (they went between the CR and the rest of the line, in CR).
  REQUIRE(run_filter("From: a@x\r!!!\nSubject: s\n\nbody\n", once, trained().model).classified);
  CHECK(once.rfind("From: a@x\r!!!\nX-Spam-Status: ", 0) == 0);
  CHECK(once.find("\nX-Spam-Score: ") != std::string::npos);
  REQUIRE(run_filter("Subject: a\rb\r\nFrom: x\r\n\r\nbody\r\n", once, trained().model).classified);
  CHECK(once.rfind("Subject: a\rb\r\nX-Spam-Status: ", 0) == 0);
  // A forged field as the first line: ours still end as the mail's lines do.
  REQUIRE(run_filter("X-Spam-Flag: YES\r\nSubject: hi", once, trained().model).classified);
  CHECK(once.rfind("X-Spam-Status: ", 0) == 0);
  CHECK(once.ends_with("\r\nSubject: hi"));
  CHECK(once.find("X-Spam-Flag: YES") == std::string::npos);
  // A stray CR inside an LF header does not start a line: the text after it is not taken for a field.
  REQUIRE(run_filter("Subject: 50% off\rx-spam-free: offer\nFrom: a\n\nbody\n", once, trained().model).classified);
  CHECK(once.rfind("Subject: 50% off\rx-spam-free: offer\nFrom: a\nX-Spam-Status: ", 0) == 0);
  // A forged field after a line that is no field: downstream readers still see it in the header, so it goes.
  REQUIRE(run_filter("Subject: hi\nnot a field\nX-Spam-Status: No\n\nbody\n", once, trained().model).classified);
  CHECK(once.find("X-Spam-Status: No") == std::string::npos);
  CHECK(once.ends_with("\nnot a field\n\nbody\n"));
  // Bare-CR mail behind an mbox envelope line: the body is left alone, even a line that looks like our field.
  REQUIRE(
      run_filter("From a@b Mon\rSubject: x\r\rX-Spam-Note: body line\rmore\r", once, trained().model).classified);
  CHECK(once.rfind("From a@b Mon\rSubject: x\rX-Spam-Status: ", 0) == 0);
  CHECK(once.ends_with("\r\rX-Spam-Note: body line\rmore\r"));
  const std::vector<std::string> inputs = {" indented first line\n\nbody\n",
                                           "From a b\n indented\n\nbody\n",
                                           "no header\nat all\n",
                                           "Subject: cr\rFrom: a\r\rbody\r",
                                           "From: a@x\rX-Mailer: z\nSubject: s\n\nbody\n",
                                           "Subject: x\r\n\r\nbody\r\n",
                                           "Subject: no newline"};
  for (const std::string& in : inputs) {
    REQUIRE(run_filter(in, once, trained().model).classified);
    REQUIRE(run_filter(once, twice, trained().model).classified);
    CHECK_MESSAGE(twice == once, in);
    CHECK_MESSAGE(without_spam_fields(once) == without_spam_fields(in), in);
  }
  // A first line that starts with a blank would become a continuation of ours: ours go at the empty line instead.
  REQUIRE(run_filter(" indented first line\n\nbody\n", once, trained().model).classified);
  CHECK(once.rfind(" indented first line\nX-Spam-Status: ", 0) == 0);
}

TEST_CASE("filter on 1500 random messages of odd lines and endings: filtering twice changes nothing more") {
  // Lines of every kind the header logic tells apart (fields, continuations, forged fields, lines that are no
  // field, empty lines, envelopes), with LF, CRLF or bare-CR endings (mostly the message's own, sometimes not),
  // and sometimes no final newline. Our fields must land where a second filter finds and replaces them exactly.
  std::uint32_t x = 20261129;
  auto rnd = [&](std::uint32_t n) {
    x = x * 1103515245u + 12345u;
    return (x >> 8) % n;
  };
  const std::vector<std::string> pieces = {"Subject: hello", "From: a@b.c",    "X-Spam-Status: Yes, forged",
                                           " continued",     "\tmore",          "not a field",
                                           "",               "body text here", "x-spam-flag: YES",
                                           "Received: by x", "From a@b Mon 1"};
  const std::vector<std::string> endings = {"\n", "\r\n", "\r"};
  std::size_t checked = 0;
  for (int m = 0; m < 1500; ++m) {
    const std::string& own = endings[rnd(3)];
    std::string in;
    const std::uint32_t lines = 1 + rnd(8);
    for (std::uint32_t l = 0; l < lines; ++l) {
      in += pieces[rnd(static_cast<std::uint32_t>(pieces.size()))];
      if (l + 1 < lines || rnd(4) != 0) in += own;
    }
    std::string once, twice;
    if (!run_filter(in, once, trained().model).classified) {
      CHECK(once == in);
      CHECK(in.find_first_not_of(" \tcontinuedmore\n\r") == std::string::npos);  // only indented lines
      continue;
    }
    REQUIRE(run_filter(once, twice, trained().model).classified);
    CHECK_MESSAGE(spam_fields_unscored(twice) == spam_fields_unscored(once), "input: " << nlohmann::json(in).dump());
    ++checked;
  }
  CHECK(checked > 1400);
  // With line endings mixed inside the header (LF lines with bare CRs among them), where the fields go is a matter
  // of reading, and a second filter may read it otherwise; but with no X-Spam-* field to remove, every line of the
  // input is still in the output, as often. (A forged field goes with its continuation lines, and in LF mail with
  // whatever follows a stray CR on its line: downstream readers see one line there.)
  auto occurrences = [](const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
    return n;
  };
  for (int m = 0; m < 1500; ++m) {
    std::string in;
    const std::uint32_t lines = 1 + rnd(8);
    for (std::uint32_t l = 0; l < lines; ++l) {
      const std::string& piece = pieces[rnd(static_cast<std::uint32_t>(pieces.size()))];
      if (piece.find("pam") == std::string::npos) in += piece;
      if (l + 1 < lines || rnd(4) != 0) in += endings[rnd(3)];
    }
    std::string out;
    if (!run_filter(in, out, trained().model).classified) continue;
    for (const std::string& piece : pieces)
      if (!piece.empty() && piece.find("pam") == std::string::npos)
        CHECK_MESSAGE(occurrences(out, piece) >= occurrences(in, piece), "input: " << nlohmann::json(in).dump());
  }
}

TEST_CASE("filter passes the input through unchanged when it cannot classify") {
  const std::string in = fixture("mail/plain.eml");
  std::string out;
  auto r = run_filter(in, out, "/nonexistent/model.scm");
  CHECK_FALSE(r.classified);
  CHECK(r.error.find("/nonexistent/model.scm") != std::string::npos);
  CHECK(out == in);

  // A header block longer than the cap: unchanged, and said why.
  const std::string long_header = "Subject: " + std::string(300000, 'a') + "\n\nbody\n";
  r = run_filter(long_header, out, trained().model, 100000);
  CHECK_FALSE(r.classified);
  CHECK(r.error.find("header block longer than 100000 bytes") != std::string::npos);
  CHECK(out == long_header);
}

TEST_CASE("filter streams what lies beyond the analysed bytes, unchanged") {
  std::string in = "Subject: big\n\n";
  for (int i = 0; i < 200000; ++i) in += "line " + std::to_string(i) + " of a long message\n";  // ~5 MB
  std::string out;
  REQUIRE(run_filter(in, out, trained().model).classified);
  CHECK(without_spam_fields(out) == in);
}

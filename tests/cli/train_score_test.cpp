#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_util.hpp"

using namespace spamcore::test;
using nlohmann::json;

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::string train_args(const std::string& model, const std::string& extra = "") {
  return "train -m " + q(model) + " --spam " + q(fixture_path("train/spam")) + " --ham " +
         q(fixture_path("train/ham")) + " " + extra;
}

}  // namespace

TEST_CASE("train then score: bogofilter exit codes, probability and verdict") {
  TempDir tmp;
  const std::string model = tmp / "sub/dir/model.scm";
  const RunResult t = run_spamcore(train_args(model));
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("learned 16 (8 spam, 8 ham)") != std::string::npos);

  const RunResult spam = run_spamcore("score -m " + q(model), fixture_path("train/spam/03.eml"));
  CHECK(spam.exit_code == 0);
  CHECK(spam.out.substr(spam.out.size() - 6) == " spam\n");
  const RunResult ham = run_spamcore("score -m " + q(model) + " " + q(fixture_path("train/ham/03.eml")));
  CHECK(ham.exit_code == 1);
  CHECK(ham.out.substr(ham.out.size() - 5) == " ham\n");
  const double p = std::stod(ham.out);
  CHECK(p >= 0.0);
  CHECK(p < 0.5);

  const RunResult j = run_spamcore("score --json --explain 3 -m " + q(model), fixture_path("train/spam/01.eml"));
  CHECK(j.exit_code == 0);
  const json doc = json::parse(j.out);
  CHECK(doc["verdict"] == "spam");
  CHECK(doc["spam_features"].size() == 3);
  CHECK(doc["spam_features"][0]["feature"].get<std::string>() != "?");
  // The combo's parts add up to its log-odds.
  CHECK(doc["parts"]["nb"].get<double>() + doc["parts"]["logreg"].get<double>() ==
        doctest::Approx(doc["logit"].get<double>()));
  // Without --json: the verdict line first, unchanged, then (combo) the parts, then the same features a line each.
  const RunResult text = run_spamcore("score --explain 3 -m " + q(model), fixture_path("train/spam/01.eml"));
  CHECK(text.exit_code == 0);
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.out.size();) {
    const std::size_t nl = text.out.find('\n', at);
    lines.push_back(text.out.substr(at, nl - at));
    at = nl + 1;
  }
  const std::size_t nb_lines = doc["nb_spam_features"].size() + doc["nb_ham_features"].size();
  CHECK(doc["nb_spam_features"].size() == 3);  // naive Bayes' clues too: it carries most of the score
  CHECK(doc["nb_spam_features"][0]["weight"].get<double>() > 0);
  REQUIRE(lines.size() == 2 + nb_lines + doc["spam_features"].size() + doc["ham_features"].size());
  CHECK(lines[0] + "\n" == run_spamcore("score -m " + q(model), fixture_path("train/spam/01.eml")).out);
  CHECK(lines[1].rfind("log-odds ", 0) == 0);
  CHECK(lines[1].find(" = naive Bayes ") != std::string::npos);
  CHECK(lines[2].rfind("nb  spam ", 0) == 0);
  CHECK(lines[2].ends_with("  " + doc["nb_spam_features"][0]["feature"].get<std::string>()));
  const std::string strongest = doc["spam_features"][0]["feature"].get<std::string>();
  CHECK(lines[2 + nb_lines].rfind("lr  spam ", 0) == 0);
  CHECK(lines[2 + nb_lines].ends_with("  " + strongest));
  // A single-component model: the features alone, no part named.
  REQUIRE(run_spamcore(train_args(tmp / "nb.scm", "--algo nb")).exit_code == 0);
  const RunResult nb_text =
      run_spamcore("score --explain 1 -m " + q(tmp / "nb.scm"), fixture_path("train/spam/01.eml"));
  CHECK(nb_text.out.find("\nspam ") != std::string::npos);
  CHECK(nb_text.out.find("nb  ") == std::string::npos);
  CHECK(json::parse(run_spamcore("score --json --explain 1 -m " + q(tmp / "nb.scm"), fixture_path("train/spam/01.eml"))
                        .out)
            .contains("nb_spam_features") == false);

  // The model path from the environment.
  const std::string cmd = "env SPAMCORE_MODEL=" + q(model) + " " + q(SPAMCORE_BIN) + " score < " +
                          q(fixture_path("train/spam/03.eml")) + " > /dev/null";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) == 0);
}

TEST_CASE("score errors: missing, empty and corrupt models exit 3 with one line naming the file") {
  TempDir tmp;
  const RunResult missing = run_spamcore("score -m " + q(tmp / "none.scm"), fixture_path("mail/plain.eml"));
  CHECK(missing.exit_code == 3);
  CHECK(missing.err == "spamcore: " + tmp / "none.scm" + ": cannot open model: No such file or directory\n");
  std::ofstream(tmp / "junk.scm") << "not a model at all, but long enough to have a header......................"
                                     "..........................................................";
  const RunResult junk = run_spamcore("score -m " + q(tmp / "junk.scm"), fixture_path("mail/plain.eml"));
  CHECK(junk.exit_code == 3);
  CHECK(junk.err == "spamcore: " + tmp / "junk.scm" + ": not a spamcore model (bad magic)\n");
}

TEST_CASE("export then import gives a byte-identical model; tokens prints names") {
  TempDir tmp;
  REQUIRE(run_spamcore(train_args(tmp / "a.scm")).exit_code == 0);
  REQUIRE(run_spamcore("export -m " + q(tmp / "a.scm") + " -o " + q(tmp / "a.json")).exit_code == 0);
  const json doc = json::parse(read_file(tmp / "a.json"));
  CHECK(doc["format"] == "spamcore-model");
  CHECK(doc["meta"]["algorithm"] == "combo");
  CHECK(doc["learned"].size() == 16);
  REQUIRE(run_spamcore("import -m " + q(tmp / "b.scm") + " " + q(tmp / "a.json")).exit_code == 0);
  CHECK(read_file(tmp / "a.scm") == read_file(tmp / "b.scm"));
  const RunResult bad = run_spamcore("import -m " + q(tmp / "c.scm") + " " + q(fixture_path("mail/plain.eml")));
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.rfind("spamcore: " + fixture_path("mail/plain.eml") + ": not valid JSON", 0) == 0);

  const RunResult tok = run_spamcore("tokens -m " + q(tmp / "a.scm"), fixture_path("mail/multipart_alternative.eml"));
  CHECK(tok.exit_code == 0);
  CHECK(tok.out.find("\nviagra\n") != std::string::npos);
  CHECK(tok.out.find("\nsubject:café\n") != std::string::npos);
}

TEST_CASE("incremental training skips known messages; --threads gives the same model") {
  TempDir tmp;
  REQUIRE(run_spamcore(train_args(tmp / "m.scm", "--algo nb")).exit_code == 0);
  const std::string before = read_file(tmp / "m.scm");
  const auto mtime = std::filesystem::last_write_time(tmp / "m.scm");
  const RunResult again = run_spamcore(train_args(tmp / "m.scm", "--incremental"));
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("learned 0 (0 spam, 0 ham), skipped 16 known") != std::string::npos);
  CHECK(again.out.find("model has 8 spam, 8 ham") != std::string::npos);
  // Nothing new: the file is not rewritten (a nightly retrain of an unchanged Maildir).
  CHECK(read_file(tmp / "m.scm") == before);
  CHECK(std::filesystem::last_write_time(tmp / "m.scm") == mtime);
  REQUIRE(run_spamcore(train_args(tmp / "t1.scm", "--threads 1")).exit_code == 0);
  REQUIRE(run_spamcore(train_args(tmp / "t2.scm", "--threads 2")).exit_code == 0);
  const json a = json::parse(run_spamcore("export -m " + q(tmp / "t1.scm")).out);
  const json b = json::parse(run_spamcore("export -m " + q(tmp / "t2.scm")).out);
  CHECK(a["nb"] == b["nb"]);
  CHECK(a["lr"] == b["lr"]);
  // More threads than the address space allows (8 MiB of stack each): the ones that start work, this thread does
  // the rest, and the model is the same (it was std::terminate).
  const std::string capped =
      "bash -c " + q("ulimit -v 1500000; " + q(SPAMCORE_BIN) + " " + train_args(tmp / "t1000.scm", "--threads 1000") +
                     " > /dev/null 2> " + q(tmp / "err"));
  const int status = std::system(capped.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_file(tmp / "err").empty());
  const json c = json::parse(run_spamcore("export -m " + q(tmp / "t1000.scm")).out);
  CHECK(a["nb"] == c["nb"]);
  CHECK(a["lr"] == c["lr"]);
}

TEST_CASE("incremental training: known messages are skipped by digest and label, new and relabelled ones learned") {
  TempDir tmp;
  const std::string spam = q(fixture_path("train/spam")), ham = q(fixture_path("train/ham"));
  REQUIRE(run_spamcore("train --algo nb -m " + q(tmp / "all.scm") + " --spam " + spam + " --ham " + ham).exit_code ==
          0);
  // Half the ham first learned as spam, then the whole corpus with the right labels: the 8 spam and the other 4 ham
  // are skipped as known, the 4 are moved (known, but under the other label), and the counts end as if the corpus
  // had been learned once, rightly.
  std::string wrong, right;
  for (int i = 0; i < 8; ++i)
    (i < 4 ? wrong : right) += " " + q(fixture_path("train/ham/0" + std::to_string(i) + ".eml"));
  REQUIRE(run_spamcore("train --algo nb -m " + q(tmp / "inc.scm") + " --spam " + spam + wrong + " --ham" + right)
              .exit_code == 0);
  const RunResult r =
      run_spamcore("train --incremental -m " + q(tmp / "inc.scm") + " --spam " + spam + " --ham " + ham);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("learned 4 (0 spam, 4 ham), skipped 12 known") != std::string::npos);
  CHECK(r.out.find("model has 8 spam, 8 ham") != std::string::npos);
  const json all = json::parse(run_spamcore("export -m " + q(tmp / "all.scm")).out);
  const json inc = json::parse(run_spamcore("export -m " + q(tmp / "inc.scm")).out);
  CHECK(all["nb"] == inc["nb"]);
  CHECK(all["learned"] == inc["learned"]);
}

TEST_CASE("eval online prints the metrics, writes scores, is deterministic") {
  TempDir tmp;
  const std::string args = "eval --json --spam " + q(fixture_path("train/spam")) + " --ham " +
                           q(fixture_path("train/ham")) + " --scores ";
  const RunResult a = run_spamcore(args + q(tmp / "a.tsv"));
  const RunResult b = run_spamcore(args + q(tmp / "b.tsv"));
  REQUIRE(a.exit_code == 0);
  const json m = json::parse(a.out);
  CHECK(m["n"] == 16);
  CHECK(m["protocol"] == "online");
  for (const char* k : {"one_minus_roca_pct", "hm_pct", "sm_pct", "lam_pct", "unsure", "sm_at_hm_0_1_pct",
                        "messages_per_s", "algo", "seed"})
    CHECK_MESSAGE(m.contains(k), k);
  CHECK(read_file(tmp / "a.tsv") == read_file(tmp / "b.tsv"));
  const std::string first = read_file(tmp / "a.tsv").substr(0, read_file(tmp / "a.tsv").find('\n'));
  CHECK(std::count(first.begin(), first.end(), '\t') == 3);
  CHECK(run_spamcore("eval --spam x").exit_code == 3);
}

TEST_CASE("eval split trains on one set and scores another") {
  const std::string spam = q(fixture_path("train/spam")), ham = q(fixture_path("train/ham"));
  const RunResult r = run_spamcore("eval --json --protocol split --spam " + spam + " --ham " + ham +
                                   " --test-spam " + spam + " --test-ham " + ham);
  REQUIRE(r.exit_code == 0);
  const json m = json::parse(r.out);
  CHECK(m["protocol"] == "split");
  CHECK(m["n"] == 16);
  CHECK(m["one_minus_roca_pct"] == 0.0);  // scoring its own training set: perfectly separated
  CHECK(run_spamcore("eval --protocol split --spam " + spam + " --ham " + ham).exit_code == 3);
}

TEST_CASE("train --ham-cutoff/--spam-cutoff: the band is kept in the model and score exits 2 inside it") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  // A band covering everything: every message is unsure.
  REQUIRE(run_spamcore(train_args(model, "--ham-cutoff 0 --spam-cutoff 1")).exit_code == 0);
  const RunResult r = run_spamcore("score -m " + q(model), fixture_path("train/ham/03.eml"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.substr(r.out.size() - 8) == " unsure\n");
  const RunResult bad = run_spamcore(train_args(tmp / "bad.scm", "--ham-cutoff 0.9 --spam-cutoff 0.1"));
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("ham cutoff") != std::string::npos);
  CHECK(run_spamcore(train_args(tmp / "cap.scm", "--nb-max-features 0")).exit_code == 3);
}

TEST_CASE("learn: once per message, corrections move it, unlearn of a message never learned is refused") {
  TempDir tmp;
  const std::string model = tmp / "new/m.scm";
  const std::string msg = fixture_path("train/spam/02.eml");
  RunResult r = run_spamcore("learn -m " + q(model) + " --spam " + q(msg));  // creates the model
  CHECK(r.exit_code == 0);
  CHECK(r.out == "learn: " + msg + ": learned as spam; model has 1 spam, 0 ham\n");
  r = run_spamcore("learn -m " + q(model) + " --spam", msg);
  CHECK(r.out == "learn: <stdin>: already learned as spam (unchanged); model has 1 spam, 0 ham\n");
  r = run_spamcore("learn -m " + q(model) + " --ham " + q(msg));
  CHECK(r.out == "learn: " + msg + ": moved to ham; model has 0 spam, 1 ham\n");
  r = run_spamcore("learn -m " + q(model) + " --spam --unlearn " + q(msg));
  CHECK(r.exit_code == 3);
  CHECK(r.err == "spamcore: " + model + ": this message was never learned as spam; nothing to unlearn\n");
  r = run_spamcore("learn -m " + q(model) + " --ham --unlearn " + q(msg));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "learn: " + msg + ": unlearned from ham; model has 0 spam, 0 ham\n");
  CHECK(run_spamcore("learn -m " + q(model) + " " + q(msg)).exit_code == 3);              // no label
  CHECK(run_spamcore("learn -m " + q(model) + " --spam --ham " + q(msg)).exit_code == 3);  // two labels
}

TEST_CASE("learn knows a message trained from an mbox when procmail hands it over with its From line") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  const std::string envelope = "From someone@example.org  Tue Aug  6 11:51:02 2002\n";
  const std::string spam = read_file(fixture_path("train/spam/02.eml"));
  const std::string ham = read_file(fixture_path("train/ham/02.eml"));
  write_file(tmp / "spam.mbox", envelope + spam + "\n" + envelope + read_file(fixture_path("train/spam/03.eml")));
  write_file(tmp / "ham.mbox", envelope + ham);
  REQUIRE(run_spamcore("train -m " + q(model) + " --spam " + q(tmp / "spam.mbox") + " --ham " + q(tmp / "ham.mbox"))
              .exit_code == 0);
  write_file(tmp / "piped.eml", envelope + spam);
  RunResult r = run_spamcore("learn -m " + q(model) + " --spam", tmp / "piped.eml");
  CHECK(r.out == "learn: <stdin>: already learned as spam (unchanged); model has 2 spam, 1 ham\n");
  r = run_spamcore("learn -m " + q(model) + " --spam " + q(fixture_path("train/ham/02.eml")));  // no From line
  CHECK(r.out == "learn: " + fixture_path("train/ham/02.eml") + ": moved to spam; model has 3 spam, 0 ham\n");
}

TEST_CASE("classify: a line per message (TSV or JSON), counts on stderr") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  REQUIRE(run_spamcore(train_args(model)).exit_code == 0);
  const RunResult r = run_spamcore("classify -m " + q(model) + " " + q(fixture_path("train/spam")) + " " +
                                   q(fixture_path("train/ham/01.eml")));
  CHECK(r.exit_code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 9);
  CHECK(r.out.rfind(fixture_path("train/spam") + "\t" + fixture_path("train/spam/00.eml") + "\t", 0) == 0);
  CHECK(r.out.find("\tspam\n") != std::string::npos);
  CHECK(r.err.rfind("classify: 9 messages: ", 0) == 0);
  const RunResult j = run_spamcore("classify --json -m " + q(model) + " " + q(fixture_path("train/ham/01.eml")));
  const json doc = json::parse(j.out);
  CHECK(doc["message"] == fixture_path("train/ham/01.eml"));
  CHECK(doc["verdict"] == "ham");
  CHECK(doc["probability"].get<double>() < 0.45);
  CHECK(run_spamcore("classify -m " + q(tmp / "none.scm") + " " + q(fixture_path("train/spam"))).exit_code == 3);
}

TEST_CASE("inspect: algorithm, counts, thresholds, and the strongest features by name") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  REQUIRE(run_spamcore(train_args(model)).exit_code == 0);
  const RunResult r = run_spamcore("inspect --top 5 -m " + q(model));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("algorithm:   combo (naive Bayes weight 0.9; logistic log-odds bounded by 5)") != std::string::npos);
  CHECK(r.out.find("messages:    8 spam, 8 ham (16 digests kept)") != std::string::npos);
  const std::string unbounded = tmp / "u.scm";
  REQUIRE(run_spamcore(train_args(unbounded) + " --lr-squash 0").exit_code == 0);
  CHECK(run_spamcore("inspect -m " + q(unbounded)).out.find("logistic log-odds unbounded") != std::string::npos);
  CHECK(r.out.find("thresholds:  ham below 0.45, spam from 0.55") != std::string::npos);
  const auto spam_at = r.out.find("strongest spam features");
  const auto ham_at = r.out.find("strongest ham features");
  REQUIRE(spam_at != std::string::npos);
  REQUIRE(ham_at != std::string::npos);
  // Five named features each way.
  const std::string spam_side = r.out.substr(spam_at, ham_at - spam_at);
  CHECK(std::count(spam_side.begin(), spam_side.end(), '\n') == 1 + 5 + 1);
  CHECK(spam_side.find("  1.000 ") != std::string::npos);  // something in every spam fixture
}

TEST_CASE("a model of an older format scores, and learning into it rewrites it in the current format") {
  TempDir tmp;
  const std::string model = tmp / "old.scm";
  std::filesystem::copy_file(fixture_path("models/format1-combo.scm"), model);
  CHECK(run_spamcore("inspect --top 0 -m " + q(model)).out.find("(format 1, rewritten in the current format when "
                                                                "next saved, ") != std::string::npos);
  // The CLI scores the old file as the library test pins it (data/fixtures/models/format1-logits.tsv).
  const RunResult before = run_spamcore("score --json -m " + q(model) + " " + q(fixture_path("mail/plain.eml")));
  CHECK(before.exit_code == 2);
  CHECK(json::parse(before.out)["logit"].get<double>() == -0.1737761591875542);
  REQUIRE(run_spamcore("learn -m " + q(model) + " --spam " + q(fixture_path("mail/plain.eml"))).exit_code == 0);
  const RunResult after = run_spamcore("inspect --top 0 -m " + q(model));
  CHECK(after.out.find("(format 2, ") != std::string::npos);
  CHECK(after.out.find("messages:    9 spam, 8 ham (17 digests kept)") != std::string::npos);
  // Learned and unlearned again, naive Bayes is back where it was, in the new format (the logistic part keeps a
  // trace of the step: it cannot subtract exactly).
  const std::string nb = tmp / "nb.scm";
  std::filesystem::copy_file(fixture_path("models/format1-nb.scm"), nb);
  const std::string nb_before = run_spamcore("export -m " + q(nb)).out;
  REQUIRE(run_spamcore("learn -m " + q(nb) + " --spam " + q(fixture_path("mail/plain.eml"))).exit_code == 0);
  REQUIRE(run_spamcore("learn -m " + q(nb) + " --spam --unlearn " + q(fixture_path("mail/plain.eml"))).exit_code == 0);
  const auto counts = [](const std::string& text) {
    json doc = json::parse(text);
    return std::make_pair(doc["nb"], doc["learned"]);
  };
  CHECK(counts(run_spamcore("export -m " + q(nb)).out) == counts(nb_before));
  CHECK(run_spamcore("inspect --top 0 -m " + q(nb)).out.find("(format 2, ") != std::string::npos);
}

TEST_CASE("eval writes scores, ROC CSV/SVG and learning curve; identical bytes on a second run") {
  TempDir tmp;
  const std::string corpus = " --spam " + q(fixture_path("train/spam")) + " --ham " + q(fixture_path("train/ham"));
  for (const char* run : {"1", "2"}) {
    const std::string d = tmp / run;
    std::filesystem::create_directories(d);
    const RunResult r = run_spamcore("eval" + corpus + " --scores " + q(d + "/s.tsv") + " --roc " + q(d + "/roc.csv") +
                                     " --plot " + q(d + "/roc.svg") + " --learning-curve " + q(d + "/lc.csv"));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("(95% CI ") != std::string::npos);
  }
  for (const char* f : {"/s.tsv", "/roc.csv", "/roc.svg", "/lc.csv"}) {
    CHECK(read_file(tmp / ("1" + std::string(f))) == read_file(tmp / ("2" + std::string(f))));
    CHECK(!read_file(tmp / ("1" + std::string(f))).empty());
  }
  const std::string svg = read_file(tmp / "1/roc.svg");
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("<polyline") != std::string::npos);
  CHECK(svg.find("% ham misclassified (logit scale)") != std::string::npos);
  CHECK(read_file(tmp / "1/roc.csv").rfind("threshold,hm_pct,sm_pct\n", 0) == 0);

  const RunResult cv = run_spamcore("eval --protocol cv --folds 4 --json" + corpus);
  REQUIRE(cv.exit_code == 0);
  const json j = json::parse(cv.out);
  for (const char* key : {"n", "spam", "ham", "one_minus_roca_pct", "one_minus_roca_ci95", "hm_pct", "sm_pct",
                          "lam_pct", "unsure", "sm_at_hm_0_1_pct", "messages_per_s", "protocol", "algo", "seed",
                          "train_messages_per_s", "train_mb_per_s", "score_messages_per_s", "score_mb_per_s",
                          "model_bytes"})
    CHECK_MESSAGE(j.contains(key), key);
  // Each message is learned in 3 folds of 4 and scored in one: both sides were timed, and the folds' models sized.
  CHECK(j["train_messages_per_s"].get<double>() > 0);
  CHECK(j["score_messages_per_s"].get<double>() > 0);
  CHECK(j["model_bytes"].get<std::uint64_t>() > 100000);
  CHECK(j["n"] == 16);
  CHECK(j["protocol"] == "cv");
  CHECK(j["one_minus_roca_ci95"].size() == 2);

  const RunResult trec = run_spamcore("eval --index " + q(fixture_path("eval/index")) + " --scores " +
                                      q(tmp / "t.txt") + " --scores-format trec");
  REQUIRE(trec.exit_code == 0);
  const std::string t = read_file(tmp / "t.txt");
  CHECK(std::count(t.begin(), t.end(), '\n') == 4);
  CHECK(t.find(" judge=ham class=") != std::string::npos);
  const RunResult bad = run_spamcore("eval --index " + q(fixture_path("corpus/trec/full/bad_label")));
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("bad_label") != std::string::npos);
  CHECK(bad.err.find("unknown judgement 'junk'") != std::string::npos);
  // A message file missing: refused before the run (it is streamed), one line naming the index line, no outputs.
  const RunResult missing = run_spamcore("eval --index " + q(fixture_path("corpus/trec/full/missing_file")) +
                                         " --scores " + q(tmp / "m.tsv"));
  CHECK(missing.exit_code == 3);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("missing_file: line 2: cannot open ") != std::string::npos);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
  CHECK_FALSE(std::filesystem::exists(tmp / "m.tsv"));
}

TEST_CASE("train --nb-context: hammy words appended out of any known context do not pull a spam's score down") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "spam");
  std::filesystem::create_directories(tmp / "ham");
  for (int i = 0; i < 8; ++i) {
    const std::string n = std::to_string(i);
    write_file(tmp / ("ham/" + n), "Subject: walk " + n + "\n\nthe garden meeting moved to friday " + n +
                                       ", bring the apple pie and the lantern for our walk by the river.\n");
    write_file(tmp / ("spam/" + n), "Subject: offer " + n + "\n\nbuy cheap pills now, click here for a free prize " +
                                        n + ", limited offer, act now.\n");
  }
  const std::string spam = "Subject: offer 9\n\nbuy cheap pills now, click here for a free prize, act now.\n";
  // Bayes poisoning: the ham's own words, in an order it never used.
  write_file(tmp / "plain.eml", spam);
  write_file(tmp / "poisoned.eml", spam + "river lantern apple garden pie walk friday moved meeting bring\n");
  auto probability = [&](const std::string& model, const char* message) {
    const RunResult r = run_spamcore("score -m " + q(model) + " " + q(tmp / message));
    REQUIRE(r.exit_code != 3);
    return std::stod(r.out);
  };
  const std::string corpus = " --algo nb --spam " + q(tmp / "spam") + " --ham " + q(tmp / "ham");
  const std::string on = tmp / "on.scm", off = tmp / "off.scm";
  // On from the first message (by default it waits for 200 of each class; this corpus has 8).
  REQUIRE(run_spamcore("train -m " + q(on) + corpus + " --nb-context-after 0").exit_code == 0);
  REQUIRE(run_spamcore("train -m " + q(off) + corpus + " --nb-context false").exit_code == 0);
  CHECK(probability(off, "plain.eml") > 0.9);
  CHECK(probability(off, "poisoned.eml") < 0.55);  // without the check the poison works: unsure
  // With it, only "river" counts: its neighbour "now" stands in a known context (the edge of the poison).
  CHECK(probability(on, "plain.eml") == probability(off, "plain.eml"));
  // (0.71 against 0.92 plain: on 8 + 8 messages one hammy word still weighs; a spam verdict, not unsure.)
  CHECK(probability(on, "poisoned.eml") > 0.65);
  CHECK(probability(on, "poisoned.eml") > probability(off, "poisoned.eml") + 0.15);
  CHECK(run_spamcore("score -m " + q(on) + " " + q(tmp / "poisoned.eml")).exit_code == 0);
  CHECK(run_spamcore("inspect -m " + q(on)).out.find("context check after 0 messages") != std::string::npos);
  CHECK(run_spamcore("inspect -m " + q(off)).out.find("context check off") != std::string::npos);
}

TEST_CASE(
    "errors are one line with exit 3: usage, unknown command, out-of-range counts, output that cannot be written") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  REQUIRE(run_spamcore(train_args(model)).exit_code == 0);
  auto one_line = [](const RunResult& r, const std::string& expected) {
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK(r.err == expected);
  };
  one_line(run_spamcore("score -m " + q(model) + " --bogus x"),
           "spamcore: The following argument was not expected: --bogus (see --help)\n");
  one_line(run_spamcore("bogus"), "spamcore: unknown command 'bogus' (see --help)\n");
  one_line(run_spamcore("train -m " + q(model) + " --spam " + q(fixture_path("train/spam"))),
           "spamcore: --ham is required (see --help)\n");
  one_line(run_spamcore("score --explain -1 -m " + q(model), fixture_path("train/spam/01.eml")),
           "spamcore: --explain: Value -1 not in range 0 to 1000000 (see --help)\n");
  one_line(run_spamcore("inspect --top -1 -m " + q(model)),
           "spamcore: --top: Value -1 not in range 0 to 1000000 (see --help)\n");
  // Every path is checked before any output: no rows of the good paths, then an error for the last one.
  const std::string missing = tmp / "missing";
  for (const std::string& cmd : {std::string("list "), std::string("stats "), "classify -m " + q(model) + " "})
    one_line(run_spamcore(cmd + q(fixture_path("mail")) + " " + q(missing)),
             "spamcore: " + missing + ": cannot open: No such file or directory\n");
  one_line(run_spamcore("score -m " + q(tmp.path()), fixture_path("train/spam/01.eml")),
           "spamcore: " + tmp.path() + ": is a directory, not a model file\n");
  one_line(run_spamcore("export -m " + q(model) + " -o " + q(missing + "/x.json")),
           "spamcore: " + missing + "/x.json: cannot create: No such file or directory\n");
  // learn: an empty input is not a message; an unlearn with no model leaves no lock file behind.
  one_line(run_spamcore("learn --spam -m " + q(model)), "spamcore: <stdin>: empty message, not learned\n");
  // Nothing but an mbox envelope line is empty too, as train counts it (it was learned as the empty message).
  write_file(tmp / "envelope-only", "From someone@example.com Mon Jan  1 00:00:00 2024\n");
  one_line(run_spamcore("learn --spam -m " + q(model) + " " + q(tmp / "envelope-only")),
           "spamcore: " + tmp / "envelope-only" + ": empty message, not learned\n");
  one_line(run_spamcore("learn --spam --unlearn -m " + q(tmp / "none.scm"), fixture_path("train/spam/01.eml")),
           "spamcore: " + tmp / "none.scm" + ": no model to unlearn from\n");
  CHECK_FALSE(std::filesystem::exists(tmp / "none.scm.lock"));
  // Settings the command would not use are refused, not silently ignored.
  const std::string corpora = " --spam " + q(fixture_path("train/spam")) + " --ham " + q(fixture_path("train/ham"));
  one_line(run_spamcore("train --incremental -m " + q(model) + " --algo nb --spam-cutoff 0.9" + corpora),
           "spamcore: " + model +
               ": --incremental keeps the model's settings, and --algo, --spam-cutoff would change them (train "
               "without --incremental to make a new model)\n");
  const RunResult same = run_spamcore("train --incremental -m " + q(model) + " --algo combo --osb-window 3" + corpora);
  CHECK(same.exit_code == 0);  // the model's own settings, given again: nothing to refuse
  one_line(run_spamcore("eval --index " + q(fixture_path("eval/index")) + corpora),
           "spamcore: eval: give --index FILE or --spam/--ham paths, not both (see --help)\n");
  one_line(run_spamcore("eval --test-spam x" + corpora),
           "spamcore: eval: --test-spam and --test-ham are for the split protocol (see --help)\n");
  one_line(run_spamcore("eval --folds 3" + corpora), "spamcore: eval: --folds is for the cv protocol (see --help)\n");
  // A negative limit is refused, not read as 2^64-1 (which would switch the limit off).
  one_line(run_spamcore("dump --max-depth -5 " + q(fixture_path("mail/plain.eml"))),
           "spamcore: --max-depth: Value -5 is not a count (digits only) (see --help)\n");
  one_line(run_spamcore("train --max-bytes -1 -m " + q(tmp / "neg.scm") + corpora),
           "spamcore: --max-bytes: Value -1 is not a count (digits only) (see --help)\n");
  // A full disk is an error, not an empty success (score too: its verdict codes mean a verdict was printed).
  for (const std::string& args :
       {"classify -m " + q(model) + " " + q(fixture_path("train/spam")), "inspect -m " + q(model),
        "list " + q(fixture_path("train/spam")), "score -m " + q(model) + " " + q(fixture_path("train/spam/01.eml"))}) {
    const std::string cmd = q(SPAMCORE_BIN) + " " + args + " > /dev/full 2> " + q(tmp / "err");
    const int status = std::system(cmd.c_str());
    CHECK_MESSAGE(WEXITSTATUS(status) == 3, args);
    const std::string err = read_file(tmp / "err");
    CHECK_MESSAGE(err.find("spamcore: <stdout>: cannot write: No space left on device\n") != std::string::npos, args);
  }
}

TEST_CASE("train: empty messages (a zero-length file in a Maildir, /dev/null) are counted apart, never learned") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "md/cur");
  std::filesystem::create_directories(tmp / "md/new");
  std::filesystem::create_directories(tmp / "md/tmp");
  write_file(tmp / "md/cur/1:2,S", "");
  write_file(tmp / "md/cur/2:2,S", read_file(fixture_path("train/ham/01.eml")));
  write_file(tmp / "md/cur/3:2,S", "");
  const RunResult r = run_spamcore("train -m " + q(tmp / "m.scm") + " --spam /dev/null --ham " + q(tmp / "md"));
  REQUIRE(r.exit_code == 0);
  // Learned, the empty files would be one message (one digest) moved from spam to ham: "learned 3" for one mail.
  CHECK(r.out.find("learned 1 (0 spam, 1 ham), skipped 0 known, 3 empty,") != std::string::npos);
  CHECK(r.out.find("model has 0 spam, 1 ham") != std::string::npos);
  // Without empty messages the summary keeps its old shape.
  const RunResult plain = run_spamcore(train_args(tmp / "p.scm"));
  CHECK(plain.out.find("skipped 0 known, ") != std::string::npos);
  CHECK(plain.out.find("empty") == std::string::npos);
}

TEST_CASE("--max-token-len is a model setting: longer words become skip tokens") {
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  REQUIRE(run_spamcore("train --max-token-len 12 -m " + q(model) + " --spam " + q(fixture_path("train/spam")) +
                       " --ham " + q(fixture_path("train/ham")))
              .exit_code == 0);
  CHECK(run_spamcore("inspect -m " + q(model)).out.find("max_token_len=12") != std::string::npos);
  write_file(tmp / "long.eml", "Subject: x\n\nabcdefghijklmnopq short\n");
  const std::string tokens = run_spamcore("tokens -m " + q(model) + " " + q(tmp / "long.eml")).out;
  CHECK(tokens.find("skip:a:10") != std::string::npos);
  CHECK(tokens.find("abcdefghijklmnopq") == std::string::npos);
  CHECK(run_spamcore("train --max-token-len 2 -m " + q(tmp / "x.scm") + " --spam " + q(fixture_path("train/spam")) +
                     " --ham " + q(fixture_path("train/ham")))
            .exit_code == 3);
}

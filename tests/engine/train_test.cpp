// engine::train in-process: what it reports while it runs.
#include <doctest/doctest.h>

#include <filesystem>

#include "cli_util.hpp"
#include "spamcore/base/digest.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/engine/train.hpp"
#include "spamcore/store/model_file.hpp"

using namespace spamcore;
using namespace spamcore::test;

TEST_CASE("train progress: messages and bytes grow to the report's, against the estimated total") {
  TempDir dir;
  engine::TrainOptions o;
  o.model_path = dir / "m.scm";
  o.spam_paths = {fixture_path("train/spam")};
  o.ham_paths = {fixture_path("train/ham")};
  std::vector<engine::TrainProgress> seen;
  const engine::TrainReport r = engine::train(o, [&](const engine::TrainProgress& p) { seen.push_back(p); });
  REQUIRE(!seen.empty());
  const std::uint64_t total = corpus::estimated_bytes({fixture_path("train/spam"), fixture_path("train/ham")});
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].total_bytes == total);
    if (i > 0) CHECK(seen[i].messages >= seen[i - 1].messages);
  }
  CHECK(seen.back().messages == r.read);
  CHECK(seen.back().bytes == r.bytes);
  CHECK(r.bytes <= total);  // the estimate counts envelope lines the readers drop
}

TEST_CASE("train over several batches: the same model and counts for 1 and 2 threads; a relabelled message seen "
          "again later is moved back") {
  // 800 messages: more than one batch (512), so with two threads batches are learned while the next is prepared.
  // Message D is spam in the model, then comes as ham early in the run and as spam again at its end: it must be
  // moved to ham and back, as learning one message after the other does.
  TempDir dir;
  std::filesystem::create_directories(dir / "spam");
  std::filesystem::create_directories(dir / "ham");
  std::filesystem::create_directories(dir / "d");
  const char* words[] = {"offer", "meeting", "free", "report", "money", "patch", "click", "review", "win", "build"};
  auto message = [&](int i, bool spam) {
    std::string body;
    for (int k = 0; k < 12; ++k) body += std::string(words[(i * 7 + k * (spam ? 3 : 5)) % 10]) + " ";
    return "Subject: " + std::string(spam ? "deal " : "notes ") + std::to_string(i) + "\n\n" + body + "\n";
  };
  for (int i = 0; i < 400; ++i) {
    write_file(dir / ("spam/m" + std::to_string(1000 + i)), message(i, true));
    write_file(dir / ("ham/m" + std::to_string(1000 + i)), message(i, false));
  }
  const std::string d = "Subject: the message D\n\nfree money offer, click to win\n";
  write_file(dir / "d/d", d);
  write_file(dir / "ham/a0000", d);  // read first among the ham
  write_file(dir / "spam/z9999", d);  // read last among the spam
  auto run = [&](unsigned threads) {
    const std::string model = dir / ("m" + std::to_string(threads) + ".scm");
    engine::TrainOptions base;
    base.model_path = model;
    base.spam_paths = {dir / "d"};
    base.ham_paths = {fixture_path("train/ham")};
    engine::train(base);
    engine::TrainOptions o;
    o.model_path = model;
    o.incremental = true;
    o.threads = threads;
    o.spam_paths = {dir / "spam"};
    o.ham_paths = {dir / "ham"};
    return engine::train(o);
  };
  const engine::TrainReport one = run(1), two = run(2);
  for (const engine::TrainReport* r : {&one, &two}) {
    CHECK(r->learned == 802);  // 800 new, and D moved twice
    CHECK(r->spam == 401);
    CHECK(r->ham == 401);
    CHECK(r->skipped == 0);
  }
  const model::Model a = store::load(dir / "m1.scm"), b = store::load(dir / "m2.scm");
  CHECK(a.learned() == b.learned());
  CHECK(a.learned().at(sha256(d)) == true);  // spam again, as its last occurrence says
  CHECK(a.spam_messages() == b.spam_messages());
  CHECK(a.nb.table.size() == b.nb.table.size());
  bool same_counts = true;
  for (const auto& [id, c] : a.nb.table) {
    const model::NbCounts o = b.nb.counts(id);
    same_counts = same_counts && o.spam == c.spam && o.ham == c.ham;
  }
  CHECK(same_counts);
  CHECK(std::equal(a.lr.weights().begin(), a.lr.weights().end(), b.lr.weights().begin(), b.lr.weights().end()));
}

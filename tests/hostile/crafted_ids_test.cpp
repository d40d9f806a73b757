// Words searched out so that their feature ids share a home slot in the naive Bayes table, through the real binary.
// Ids are a public, fixed-seed hash of the words, so a spammer can find such words (data/fixtures/hostile/
// shared-home-words.txt: the top 21 bits of each word's id are 0x1a2b3, one home in every table up to 2^21 slots;
// about 2 million tries a word). Learned without a bound they formed one run that every insert and later lookup walked:
// with 9,000 of them in one spam, `train` took 0.82 s instead of 0.38, scoring that spam 0.20 s, and every later
// `learn` 0.23 s instead of 0.06 (docs/speed.md), growing with the square of their number.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "cli_util.hpp"
#include "spamcore/base/hash.hpp"
#include "spamcore/model/naive_bayes.hpp"

using namespace spamcore::test;

namespace {

std::vector<std::string> shared_home_words() {
  std::istringstream in(fixture("hostile/shared-home-words.txt"));
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace

TEST_CASE("words crafted to share a home: learning keeps a bounded number of them, the rest of the mail as ever") {
  const std::vector<std::string> words = shared_home_words();
  REQUIRE(words.size() == 2000);
  std::unordered_set<spamcore::FeatureId> crafted;
  for (const std::string& w : words) {
    // A body word's id is the hash of the word itself (tokenize/tokenizer.cpp).
    const spamcore::FeatureId id = spamcore::hash64(w);
    CHECK_MESSAGE((id >> 43) == 0x1a2b3, w);  // the fixture is what it claims
    crafted.insert(id);
  }

  TempDir tmp;
  const std::string spam = tmp / "spam", model = tmp / "m.scm";
  std::filesystem::create_directories(spam);
  for (const auto& e : std::filesystem::directory_iterator(fixture_path("train/spam")))
    std::filesystem::copy_file(e.path(), spam + "/" + e.path().filename().string());
  {
    std::ofstream out(spam + "/crafted.eml", std::ios::binary);
    out << "From: a@b.example\nTo: c@d.example\nSubject: cheap meds\n\n";
    for (std::size_t i = 0; i < words.size(); ++i) out << words[i] << (i % 8 == 7 ? "\n" : " ");
  }
  auto features_of = [](const std::string& m, const std::string& spam_dir) {
    REQUIRE(run_spamcore("train -m " + shell_quote(m) + " --spam " + shell_quote(spam_dir) + " --ham " +
                         shell_quote(fixture_path("train/ham")))
                .exit_code == 0);
    const RunResult exported = run_spamcore("export -m " + shell_quote(m) + " --format json");
    REQUIRE(exported.exit_code == 0);
    std::unordered_set<spamcore::FeatureId> ids;
    const auto doc = nlohmann::json::parse(exported.out);
    for (const auto& row : doc.at("nb"))
      ids.insert(std::stoull(row.at(0).get<std::string>(), nullptr, 16));
    return ids;
  };
  const auto with = features_of(model, spam), without = features_of(tmp / "plain.scm", fixture_path("train/spam"));
  std::size_t kept = 0;
  for (const spamcore::FeatureId id : crafted) kept += with.count(id);
  MESSAGE(kept << " of the 2000 crafted words kept, " << with.size() << " features in all");
  CHECK(kept > 0);
  CHECK(kept <= spamcore::model::kMaxLearnDisplacement + 1);
  CHECK(kept < words.size() / 2);  // unbounded, all 2000 were learned
  // The features the mail gives without the crafted spam are learned with it too, but for the few whose home lies at
  // the start of the crafted run: they would land more than 512 slots past their home. (7 of 1,356 here, where the
  // run covers a good part of this small model's table; in a model of a real corpus, a far smaller part.)
  std::size_t missing = 0;
  for (const spamcore::FeatureId id : without) missing += with.count(id) == 0;
  MESSAGE(missing << " of " << without.size() << " ordinary features not learned");
  CHECK(missing * 100 < without.size());

  // The model still scores and learns; the crafted spam is spam.
  const std::string message = spam + "/crafted.eml";
  CHECK(run_spamcore("score -m " + shell_quote(model) + " " + shell_quote(message)).exit_code == 0);
  CHECK(run_spamcore("learn -m " + shell_quote(model) + " --ham " + shell_quote(fixture_path("mail/plain.eml")))
            .exit_code == 0);
}

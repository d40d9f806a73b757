// The evasion test set: the split protocol, trained on the standard training split, scoring the test ham and the
// test spam as written and after each evasion. Bound: no evasion raises sm% (at the model's thresholds) by more
// than 1 point over the untransformed spam, nor (one bounded exception) over the rewrapped control, for nb and logreg.
// Needs the SpamAssassin corpus.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "spamcore/eval/protocol.hpp"
#include "spamcore/eval/report.hpp"
#include "test_util.hpp"
#include "transforms.hpp"

using namespace spamcore;
namespace fs = std::filesystem;

TEST_CASE("evasions raise sm% by at most 1 point (split protocol, nb and logreg; known exceptions bounded)") {
  const fs::path corpus = SPAMCORE_CORPUS;
  const fs::path split = corpus.string() + "-split";
  if (!fs::exists(corpus / "spam-2") || !fs::exists(split / "hard-ham-1-odd")) {
    MESSAGE("corpus or its split absent (scripts/fetch-corpus.sh, scripts/split-corpus.sh): skipped");
    return;
  }
  auto train = eval::load_examples({(corpus / "spam-1").string()},
                                         {(corpus / "easy-ham-1").string(), (split / "hard-ham-1-odd").string()});
  eval::order_online(train, 1);
  const auto ham = eval::load_examples({}, {(corpus / "easy-ham-2").string(), (split / "hard-ham-1-even").string()});
  const auto all_spam = eval::load_examples({(corpus / "spam-2").string()}, {});
  std::vector<eval::Example> spam;
  for (const auto& e : all_spam)
    if (evasion::applicable(e.bytes)) spam.push_back(e);
  REQUIRE(spam.size() > 500);
  for (const std::string algo : {"nb", "logreg"}) {
    model::ModelConfig config;
    config.algorithm = model::algorithm_from_string(algo);
    std::map<std::string, double> sm;
    for (const std::string& t : std::vector<std::string>{"plain", "rewrapped", "comments", "zero-width", "spacing", "lookalike",
                                                         "base64", "poison", "html-only"}) {
      std::vector<eval::Example> test = ham;
      for (std::size_t i = 0; i < spam.size(); ++i) {
        eval::Example e = spam[i];
        if (t != "plain") e.bytes = evasion::transform(e.bytes, t, i + 1);
        test.push_back(std::move(e));
      }
      const auto scored = eval::run_split(train, test, config);
      sm[t] = eval::summarise(scored).metrics.sm_pct;
      std::size_t below_half = 0;  // two-way verdict at 0.5, for the record
      for (const auto& x : scored) below_half += x.spam && x.score.probability < 0.5;
      MESSAGE(algo << " " << t << ": sm% " << sm[t] << " at the default band, " << 100.0 * below_half / spam.size()
                   << " at 0.5 (" << spam.size() << " spam)");
    }
    // The goal (issue 6): no evasion raises sm% by more than 1 point over the spam as written ("plain").
    for (const auto& [t, v] : sm)
      if (t != "plain") CHECK_MESSAGE(v <= sm["plain"] + 1.0, algo << " " << t << " over plain");
    // Stricter: over "rewrapped" too, the body unchanged under the MIME fields every transform writes (the control:
    // those fields are features as well and move sm% on their own, either way; docs/evasion.md). One exception:
    // logistic regression reads base64 as a sign of ham (+2.6 over the control, -2.5 against plain: since the charset
    // counts once, the control itself is 5.1 below plain for logreg); its bound is the measured increase plus a
    // margin, so it cannot get worse unnoticed.
    const std::map<std::string, double> allowed = {{"logreg base64", 4.0}};
    for (const auto& [t, v] : sm) {
      if (t == "plain" || t == "rewrapped") continue;
      const auto it = allowed.find(algo + " " + t);
      CHECK_MESSAGE(v <= sm["rewrapped"] + (it == allowed.end() ? 1.0 : it->second), algo << " " << t
                                                                                    << " over the control");
    }
  }
}

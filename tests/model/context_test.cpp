// Naive Bayes' context check (NbParams::context): which body words stand in a context the model knows, and what the
// score does with the hammy ones that do not.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "spamcore/model/naive_bayes.hpp"

using namespace spamcore;
using namespace spamcore::model;

namespace {

// Words in reading order with two pair slots each (an OSB window of 3); the pair of the word at position i with the
// word k before it has the id 1000 * (i + 1) + k, none where there is no such word.
WordSequence sequence(std::vector<FeatureId> words) {
  WordSequence s;
  s.slots = 2;
  for (std::size_t i = 0; i < words.size(); ++i)
    for (std::size_t k = 1; k <= 2; ++k) s.pairs.push_back(k <= i ? 1000 * (i + 1) + k : 0);
  s.words = std::move(words);
  return s;
}

NbLookup counts_of(const std::map<FeatureId, NbCounts>& table) {
  return [table](FeatureId id) {
    const auto it = table.find(id);
    return it == table.end() ? NbCounts{} : it->second;
  };
}

}  // namespace

TEST_CASE("words out of context: none of their occurrences is within one word of a known pair") {
  // Positions 0-5. The pair joining positions 1 and 0 is known: 0 and 1 are in context, and so is 2, next to 1.
  const WordSequence s = sequence({11, 12, 13, 14, 15, 16});
  CHECK(words_out_of_context(s, counts_of({{2001, {1, 0}}}), 1) == std::vector<FeatureId>{14, 15, 16});
  // A pair at distance 2 (positions 3 and 1) puts both its words in context, and their neighbours 0, 2 and 4.
  CHECK(words_out_of_context(s, counts_of({{4002, {0, 3}}}), 1) == std::vector<FeatureId>{16});
  // Nothing known: every word; everything known: none.
  CHECK(words_out_of_context(s, counts_of({}), 1) == std::vector<FeatureId>{11, 12, 13, 14, 15, 16});
  std::map<FeatureId, NbCounts> all;
  for (const FeatureId p : s.pairs)
    if (p) all[p] = {1, 1};
  CHECK(words_out_of_context(s, counts_of(all), 1).empty());
  // A pair seen in fewer messages than min_count is no known context: 3 needed, 2 seen (1 spam, 1 ham).
  CHECK(words_out_of_context(s, counts_of({{2001, {1, 1}}}), 3) == std::vector<FeatureId>{11, 12, 13, 14, 15, 16});
  CHECK(words_out_of_context(s, counts_of({{2001, {1, 2}}}), 3) == std::vector<FeatureId>{14, 15, 16});
}

TEST_CASE("words out of context: one occurrence in context is enough; a malformed sequence checks nothing") {
  // 14 at position 0 (in context: the pair joining 1 and 0 is known) and at position 3 (not); 15 only at 4.
  const WordSequence s = sequence({14, 12, 13, 14, 15});
  CHECK(words_out_of_context(s, counts_of({{2001, {1, 0}}}), 1) == std::vector<FeatureId>{15});
  WordSequence bad = s;
  bad.pairs.pop_back();
  CHECK(words_out_of_context(bad, counts_of({}), 1).empty());
  CHECK(words_out_of_context(WordSequence{}, counts_of({}), 1).empty());
}

TEST_CASE("nb_score: a hammy word out of context is no evidence; a spammy one still is") {
  // 300 spam and 300 ham learned (past context_after). Word 1 is spammy, words 2 and 3 hammy; their pairs unknown.
  std::map<FeatureId, NbCounts> table = {{1, {250, 2}}, {2, {1, 200}}, {3, {2, 150}}};
  FeatureBag message;
  message.ids = {1, 2, 3};
  message.sequence = sequence({1, 2, 3});
  FeatureBag only_spammy;
  only_spammy.ids = {1};
  FeatureBag without_sequence;
  without_sequence.ids = {1, 2, 3};
  const NbParams on;
  REQUIRE(on.context);
  NbParams off = on;
  off.context = false;
  auto score = [&](const FeatureBag& b, const NbParams& p, std::uint64_t learned = 300) {
    return nb_score(b, counts_of(table), learned, learned, p).probability;
  };
  const double all_words = score(without_sequence, on);
  CHECK(all_words < 0.5);  // two hammy words outweigh one spammy word
  std::vector<Evidence> evidence;
  CHECK(nb_score(message, counts_of(table), 300, 300, on, &evidence).probability == score(only_spammy, on));
  REQUIRE(evidence.size() == 1);
  CHECK(evidence[0].id == 1);
  CHECK(score(message, on) > 0.5);
  CHECK(score(message, off) == all_words);
  // Before context_after messages of each class, no check: a young model knows too few pairs.
  CHECK(score(message, on, on.context_after - 1) == score(without_sequence, on, on.context_after - 1));
  // The pair joining words 2 and 1 is known: all three are in context, and count.
  table[2001] = {3, 3};
  CHECK(score(message, on) == all_words);
  // Spammy words out of context still count: only hammy evidence is withheld.
  table.erase(2001);
  table[2] = {200, 1};
  table[3] = {150, 2};
  CHECK(score(message, on) == score(without_sequence, on));
  CHECK(score(message, on) > 0.75);  // three spammy features, one piece of evidence at the default chi_scale
}

TEST_CASE("look_up_counts: the pair counts, merged from the ids' counts, are those looked up one by one") {
  std::mt19937_64 rng(3);
  std::map<FeatureId, NbCounts> table;
  FeatureBag bag;
  bag.sequence.slots = 2;
  for (int i = 0; i < 3000; ++i) {
    const FeatureId word = rng() % 500 + 1;
    bag.sequence.words.push_back(word);
    bag.ids.push_back(word);
    for (int k = 1; k <= 2; ++k) {
      const FeatureId pair = i >= k ? word * 1000 + rng() % 40 : 0;  // repeats; 0: an empty slot
      bag.sequence.pairs.push_back(pair);
      if (pair != 0 && rng() % 10 != 0) bag.ids.push_back(pair);  // 1 in 10 missing from the ids: looked up anyway
      if (pair != 0 && rng() % 2 == 0) table[pair] = {static_cast<std::uint32_t>(rng() % 9), 1};
    }
    if (rng() % 3 == 0) table[word] = {2, static_cast<std::uint32_t>(rng() % 9)};
  }
  table[0] = {7, 7};  // id 0 is a feature; as a pair slot it is empty
  bag.ids.push_back(0);
  bag.finish();
  const NbLookup lookup = counts_of(table);
  NbMessageCounts merged;
  look_up_counts(bag, lookup, [](FeatureId) {}, merged);
  std::vector<NbCounts> one_by_one;
  for (const FeatureId pair : bag.sequence.pairs) one_by_one.push_back(pair ? lookup(pair) : NbCounts{});
  REQUIRE(merged.ids.size() == bag.ids.size());
  for (std::size_t i = 0; i < bag.ids.size(); ++i) CHECK(merged.ids[i] == lookup(bag.ids[i]));
  CHECK(merged.pairs == one_by_one);
  std::size_t known = 0;
  for (const NbCounts& c : merged.pairs) known += c.spam + c.ham > 0;
  CHECK(known > 1000);  // the comparison covers found pairs, not only empty ones
  CHECK(merged.pairs[0] == NbCounts{});
}

#include "spamcore/model/naive_bayes.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace spamcore::model {
namespace {

constexpr double kLn2 = 0.69314718055994530942;

double log_add(double a, double b) {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  const double hi = std::max(a, b), lo = std::min(a, b);
  return hi + std::log1p(std::exp(lo - hi));
}

struct Clue {
  double f;
  FeatureId id;
  double weight = 1;
};

// Word pairs weigh params.pair_weight; of one header field's clues, only the strongest each way stays. `clues` are in
// id order, as `sources` are.
void weigh_by_source(std::vector<Clue>& clues, std::span<const FeatureSource> sources, const NbParams& params) {
  if (sources.empty() || !weighs_by_source(params)) return;
  struct FieldClue {
    std::uint32_t field;
    bool spammy;
    double strength;
    FeatureId id;
    std::size_t index;
  };
  thread_local std::vector<FieldClue> field_clues;
  field_clues.clear();
  std::size_t j = 0;
  for (std::size_t i = 0; i < clues.size(); ++i) {
    Clue& c = clues[i];
    while (j < sources.size() && sources[j].id < c.id) ++j;
    if (j == sources.size()) break;
    if (sources[j].id != c.id) continue;
    if (sources[j].source == kPairSource) c.weight = params.pair_weight;
    else if (params.field_vote) field_clues.push_back({sources[j].source, c.f >= 0.5, std::fabs(c.f - 0.5), c.id, i});
  }
  if (!field_clues.empty()) {
    // Ties go to the smaller id: the result must not depend on anything but the message and the model.
    std::sort(field_clues.begin(), field_clues.end(), [](const FieldClue& a, const FieldClue& b) {
      if (a.field != b.field) return a.field < b.field;
      if (a.spammy != b.spammy) return a.spammy < b.spammy;
      return a.strength != b.strength ? a.strength > b.strength : a.id < b.id;
    });
    for (std::size_t k = 1; k < field_clues.size(); ++k)
      if (field_clues[k].field == field_clues[k - 1].field && field_clues[k].spammy == field_clues[k - 1].spammy)
        clues[field_clues[k].index].weight = 0;
  }
  std::erase_if(clues, [](const Clue& c) { return c.weight == 0; });
}

}  // namespace

// Q(x2 | 2k) = e^-m * sum_{i<k} m^i / i!, m = x2/2, summed in log space so nothing underflows.
double log_chi2_q(double x2, std::uint64_t k) {
  const double m = x2 / 2.0;
  // A statistic that is not a positive finite number (NaN from a corrupt parameter) must not reach the sums: the
  // loops below would not end.
  if (!(m > 0)) return 0.0;
  if (std::isinf(m)) return -std::numeric_limits<double>::infinity();
  const double log_m = std::log(m);
  double log_term = -m, log_sum = -m;
  for (std::uint64_t i = 1; i < k; ++i) {
    log_term += log_m - std::log(static_cast<double>(i));
    log_sum = log_add(log_sum, log_term);
  }
  return std::min(0.0, log_sum);
}

// P = 1 - Q = e^-m * sum_{i>=k} m^i / i!; when Q is small, log1p(-Q) is exact enough; otherwise sum the tail.
double log_chi2_p(double x2, std::uint64_t k) {
  const double m = x2 / 2.0;
  if (!(m > 0)) return -std::numeric_limits<double>::infinity();
  if (std::isinf(m)) return 0.0;
  const double lq = log_chi2_q(x2, k);
  if (lq < -kLn2) return std::log1p(-std::exp(lq));
  const double log_m = std::log(m);
  double log_term = -m + static_cast<double>(k) * log_m - std::lgamma(static_cast<double>(k) + 1.0);
  double log_sum = log_term;
  for (std::uint64_t i = k + 1;; ++i) {
    log_term += log_m - std::log(static_cast<double>(i));
    log_sum = log_add(log_sum, log_term);
    if (static_cast<double>(i) > m && log_term < log_sum - 40.0) break;
  }
  return std::min(0.0, log_sum);
}

double nb_feature_probability(NbCounts c, std::uint64_t spam_messages, std::uint64_t ham_messages,
                              const NbParams& params) {
  const double n = static_cast<double>(c.spam) + static_cast<double>(c.ham);
  if (n == 0) return params.x;
  // Rates per class, so that unequal class sizes do not bias f(w). Smoothed: a feature seen in 4 of 2,500 ham and
  // none of 500 spam is not near-certain ham -- at that rate 500 spam would show it about once -- and Bayes poisoning
  // feeds a filter exactly such words. Unsmoothed, the smaller class's silence would count as much as its voice.
  const double a = params.alpha;
  // A class never learned says nothing about any feature (smoothed, its rate would be 1/2: every feature of the
  // other class would look like evidence against it).
  if (a > 0 && (spam_messages == 0 || ham_messages == 0)) return params.x;
  const double bad =
      spam_messages ? (static_cast<double>(c.spam) + a) / (static_cast<double>(spam_messages) + 2 * a) : 0.0;
  const double good =
      ham_messages ? (static_cast<double>(c.ham) + a) / (static_cast<double>(ham_messages) + 2 * a) : 0.0;
  const double p = (bad + good) > 0 ? bad / (bad + good) : params.x;
  return (params.s * params.x + n * p) / (params.s + n);
}

std::vector<FeatureId> words_out_of_context(const WordSequence& seq, const NbLookup& lookup, std::uint32_t min_count) {
  std::vector<NbCounts> pair_counts(seq.pairs.size());
  for (std::size_t j = 0; j < seq.pairs.size(); ++j) pair_counts[j] = seq.pairs[j] ? lookup(seq.pairs[j]) : NbCounts{};
  return words_out_of_context(seq, pair_counts, min_count);
}

std::vector<FeatureId> words_out_of_context(const WordSequence& seq, std::span<const NbCounts> pair_counts,
                                            std::uint32_t min_count) {
  const std::size_t n = seq.words.size();
  if (n == 0 || seq.slots == 0 || seq.pairs.size() != n * seq.slots || pair_counts.size() != seq.pairs.size())
    return {};
  // known[i]: a pair that joins word i to a word before or after it was seen often enough.
  std::vector<char> known(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 1; k <= seq.slots && k <= i; ++k) {
      const std::size_t j = i * seq.slots + (k - 1);
      if (!seq.pairs[j] || (known[i] && known[i - k])) continue;
      const NbCounts c = pair_counts[j];
      if (std::uint64_t{c.spam} + c.ham >= min_count) known[i] = known[i - k] = 1;
    }
  // An occurrence is in context when it or a neighbour is known: in a sentence of real mail a word next to a name
  // or a number the model never saw still has known pairs one word away; in appended random words nothing has.
  // The words out of context are those with an occurrence, less those with an occurrence in context.
  std::vector<FeatureId> in_context, out_of_context;
  for (std::size_t i = 0; i < n; ++i)
    (known[i] || (i > 0 && known[i - 1]) || (i + 1 < n && known[i + 1]) ? in_context : out_of_context)
        .push_back(seq.words[i]);
  sort_unique(in_context);
  sort_unique(out_of_context);
  std::vector<FeatureId> out;
  std::set_difference(out_of_context.begin(), out_of_context.end(), in_context.begin(), in_context.end(),
                      std::back_inserter(out));
  return out;
}

Score nb_score(const FeatureBag& features, const NbLookup& lookup, std::uint64_t spam_messages,
               std::uint64_t ham_messages, const NbParams& params, std::vector<Evidence>* evidence) {
  NbMessageCounts counts;
  look_up_counts(features, lookup, [](FeatureId) {}, counts);
  return nb_score(features, counts, spam_messages, ham_messages, params, evidence);
}

Score nb_score(const FeatureBag& features, const NbMessageCounts& counts, std::uint64_t spam_messages,
               std::uint64_t ham_messages, const NbParams& params, std::vector<Evidence>* evidence) {
  // Fisher: H from sum ln f, S from sum ln(1-f); I = (1 + S - H) / 2 with S = 1 - Q_s, H = 1 - Q_h.
  double sum_ln_f = 0, sum_ln_1mf = 0;
  constexpr double kClamp = 1e-6;
  thread_local std::vector<Clue> clues;
  clues.clear();
  const bool check_context = context_check_applies(params, spam_messages, ham_messages);
  const std::vector<FeatureId> out_of_context =
      check_context ? words_out_of_context(features.sequence, counts.pairs, params.context_min)
                    : std::vector<FeatureId>{};
  const std::vector<FeatureId>& ids = features.ids;
  for (std::size_t i = 0; i < ids.size() && i < counts.ids.size(); ++i) {
    const FeatureId id = ids[i];
    const NbCounts c = counts.ids[i];
    if (c.spam == 0 && c.ham == 0) continue;
    const double f = nb_feature_probability(c, spam_messages, ham_messages, params);
    if (std::fabs(f - 0.5) < params.min_dev) continue;
    // Only hammy evidence needs a context: spammers pad spam with innocent words, nobody pads ham with spammy ones.
    if (f < 0.5 && !out_of_context.empty() && std::binary_search(out_of_context.begin(), out_of_context.end(), id))
      continue;
    clues.push_back({std::clamp(f, kClamp, 1.0 - kClamp), id});
  }
  weigh_by_source(clues, features.sources, params);
  if (params.max_clues > 0 && clues.size() > params.max_clues) {
    // Only the most extreme clues vote (SpamBayes' max_discriminators): a message padded with hundreds of
    // mildly hammy words (Bayes poisoning) cannot outvote its spammy ones. Ties broken by id: deterministic.
    std::nth_element(clues.begin(), clues.begin() + static_cast<std::ptrdiff_t>(params.max_clues), clues.end(),
                     [](const Clue& a, const Clue& b) {
                       const double da = std::fabs(a.f - 0.5), db = std::fabs(b.f - 0.5);
                       return da != db ? da > db : a.id < b.id;
                     });
    clues.resize(params.max_clues);
  }
  double n = 0;  // the clues' summed weights: Fisher's number of tests
  for (const Clue& c : clues) {
    sum_ln_f += c.weight * std::log(c.f);
    sum_ln_1mf += c.weight * std::log1p(-c.f);
    n += c.weight;
    if (evidence) evidence->push_back({c.id, c.weight * (std::log(c.f) - std::log1p(-c.f))});
  }
  Score s;
  if (clues.empty()) {
    s.probability = 0.5;
    s.logit = 0;
    return s;
  }
  // Fisher's test takes the n features as n independent pieces of evidence; a word, the word pairs it is part of and
  // the words around it are not. Brown's method for dependent tests scales the statistic and its degrees of freedom
  // down together; one constant stands in for the dependence (docs/model-tuning.md). Undivided, a long message's
  // evidence saturates both tests, and a message with strong words on both sides scores near 0.5 whichever side
  // outweighs the other.
  // n / c is fractional: the tails are interpolated (in log space) between the whole degrees of freedom around it,
  // so that one more feature moves the score a little, never by a jump (rounded, one more hammy feature could raise
  // the score, and a sender controls n).
  const double c = std::max(1.0, params.chi_scale);
  const double dof = std::max(1.0, n / c);
  const auto k = static_cast<std::uint64_t>(dof);
  const double t = dof - static_cast<double>(k);
  auto between = [&](double (*tail)(double, std::uint64_t), double x2) {
    const double lo = tail(x2, k);
    return t > 0 ? (1 - t) * lo + t * tail(x2, k + 1) : lo;
  };
  const double lqh = between(log_chi2_q, -2.0 * sum_ln_f / c);     // small when the features are hammy (f near 0)...
  const double lph = between(log_chi2_p, -2.0 * sum_ln_f / c);
  const double lqs = between(log_chi2_q, -2.0 * sum_ln_1mf / c);   // ...small when they are spammy
  const double lps = between(log_chi2_p, -2.0 * sum_ln_1mf / c);
  // p = (1 + Q_h - Q_s) / 2 = (Q_h + P_s) / 2 ; 1 - p = (P_h + Q_s) / 2.
  const double log_p = log_add(lqh, lps);
  const double log_q = log_add(lph, lqs);
  s.logit = log_p - log_q;
  s.probability = std::exp(log_p - kLn2);
  s.probability = std::clamp(s.probability, 0.0, 1.0);
  return s;
}

void NaiveBayes::learn(const FeatureBag& features, bool spam, int delta) {
  std::uint64_t& messages = spam ? spam_messages : ham_messages;
  if (delta > 0) ++messages;
  else if (messages > 0) --messages;
  constexpr std::size_t kAhead = 12;
  const std::vector<FeatureId>& ids = features.ids;
  // Room for every id first. They come sorted, so their homes advance through the table as they are inserted; in a
  // table smaller than the message they would crowd into one growing run -- quadratic (a 1 MB message into a small
  // model: 5 s), and past kMaxLearnDisplacement most of them would not be learned at all.
  if (delta > 0) table.reserve(table.size() + ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const FeatureId id = ids[i];
    if (i + kAhead < ids.size()) table.prefetch(ids[i + kAhead]);
    if (delta > 0) {
      if (NbCounts* c = table.find_or_insert_near(id, kMaxLearnDisplacement)) (spam ? c->spam : c->ham) += 1;
      continue;
    }
    if (!table.find(id)) continue;
    NbCounts& c = table[id];
    std::uint32_t& v = spam ? c.spam : c.ham;
    if (v > 0) --v;
    if (c.spam == 0 && c.ham == 0) table.erase(id);
  }
}

NbCounts NaiveBayes::counts(FeatureId id) const {
  const NbCounts* c = table.find(id);
  return c ? *c : NbCounts{};
}

Score NaiveBayes::score(const FeatureBag& features, const NbParams& params, std::vector<Evidence>* evidence) const {
  thread_local NbMessageCounts found;
  look_up_counts(
      features, [this](FeatureId id) { return counts(id); }, [this](FeatureId id) { table.prefetch(id); }, found,
      context_check_applies(params, spam_messages, ham_messages));
  return nb_score(features, found, spam_messages, ham_messages, params, evidence);
}

std::size_t NaiveBayes::prune(std::uint32_t min_total) {
  const std::size_t before = table.size();
  table.retain_if([min_total](const NbCounts& c) { return std::uint64_t{c.spam} + c.ham >= min_total; });
  return before - table.size();
}

std::size_t NaiveBayes::prune_to(std::size_t target) {
  if (table.size() <= target) return 0;
  constexpr std::size_t kBuckets = 1024;
  std::vector<std::size_t> with_total(kBuckets, 0);
  for (const auto& [id, c] : table) ++with_total[std::min<std::uint64_t>(std::uint64_t{c.spam} + c.ham, kBuckets - 1)];
  // The smallest count threshold that brings the table to the target.
  std::size_t remaining = table.size();
  std::uint32_t min_total = 0;
  while (min_total + 1 < kBuckets && remaining > target) remaining -= with_total[min_total++];
  return prune(min_total);
}

}  // namespace spamcore::model

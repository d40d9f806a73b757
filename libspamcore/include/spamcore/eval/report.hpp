#pragma once
// What an evaluation run writes: its summary (design.md section 6), score files, the ROC as CSV and as SVG (logit
// axes, as the TREC spam track drew them) and the learning curve of an online run.
#include <string>
#include <utility>
#include <vector>

#include "spamcore/eval/metrics.hpp"
#include "spamcore/eval/protocol.hpp"

namespace spamcore::eval {

struct Summary {
  std::size_t n = 0, spam = 0, ham = 0, unsure = 0;
  Metrics metrics;                  ///< hm%, sm%, lam% at the model's verdicts (unsure counts as not spam)
  std::pair<double, double> ci95;   ///< of (1-ROCA)%: one_minus_roca_ci95
};

/// Ranks by logit (full precision), judges by the model's verdicts. Throws Error(usage) when a class is empty.
Summary summarise(const std::vector<Scored>& scored);

enum class ScoresFormat { tsv, trec };
/// tsv: origin, gold label, probability, verdict. trec: "<origin> judge=spam class=spam score=<logit>".
void write_scores(const std::string& path, const std::vector<Scored>& scored, ScoresFormat format);
/// threshold (logit), hm%, sm% for every distinct threshold.
void write_roc_csv(const std::string& path, const std::vector<Scored>& scored);
/// The ROC on logit axes: % ham misclassified (x) against % spam misclassified (y), 0.01% to 50%.
void write_roc_svg(const std::string& path, const std::vector<Scored>& scored, const std::string& title);
/// Cumulative errors after each step of messages (online order): messages, errors, error%, hm%, sm%, lam%.
void write_learning_curve(const std::string& path, const std::vector<Scored>& scored);

}  // namespace spamcore::eval

#pragma once
// The TREC spam track's metrics (design.md section 6); spam is the positive class.
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace spamcore::eval {

/// One judged message: its gold label and the filter's score (any monotone score: probability or logit).
struct Judged {
  bool spam;
  double score;
};

struct Metrics {
  std::size_t spam = 0, ham = 0;
  double one_minus_roca_pct = 0;  ///< 100 * (1 - AUC), Mann-Whitney, ties half
  double hm_pct = 0;              ///< ham with score >= threshold / ham
  double sm_pct = 0;              ///< spam with score < threshold / spam
  double lam_pct = 0;             ///< logistic average misclassification, error counts clamped to [0.5, n-0.5]
  double sm_at_hm_0_1_pct = 0;    ///< best sm% with hm% <= 0.1
  double sm_at_hm_1_pct = 0;      ///< best sm% with hm% <= 1
};

/// Throws spamcore::Error(usage) when a class is empty (AUC is undefined).
Metrics compute_metrics(const std::vector<Judged>& judged, double threshold);

/// 100 * (1 - AUC).
double one_minus_roca_pct(const std::vector<Judged>& judged);

/// 95% confidence interval of (1-ROCA)%: Hanley & McNeil's (1982) standard error of the AUC, applied on the logit
/// scale (as the TREC toolkit reports it, so the interval stays inside (0, 100)). {low, high}.
std::pair<double, double> one_minus_roca_ci95(const std::vector<Judged>& judged);

/// One operating point of the ROC: everything scored >= threshold called spam.
struct RocPoint {
  double threshold, hm_pct, sm_pct;
};
/// Every distinct threshold, from the highest (nothing flagged) down (everything flagged).
std::vector<RocPoint> roc_points(const std::vector<Judged>& judged);

/// lam% from error counts.
double lam_pct(std::size_t ham_errors, std::size_t ham, std::size_t spam_errors, std::size_t spam);

/// Lowest sm% over thresholds whose hm% stays at or under `max_hm_pct`.
double sm_at_hm_pct(const std::vector<Judged>& judged, double max_hm_pct);

}  // namespace spamcore::eval

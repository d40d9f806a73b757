#include "spamcore/eval/metrics.hpp"

#include <algorithm>
#include <cmath>

#include "spamcore/base/error.hpp"

namespace spamcore::eval {
namespace {

double logit(double p) { return std::log(p / (1 - p)); }

std::vector<Judged> sorted_by_score(std::vector<Judged> v) {
  std::sort(v.begin(), v.end(), [](const Judged& a, const Judged& b) { return a.score < b.score; });
  return v;
}

}  // namespace

double one_minus_roca_pct(const std::vector<Judged>& judged) {
  const auto v = sorted_by_score(judged);
  // Mann-Whitney: for each spam, the hams scored below it, plus half the hams tied with it.
  double pairs_won = 0;
  std::size_t ham_below = 0, spam_total = 0, ham_total = 0;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i, spam_here = 0, ham_here = 0;
    for (; j < v.size() && v[j].score == v[i].score; ++j) (v[j].spam ? spam_here : ham_here) += 1;
    pairs_won += static_cast<double>(spam_here) * (static_cast<double>(ham_below) + 0.5 * static_cast<double>(ham_here));
    ham_below += ham_here;
    spam_total += spam_here;
    ham_total += ham_here;
    i = j;
  }
  if (spam_total == 0 || ham_total == 0) throw Error(ErrorKind::usage, "", "metrics need both spam and ham");
  const double auc = pairs_won / (static_cast<double>(spam_total) * static_cast<double>(ham_total));
  return 100.0 * (1.0 - auc);
}

std::pair<double, double> one_minus_roca_ci95(const std::vector<Judged>& judged) {
  std::size_t spam = 0, ham = 0;
  for (const Judged& j : judged) (j.spam ? spam : ham) += 1;
  const double ns = static_cast<double>(spam), nh = static_cast<double>(ham);
  // 1-A on the logit scale, which keeps the interval inside (0, 100); a perfect ranking (A = 1) is taken as half a
  // pair wrong for the interval's width.
  const double observed = one_minus_roca_pct(judged);
  const double e = std::clamp(observed / 100.0, 0.5 / (ns * nh), 1 - 0.5 / (ns * nh));
  const double a = 1.0 - e;
  // Hanley & McNeil: Var(A) = (A(1-A) + (ns-1)(Q1-A^2) + (nh-1)(Q2-A^2)) / (ns nh), Q1 = A/(2-A), Q2 = 2A^2/(1+A).
  const double q1 = a / (2 - a), q2 = 2 * a * a / (1 + a);
  const double var = (a * (1 - a) + (ns - 1) * (q1 - a * a) + (nh - 1) * (q2 - a * a)) / (ns * nh);
  if (observed == 0 || observed == 100) {
    // No pair ranked wrong (or every pair): on the logit scale the standard error at half a pair grows as about
    // sqrt(ham), and the interval would reach 100% however many messages agree. Hanley-McNeil's plain interval at
    // half a pair wrong bounds it instead, from the 0 observed (the rule of three's idea for no errors seen).
    const double half_width = 100 * 1.96 * std::sqrt(std::max(var, 0.0));
    if (observed == 0) return {0.0, std::min(100.0, 100 * e + half_width)};
    return {std::max(0.0, 100 * e - half_width), 100.0};
  }
  const double se = std::sqrt(std::max(var, 0.0)) / (e * (1 - e));
  const double centre = logit(e);
  auto back = [](double l) { return 100.0 / (1.0 + std::exp(-l)); };
  return {back(centre - 1.96 * se), back(centre + 1.96 * se)};
}

std::vector<RocPoint> roc_points(const std::vector<Judged>& judged) {
  const auto v = sorted_by_score(judged);
  std::size_t spam = 0, ham = 0;
  for (const Judged& j : v) (j.spam ? spam : ham) += 1;
  if (spam == 0 || ham == 0) throw Error(ErrorKind::usage, "", "metrics need both spam and ham");
  std::vector<RocPoint> out;
  out.push_back({v.empty() ? 0.0 : v.back().score + 1, 0.0, 100.0});
  std::size_t ham_flagged = 0, spam_flagged = 0;
  for (std::size_t i = v.size(); i > 0;) {
    const double t = v[i - 1].score;
    for (; i > 0 && v[i - 1].score == t; --i) (v[i - 1].spam ? spam_flagged : ham_flagged) += 1;
    out.push_back({t, 100.0 * double(ham_flagged) / double(ham), 100.0 * double(spam - spam_flagged) / double(spam)});
  }
  return out;
}

double lam_pct(std::size_t ham_errors, std::size_t ham, std::size_t spam_errors, std::size_t spam) {
  auto clamped = [](std::size_t errors, std::size_t n) {
    const double e = std::clamp(static_cast<double>(errors), 0.5, static_cast<double>(n) - 0.5);
    return e / static_cast<double>(n);
  };
  const double l = (logit(clamped(ham_errors, ham)) + logit(clamped(spam_errors, spam))) / 2;
  return 100.0 / (1.0 + std::exp(-l));
}

double sm_at_hm_pct(const std::vector<Judged>& judged, double max_hm_pct) {
  const auto v = sorted_by_score(judged);
  std::size_t spam = 0, ham = 0;
  for (const Judged& j : v) (j.spam ? spam : ham) += 1;
  if (spam == 0 || ham == 0) throw Error(ErrorKind::usage, "", "metrics need both spam and ham");
  // Walk thresholds from the top: at threshold v[i].score everything at or above it is flagged.
  const auto max_ham_errors = static_cast<std::size_t>(std::floor(max_hm_pct / 100.0 * static_cast<double>(ham) + 1e-9));
  std::size_t ham_flagged = 0, spam_flagged = 0;
  double best = 100.0;
  for (std::size_t i = v.size(); i > 0;) {
    const double t = v[i - 1].score;
    std::size_t k = i;
    for (; k > 0 && v[k - 1].score == t; --k) (v[k - 1].spam ? spam_flagged : ham_flagged) += 1;
    i = k;
    if (ham_flagged > max_ham_errors) break;
    best = std::min(best, 100.0 * static_cast<double>(spam - spam_flagged) / static_cast<double>(spam));
  }
  return best;
}

Metrics compute_metrics(const std::vector<Judged>& judged, double threshold) {
  Metrics m;
  std::size_t ham_errors = 0, spam_errors = 0;
  for (const Judged& j : judged) {
    if (j.spam) {
      ++m.spam;
      if (j.score < threshold) ++spam_errors;
    } else {
      ++m.ham;
      if (j.score >= threshold) ++ham_errors;
    }
  }
  if (m.spam == 0 || m.ham == 0) throw Error(ErrorKind::usage, "", "metrics need both spam and ham");
  m.one_minus_roca_pct = one_minus_roca_pct(judged);
  m.hm_pct = 100.0 * static_cast<double>(ham_errors) / static_cast<double>(m.ham);
  m.sm_pct = 100.0 * static_cast<double>(spam_errors) / static_cast<double>(m.spam);
  m.lam_pct = lam_pct(ham_errors, m.ham, spam_errors, m.spam);
  m.sm_at_hm_0_1_pct = sm_at_hm_pct(judged, 0.1);
  m.sm_at_hm_1_pct = sm_at_hm_pct(judged, 1.0);
  return m;
}

}  // namespace spamcore::eval

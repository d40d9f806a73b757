#include "spamcore/model/score.hpp"

#include <algorithm>
#include <cmath>

namespace spamcore::model {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::ham: return "ham";
    case Verdict::unsure: return "unsure";
    case Verdict::spam: return "spam";
  }
  return "unsure";
}

Verdict Thresholds::verdict(double p) const {
  if (p >= spam_cutoff) return Verdict::spam;
  if (p < ham_cutoff) return Verdict::ham;
  return Verdict::unsure;
}

void sort_evidence(std::vector<Evidence>& evidence) {
  std::sort(evidence.begin(), evidence.end(),
            [](const Evidence& a, const Evidence& b) { return std::fabs(a.weight) > std::fabs(b.weight); });
}

double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

}  // namespace spamcore::model

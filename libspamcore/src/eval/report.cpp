#include "spamcore/eval/report.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "spamcore/base/error.hpp"

namespace spamcore::eval {
namespace {

std::vector<Judged> judged_of(const std::vector<Scored>& scored) {
  std::vector<Judged> out;
  out.reserve(scored.size());
  for (const Scored& s : scored) out.push_back({s.spam, s.score.logit});
  return out;
}

void write_file(const std::string& path, const std::string& text) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  if (!out) throw_errno(path, "cannot create");
  out << text;
  if (!out.flush()) throw_errno(path, "cannot write");
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

bool called_spam(const Scored& s) { return s.score.verdict == model::Verdict::spam; }

}  // namespace

Summary summarise(const std::vector<Scored>& scored) {
  Summary s;
  std::size_t hm = 0, sm = 0;
  for (const Scored& x : scored) {
    ++s.n;
    (x.spam ? s.spam : s.ham) += 1;
    if (x.score.verdict == model::Verdict::unsure) ++s.unsure;
    if (!x.spam && called_spam(x)) ++hm;
    if (x.spam && !called_spam(x)) ++sm;
  }
  const std::vector<Judged> judged = judged_of(scored);
  s.metrics = compute_metrics(judged, 0.0);
  s.metrics.hm_pct = 100.0 * double(hm) / double(s.ham);
  s.metrics.sm_pct = 100.0 * double(sm) / double(s.spam);
  s.metrics.lam_pct = lam_pct(hm, s.ham, sm, s.spam);
  s.ci95 = one_minus_roca_ci95(judged);
  return s;
}

void write_scores(const std::string& path, const std::vector<Scored>& scored, ScoresFormat format) {
  std::string out;
  for (const Scored& s : scored) {
    const char* gold = s.spam ? "spam" : "ham";
    if (format == ScoresFormat::trec) {
      out += s.origin + " judge=" + gold + " class=" + (called_spam(s) ? "spam" : "ham") + " score=" +
             fmt("%.17g", s.score.logit) + "\n";  // full precision: what the jig's ROC analysis ranks
    } else {
      out += s.origin + "\t" + gold + "\t" + fmt("%.6f", s.score.probability) + "\t" +
             std::string(model::to_string(s.score.verdict)) + "\n";
    }
  }
  write_file(path, out);
}

void write_roc_csv(const std::string& path, const std::vector<Scored>& scored) {
  std::string out = "threshold,hm_pct,sm_pct\n";
  for (const RocPoint& p : roc_points(judged_of(scored)))
    out += fmt("%.6f", p.threshold) + "," + fmt("%.4f", p.hm_pct) + "," + fmt("%.4f", p.sm_pct) + "\n";
  write_file(path, out);
}

void write_roc_svg(const std::string& path, const std::vector<Scored>& scored, const std::string& title) {
  const std::vector<Judged> judged = judged_of(scored);
  const std::vector<RocPoint> roc = roc_points(judged);
  const double roca = one_minus_roca_pct(judged);
  // Logit axes from 0.01% to 50%, as in the TREC spam track's plots.
  constexpr double kLo = 0.01, kHi = 50.0, kLeft = 80, kTop = 50, kSize = 480;
  auto lg = [](double pct) { return std::log(pct / (100.0 - pct)); };
  auto pos = [&](double pct) {
    const double c = std::clamp(pct, kLo, kHi);
    return (lg(c) - lg(kLo)) / (lg(kHi) - lg(kLo)) * kSize;
  };
  auto x = [&](double hm) { return kLeft + pos(hm); };
  auto y = [&](double sm) { return kTop + kSize - pos(sm); };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"600\" viewBox=\"0 0 600 600\" "
       "font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<rect width=\"600\" height=\"600\" fill=\"white\"/>\n";
  for (double t : {0.01, 0.1, 1.0, 10.0, 50.0}) {
    const std::string label = t < 1 ? fmt("%g", t) : fmt("%.0f", t);
    o << "<line x1=\"" << x(t) << "\" y1=\"" << kTop << "\" x2=\"" << x(t) << "\" y2=\"" << kTop + kSize
      << "\" stroke=\"#ddd\"/>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << y(t) << "\" x2=\"" << kLeft + kSize << "\" y2=\"" << y(t)
      << "\" stroke=\"#ddd\"/>\n"
      << "<text x=\"" << x(t) << "\" y=\"" << kTop + kSize + 18 << "\" text-anchor=\"middle\">" << label
      << "</text>\n"
      << "<text x=\"" << kLeft - 8 << "\" y=\"" << y(t) + 4 << "\" text-anchor=\"end\">" << label << "</text>\n";
  }
  o << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << kSize << "\" height=\"" << kSize
    << "\" fill=\"none\" stroke=\"black\"/>\n";
  o << "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"";
  for (const RocPoint& p : roc) o << fmt("%.2f", x(p.hm_pct)) << "," << fmt("%.2f", y(p.sm_pct)) << " ";
  o << "\"/>\n";
  std::string safe;
  for (char c : title) safe += c == '<' ? std::string("&lt;") : c == '&' ? std::string("&amp;") : std::string(1, c);
  o << "<text x=\"300\" y=\"25\" text-anchor=\"middle\" font-size=\"15\">" << safe << "</text>\n"
    << "<text x=\"" << kLeft + kSize - 8 << "\" y=\"" << kTop + 20 << "\" text-anchor=\"end\">(1-ROCA)% = "
    << fmt("%.4f", roca) << "</text>\n"
    << "<text x=\"" << kLeft + kSize / 2 << "\" y=\"" << kTop + kSize + 40
    << "\" text-anchor=\"middle\">% ham misclassified (logit scale)</text>\n"
    << "<text transform=\"translate(22," << kTop + kSize / 2
    << ") rotate(-90)\" text-anchor=\"middle\">% spam misclassified (logit scale)</text>\n"
    << "</svg>\n";
  write_file(path, o.str());
}

void write_learning_curve(const std::string& path, const std::vector<Scored>& scored) {
  std::string out = "messages,errors,error_pct,hm_pct,sm_pct,lam_pct\n";
  const std::size_t step = std::max<std::size_t>(1, scored.size() / 500);
  std::size_t spam = 0, ham = 0, hm = 0, sm = 0;
  for (std::size_t i = 0; i < scored.size(); ++i) {
    const Scored& s = scored[i];
    (s.spam ? spam : ham) += 1;
    if (!s.spam && called_spam(s)) ++hm;
    if (s.spam && !called_spam(s)) ++sm;
    if ((i + 1) % step != 0 && i + 1 != scored.size()) continue;
    const double n = double(i + 1);
    out += std::to_string(i + 1) + "," + std::to_string(hm + sm) + "," + fmt("%.4f", 100.0 * double(hm + sm) / n) +
           "," + fmt("%.4f", ham ? 100.0 * double(hm) / double(ham) : 0.0) + "," +
           fmt("%.4f", spam ? 100.0 * double(sm) / double(spam) : 0.0) + "," +
           (spam && ham ? fmt("%.4f", lam_pct(hm, ham, sm, spam)) : std::string("")) + "\n";
  }
  write_file(path, out);
}

}  // namespace spamcore::eval

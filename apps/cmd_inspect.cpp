#include <sys/stat.h>

#include <cstdio>
#include <ctime>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "spamcore/engine/strongest.hpp"
#include "spamcore/store/model_file.hpp"

namespace spamcore::app {
namespace {

std::string utc(std::int64_t t) {
  if (t <= 0) return "-";
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void print_side(const model::Model& m, const std::vector<engine::Strongest>& side, const char* title) {
  std::printf("\nstrongest %s features (share of spam with it, share of ham, naive Bayes f(w), name):\n", title);
  for (const engine::Strongest& s : side) {
    const model::NbCounts c = m.nb.counts(s.id);
    const double sr = m.nb.spam_messages ? double(c.spam) / double(m.nb.spam_messages) : 0.0;
    const double hr = m.nb.ham_messages ? double(c.ham) / double(m.nb.ham_messages) : 0.0;
    const double f = model::nb_feature_probability(c, m.nb.spam_messages, m.nb.ham_messages, m.config().nb);
    if (m.config().algorithm == model::Algorithm::logreg)
      std::printf("  weight %+8.4f  %s\n", s.strength, s.name.c_str());
    else
      std::printf("  %6.3f %6.3f  %.4f  %s\n", sr, hr, f, s.name.c_str());
  }
}

}  // namespace

void add_inspect(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model;
    std::size_t top = 20;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("inspect", "Describe a model: algorithm, settings, counts, strongest features");
  cmd->footer("Reads and verifies the whole model.\nExample:\n  spamcore inspect -m ~/.spamcore/model.scm --top 30");
  add_model_option(*cmd, opts->model);
  cmd->add_option("--top", opts->top, "Strongest features shown each way")
      ->check(CLI::Range(0u, 1000000u))->capture_default_str();
  cmd->callback([opts, &exit_code] {
    const std::string path = resolve_model_path(opts->model);
    std::unordered_map<FeatureId, std::string> names;
    const model::Model m = store::load(path, &names);
    const model::ModelConfig& c = m.config();
    struct stat st{};
    ::stat(path.c_str(), &st);
    const auto view = store::ModelView::open(path);
    const bool older = view->format_version() < store::kFormatVersion;
    std::printf("model:       %s (format %u%s, %lld bytes, digest %s)\n", path.c_str(), view->format_version(),
                older ? ", rewritten in the current format when next saved" : "", static_cast<long long>(st.st_size),
                view->digest().c_str());
    std::printf("algorithm:   %s", std::string(model::to_string(c.algorithm)).c_str());
    if (c.algorithm == model::Algorithm::combo) {
      std::printf(" (naive Bayes weight %g; logistic log-odds ", c.nb_weight);
      if (c.lr_squash > 0) std::printf("bounded by %g)", c.lr_squash);
      else std::printf("unbounded)");
    }
    std::printf("\nmessages:    %llu spam, %llu ham (%zu digests kept)\n",
                static_cast<unsigned long long>(m.spam_messages()), static_cast<unsigned long long>(m.ham_messages()),
                m.learned().size());
    std::printf("created:     %s, updated %s\n", utc(m.created).c_str(), utc(m.updated).c_str());
    std::printf("thresholds:  ham below %g, spam from %g%s\n", c.thresholds.ham_cutoff, c.thresholds.spam_cutoff,
                c.thresholds.ham_cutoff < c.thresholds.spam_cutoff ? ", unsure between" : "");
    if (c.warmup > 0) {
      const double least = static_cast<double>(std::min(m.spam_messages(), m.ham_messages()));
      std::printf("warmup:      %g (log-odds now scaled by %.3f)\n", c.warmup, least / (least + c.warmup));
    } else {
      std::printf("warmup:      off\n");
    }
    if (c.algorithm != model::Algorithm::logreg) {
      std::printf("naive Bayes: %zu features (cap %llu), s=%g x=%g min_dev=%g alpha=%g chi_scale=%g\n",
                  m.nb.table.size(),
                  static_cast<unsigned long long>(c.nb.max_features), c.nb.s, c.nb.x, c.nb.min_dev, c.nb.alpha,
                  c.nb.chi_scale);
      if (c.nb.context)
        std::printf("             context check after %llu messages of each class (pairs seen in %u+)\n",
                    static_cast<unsigned long long>(c.nb.context_after), c.nb.context_min);
      else
        std::printf("             context check off\n");
      std::printf("             word pairs weigh %g; header fields: %s\n", c.nb.pair_weight,
                  c.nb.field_vote ? "one clue each way per field" : "every word a clue");
    }
    if (c.algorithm != model::Algorithm::nb) {
      std::size_t nonzero = 0;
      for (float w : m.lr.weights()) nonzero += w != 0.0f;
      std::printf("logistic:    2^%u buckets (%zu non-zero), rate %g, margin %g, bias %+.4f\n", c.lr.bits, nonzero,
                  c.lr.rate, c.lr.margin, static_cast<double>(m.lr.bias));
    }
    std::string settings = c.tokenizer.serialize();
    for (char& ch : settings)
      if (ch == '\n') ch = ' ';
    std::printf("tokenizer:   %s\n", settings.c_str());
    print_side(m, engine::strongest(m, names, opts->top, true), "spam");
    print_side(m, engine::strongest(m, names, opts->top, false), "ham");
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

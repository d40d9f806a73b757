#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "spamcore/base/error.hpp"

namespace spamcore::app {
namespace {

// CLI::Range lets "nan" through (every comparison with NaN is false); a NaN parameter would be saved into a model
// that then scores 0.5 for everything, or that spamcore itself refuses to load.
CLI::Validator finite_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || !(v >= lo && v <= hi))
          return "Value " + text + " not in range [" + std::to_string(lo) + " - " + std::to_string(hi) + "]";
        return {};
      },
      "FLOAT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

// A count: digits only. CLI11 reads "-1" into a size_t as 2^64-1, which would switch a limit off.
CLI::Validator count() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "Value " + text + " is not a count (digits only)";
        return {};
      },
      "COUNT");
}

}  // namespace

void add_limit_options(CLI::App& cmd, Limits& limits) {
  cmd.add_option("--max-bytes", limits.max_bytes, "Bytes of a message analysed")->check(count())
      ->capture_default_str()->group("Limits");
  cmd.add_option("--max-depth", limits.max_depth, "MIME nesting depth walked")->check(count())
      ->capture_default_str()->group("Limits");
  cmd.add_option("--max-parts", limits.max_parts, "MIME parts walked")->check(count())
      ->capture_default_str()->group("Limits");
  cmd.add_option("--max-headers", limits.max_headers, "Header fields kept")->check(count())
      ->capture_default_str()->group("Limits");
  cmd.add_option("--max-line", limits.max_line, "Longer lines are cut before MIME parsing")
      ->check(count())->capture_default_str()->group("Limits");
}

void add_model_option(CLI::App& cmd, std::string& path) {
  cmd.add_option("-m,--model", path, "Model file (default: $SPAMCORE_MODEL, else ~/.spamcore/model.scm)");
}

std::string resolve_model_path(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("SPAMCORE_MODEL"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.spamcore/model.scm";
}

void add_model_config_options(CLI::App& cmd, std::string& algo, model::ModelConfig& config) {
  cmd.add_option("--algo", algo, "Algorithm: combo (NB + logistic regression), nb, logreg")
      ->check(CLI::IsMember({"combo", "nb", "logreg"}))->capture_default_str();
  cmd.add_option("--osb-window", config.tokenizer.osb_window, "Word-pair window (< 2: no pairs)")
      ->check(CLI::Range(0u, tokenize::TokenizerSettings::kMaxOsbWindow))->capture_default_str()->group("Features");
  cmd.add_option("--byte-ngrams", config.tokenizer.byte_ngrams, "Raw-byte n-grams of the first bytes (0: off)")
      ->check(CLI::Range(0u, tokenize::TokenizerSettings::kMaxByteNgram))->capture_default_str()->group("Features");
  cmd.add_option("--max-token-len", config.tokenizer.max_token_len,
                 "Longer words become skip tokens (\"skip:v:40\": first letter, length in tens)")
      ->check(CLI::Range(4u, 1000u))->capture_default_str()->group("Features");
  cmd.add_option("--lr-bits", config.lr.bits, "Logistic regression: 2^N weight buckets (18-24)")
      ->check(CLI::Range(8, 28))->capture_default_str()->group("Features");
  cmd.add_option("--nb-s", config.nb.s, "Naive Bayes: Robinson's s (strength of the prior)")
      ->check(finite_range(0.0, 1e6))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-x", config.nb.x, "Naive Bayes: Robinson's x (prior of an unseen feature)")
      ->check(finite_range(0.0, 1.0))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-min-dev", config.nb.min_dev, "Naive Bayes: ignore features with |f(w)-0.5| below this")
      ->check(finite_range(0.0, 0.5))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-alpha", config.nb.alpha,
                 "Naive Bayes: pseudo-count added to each class's count of a feature (0: raw rates)")
      ->check(finite_range(0.0, 1e6))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-chi-scale", config.nb.chi_scale,
                 "Naive Bayes: features per independent piece of evidence in Fisher's combining (1: all independent)")
      ->check(finite_range(1.0, 1e6))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-context", config.nb.context,
                 "Naive Bayes: a hammy body word counts only in a context the model knows (defeats Bayes poisoning)")
      ->capture_default_str()->group("Learner");
  cmd.add_option("--nb-context-after", config.nb.context_after,
                 "Naive Bayes: start the context check once N messages of each class are learned")
      ->capture_default_str()->group("Learner");
  cmd.add_option("--nb-context-min", config.nb.context_min,
                 "Naive Bayes: messages a word pair must be seen in to count as a known context")
      ->check(CLI::Range(1u, 1000000u))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-pair-weight", config.nb.pair_weight,
                 "Naive Bayes: weight of a word pair's evidence against a word's (1: the same)")
      ->check(finite_range(0.0, 1.0))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-field-vote", config.nb.field_vote,
                 "Naive Bayes: a header field gives at most one clue each way, its strongest")
      ->capture_default_str()->group("Learner");
  cmd.add_option("--lr-rate", config.lr.rate, "Logistic regression: learning rate")
      ->check(finite_range(0.0, 1e6))->capture_default_str()->group("Learner");
  cmd.add_option("--nb-max-features", config.nb.max_features,
                 "Naive Bayes: features kept at most (the rarest are pruned past it)")
      ->check(CLI::PositiveNumber)->capture_default_str()->group("Learner");
  cmd.add_option("--nb-max-clues", config.nb.max_clues,
                 "Naive Bayes: combine only the N most extreme features (0: all)")
      ->capture_default_str()->group("Learner");
  cmd.add_option("--spam-cutoff", config.thresholds.spam_cutoff, "Verdict spam at or above this probability")
      ->check(finite_range(0.0, 1.0))->capture_default_str()->group("Verdict");
  cmd.add_option("--ham-cutoff", config.thresholds.ham_cutoff,
                 "Verdict ham below this probability (unsure in between)")
      ->check(finite_range(0.0, 1.0))->capture_default_str()->group("Verdict");
  cmd.add_option("--nb-weight", config.nb_weight, "combo: weight of naive Bayes against logistic regression")
      ->check(finite_range(0.0, 1.0))->capture_default_str()->group("Learner");
  cmd.add_option("--lr-squash", config.lr_squash,
                 "combo: logistic regression's log-odds z enter as K*tanh(z/K), bounded by K (0: unbounded)")
      ->check(finite_range(0.0, 1e6))->capture_default_str()->group("Learner");
  cmd.add_option("--warmup", config.warmup,
                 "Scale the log-odds by m/(m+N), m the fewer of spam and ham learned: a young model is unsure (0: off)")
      ->check(finite_range(0.0, 1e9))->capture_default_str()->group("Learner");
  add_limit_options(cmd, config.tokenizer.limits);
}

void require_model_settings(const CLI::App& cmd, const model::ModelConfig& model_config,
                            const std::string& model_path) {
  // Each given setting is parsed again by the same option definitions, onto the model's settings: those whose
  // value changes them are the conflicts. (Settings left at their defaults say nothing.)
  static const std::set<std::string> kGroups = {"Features", "Learner", "Verdict", "Limits"};
  std::string conflicts;
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->count() == 0 || (opt->get_name() != "--algo" && !kGroups.contains(opt->get_group()))) continue;
    CLI::App again;
    std::string algo(model::to_string(model_config.algorithm));
    model::ModelConfig merged = model_config;
    add_model_config_options(again, algo, merged);
    std::vector<std::string> args;  // CLI11 takes them last first
    for (auto it = opt->results().rbegin(); it != opt->results().rend(); ++it) args.push_back(*it);
    args.push_back(opt->get_name());
    again.parse(args);
    merged.algorithm = model::algorithm_from_string(algo);
    if (!(merged == model_config)) conflicts += (conflicts.empty() ? "" : ", ") + opt->get_name();
  }
  if (!conflicts.empty())
    throw Error(ErrorKind::usage, model_path,
                "--incremental keeps the model's settings, and " + conflicts +
                    " would change them (train without --incremental to make a new model)");
}

}  // namespace spamcore::app

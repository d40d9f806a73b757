#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/eval/report.hpp"

namespace spamcore::app {

void add_eval(CLI::App& app, int& exit_code) {
  struct Options {
    std::vector<std::string> spam, ham, test_spam, test_ham;
    std::string index, protocol = "online", algo = "combo", scores, scores_format = "tsv", roc, plot, curve;
    std::uint64_t seed = 1;
    std::uint32_t folds = 10;
    bool json = false;
    model::ModelConfig config;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a learner on labelled corpora (TREC protocols and metrics)");
  cmd->footer(
      "online: each message is scored, then learned with its true label, in the order of SHA-256(seed:path)\n"
      "(or of the --index file: spam/ham classify+train, Spam/Ham classify only, SPAM/HAM train only).\n"
      "split: train on --spam/--ham in the same order, then score --test-spam/--test-ham.\n"
      "cv: --folds K cross-validation over --spam/--ham, folds by SHA-256 of the path.\n"
      "(1-ROCA)% comes with a 95% interval: Hanley-McNeil standard error on the logit scale.\n"
      "Example:\n  spamcore eval --spam data/corpora/spamassassin/spam-* --ham data/corpora/spamassassin/*ham* \\\n"
      "    --scores scores.tsv --plot roc.svg");
  cmd->add_option("--spam", opts->spam, "Spam corpora");
  cmd->add_option("--ham", opts->ham, "Ham corpora");
  cmd->add_option("--test-spam", opts->test_spam, "split: spam to score after training on --spam/--ham");
  cmd->add_option("--test-ham", opts->test_ham, "split: ham to score after training on --spam/--ham");
  cmd->add_option("--index", opts->index, "TREC index file (lines: spam ../data/inmail.1), online only");
  cmd->add_option("--protocol", opts->protocol, "Protocol")
      ->check(CLI::IsMember({"online", "split", "cv"}))->capture_default_str();
  cmd->add_option("--folds", opts->folds, "cv: number of folds")->check(CLI::Range(2, 1000))->capture_default_str();
  cmd->add_option("--seed", opts->seed, "Seed of the online order")->capture_default_str();
  cmd->add_option("--scores", opts->scores, "Write a line per scored message");
  cmd->add_option("--scores-format", opts->scores_format,
                  "tsv: origin, gold, probability, verdict; trec: `file judge=spam class=spam score=<logit>`")
      ->check(CLI::IsMember({"tsv", "trec"}))->capture_default_str();
  cmd->add_option("--roc", opts->roc, "Write the ROC as CSV (threshold, hm%, sm%)");
  cmd->add_option("--plot", opts->plot, "Draw the ROC as SVG (logit axes)");
  cmd->add_option("--learning-curve", opts->curve, "online: write cumulative error rates as CSV");
  cmd->add_flag("--json", opts->json, "Print the metrics as one JSON object");
  add_model_config_options(*cmd, opts->algo, opts->config);
  cmd->callback([opts, cmd, &exit_code] {
    const std::string& protocol = opts->protocol;
    if (opts->index.empty() && (opts->spam.empty() || opts->ham.empty()))
      throw Error(ErrorKind::usage, "eval", "give --index FILE, or both --spam and --ham paths (see --help)");
    if (!opts->index.empty() && protocol != "online")
      throw Error(ErrorKind::usage, "eval", "--index runs the online protocol only (see --help)");
    if (protocol == "split" && (opts->test_spam.empty() || opts->test_ham.empty()))
      throw Error(ErrorKind::usage, "eval", "split needs --spam, --ham, --test-spam and --test-ham (see --help)");
    if (!opts->curve.empty() && protocol != "online")
      throw Error(ErrorKind::usage, "eval", "--learning-curve is for the online protocol (see --help)");
    // Options the protocol would not use are refused, not ignored: the numbers would not be what was asked for.
    if (!opts->index.empty() && (!opts->spam.empty() || !opts->ham.empty()))
      throw Error(ErrorKind::usage, "eval", "give --index FILE or --spam/--ham paths, not both (see --help)");
    if (protocol != "split" && (!opts->test_spam.empty() || !opts->test_ham.empty()))
      throw Error(ErrorKind::usage, "eval", "--test-spam and --test-ham are for the split protocol (see --help)");
    if (protocol != "cv" && cmd->count("--folds") > 0)
      throw Error(ErrorKind::usage, "eval", "--folds is for the cv protocol (see --help)");
    opts->config.algorithm = model::algorithm_from_string(opts->algo);
    const auto t0 = std::chrono::steady_clock::now();
    eval::ReadCounts read;
    eval::Costs costs;
    std::vector<eval::Scored> scored;
    if (!opts->index.empty()) {
      // In the index's order, read as it goes: TREC 2007's 75,000 messages need not be in memory at once.
      scored = eval::run_online(eval::index_source(opts->index), opts->config, read, &costs);
    } else {
      std::vector<eval::Example> examples = eval::load_examples(opts->spam, opts->ham), test;
      eval::order_online(examples, opts->seed);
      if (protocol == "split") {
        test = eval::load_examples(opts->test_spam, opts->test_ham);
        eval::order_online(test, opts->seed);
      }
      for (const auto& e : examples) read.bytes += e.bytes.size();
      for (const auto& e : test) read.bytes += e.bytes.size();
      read.messages = examples.size() + test.size();
      if (protocol == "split") scored = eval::run_split(examples, test, opts->config, &costs);
      else if (protocol == "cv") scored = eval::run_cv(std::move(examples), opts->config, opts->folds, &costs);
      else scored = eval::run_online(examples, opts->config, &costs);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const eval::Summary s = eval::summarise(scored);
    const eval::Metrics& m = s.metrics;
    if (!opts->scores.empty())
      eval::write_scores(opts->scores, scored,
                         opts->scores_format == "trec" ? eval::ScoresFormat::trec : eval::ScoresFormat::tsv);
    if (!opts->roc.empty()) eval::write_roc_csv(opts->roc, scored);
    if (!opts->plot.empty())
      eval::write_roc_svg(opts->plot, scored, "spamcore " + opts->algo + ", " + protocol + ", " +
                                                  std::to_string(s.n) + " messages");
    if (!opts->curve.empty()) eval::write_learning_curve(opts->curve, scored);
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    const double msgs_per_s = double(read.messages) / seconds;
    const double mb_per_s = double(read.bytes) / 1048576.0 / seconds;
    auto rate = [](double amount, double secs) { return secs > 0 ? amount / secs : 0.0; };
    const double train_msgs = rate(double(costs.learned), costs.learn_seconds);
    const double train_mb = rate(double(costs.learned_bytes) / 1048576.0, costs.learn_seconds);
    const double score_msgs = rate(double(costs.scored), costs.score_seconds);
    const double score_mb = rate(double(costs.scored_bytes) / 1048576.0, costs.score_seconds);
    if (opts->json) {
      const nlohmann::json j = {{"n", s.n},
                                {"spam", s.spam},
                                {"ham", s.ham},
                                {"one_minus_roca_pct", m.one_minus_roca_pct},
                                {"one_minus_roca_ci95", {s.ci95.first, s.ci95.second}},
                                {"hm_pct", m.hm_pct},
                                {"sm_pct", m.sm_pct},
                                {"lam_pct", m.lam_pct},
                                {"unsure", s.unsure},
                                {"sm_at_hm_0_1_pct", m.sm_at_hm_0_1_pct},
                                {"sm_at_hm_1_pct", m.sm_at_hm_1_pct},
                                {"messages_per_s", msgs_per_s},
                                {"mb_per_s", mb_per_s},
                                {"seconds", seconds},
                                {"peak_rss_kib", ru.ru_maxrss},
                                {"train_messages_per_s", train_msgs},
                                {"train_mb_per_s", train_mb},
                                {"score_messages_per_s", score_msgs},
                                {"score_mb_per_s", score_mb},
                                {"model_bytes", costs.model_bytes},
                                {"protocol", protocol},
                                {"algo", opts->algo},
                                {"seed", opts->seed},
                                {"folds", protocol == "cv" ? nlohmann::json(opts->folds) : nlohmann::json(nullptr)}};
      std::cout << j.dump() << '\n';
    } else {
      std::printf("protocol %s, algo %s, seed %llu: %zu messages scored (%zu spam, %zu ham); %.2f s, %.0f msg/s, "
                  "%.1f MB/s, peak %ld MiB\n",
                  protocol.c_str(), opts->algo.c_str(), static_cast<unsigned long long>(opts->seed), s.n, s.spam,
                  s.ham, seconds, msgs_per_s, mb_per_s, ru.ru_maxrss / 1024);
      std::printf("cost: training %.0f msg/s (%.1f MB/s), scoring %.0f msg/s (%.1f MB/s), both with tokenizing; "
                  "model file %.1f MB\n",
                  train_msgs, train_mb, score_msgs, score_mb, double(costs.model_bytes) / 1048576.0);
      std::printf("(1-ROCA)%%  %.4f  (95%% CI %.4f - %.4f)\nhm%%        %.3f\nsm%%        %.3f\nlam%%       %.3f\n"
                  "unsure     %zu\nsm%% at hm%%=0.1  %.2f\nsm%% at hm%%=1    %.2f\n",
                  m.one_minus_roca_pct, s.ci95.first, s.ci95.second, m.hm_pct, m.sm_pct, m.lam_pct, s.unsure,
                  m.sm_at_hm_0_1_pct, m.sm_at_hm_1_pct);
    }
    std::fflush(stdout);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

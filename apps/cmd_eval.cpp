#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/eval/metrics.hpp"
#include "spamcore/eval/protocol.hpp"

namespace spamcore::app {

void add_eval(CLI::App& app, int& exit_code) {
  struct Options {
    std::vector<std::string> spam, ham, test_spam, test_ham;
    std::string index, protocol = "online", algo = "combo", scores;
    std::uint64_t seed = 1;
    bool json = false;
    model::ModelConfig config;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a learner on labelled corpora (TREC protocols and metrics)");
  cmd->footer(
      "online: each message is scored, then learned with its true label, in the order of SHA-256(seed:path)\n"
      "(or of the --index file: spam/ham classify+train, Spam/Ham classify only, SPAM/HAM train only).\n"
      "split: train on --spam/--ham in the same order, then score --test-spam/--test-ham.\n"
      "Example:\n  spamcore eval --spam data/corpora/spamassassin/spam-* --ham data/corpora/spamassassin/*ham*");
  cmd->add_option("--spam", opts->spam, "Spam corpora");
  cmd->add_option("--ham", opts->ham, "Ham corpora");
  cmd->add_option("--test-spam", opts->test_spam, "split: spam to score after training on --spam/--ham");
  cmd->add_option("--test-ham", opts->test_ham, "split: ham to score after training on --spam/--ham");
  cmd->add_option("--index", opts->index, "TREC index file (lines: spam ../data/inmail.1)");
  cmd->add_option("--protocol", opts->protocol, "Protocol")->check(CLI::IsMember({"online", "split"}))->capture_default_str();
  cmd->add_option("--seed", opts->seed, "Seed of the online order")->capture_default_str();
  cmd->add_option("--scores", opts->scores, "Write origin, gold label, probability, verdict per message (TSV)");
  cmd->add_flag("--json", opts->json, "Print the metrics as one JSON object");
  add_model_config_options(*cmd, opts->algo, opts->config);
  cmd->callback([opts, &exit_code] {
    if (opts->index.empty() && (opts->spam.empty() || opts->ham.empty()))
      throw Error(ErrorKind::usage, "eval", "give --index FILE, or both --spam and --ham paths");
    opts->config.algorithm = model::algorithm_from_string(opts->algo);
    const auto t0 = std::chrono::steady_clock::now();
    const bool split = opts->protocol == "split";
    if (split && (opts->test_spam.empty() || opts->test_ham.empty() || !opts->index.empty()))
      throw Error(ErrorKind::usage, "eval", "split needs --spam, --ham, --test-spam and --test-ham");
    std::vector<eval::Example> examples, test;
    if (!opts->index.empty()) {
      examples = eval::load_index(opts->index);
    } else {
      examples = eval::load_examples(opts->spam, opts->ham);
      eval::order_online(examples, opts->seed);
    }
    if (split) {
      test = eval::load_examples(opts->test_spam, opts->test_ham);
      eval::order_online(test, opts->seed);
    }
    std::size_t bytes = 0;
    for (const auto& e : examples) bytes += e.bytes.size();
    for (const auto& e : test) bytes += e.bytes.size();
    const auto scored =
        split ? eval::run_split(examples, test, opts->config) : eval::run_online(examples, opts->config);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<eval::Judged> judged;
    for (const auto& s : scored) judged.push_back({s.spam, s.score.logit});
    // Verdicts come from the model's thresholds; the logit carries the ranking at full precision.
    std::size_t hm = 0, sm = 0, unsure = 0, ham = 0, spam = 0;
    for (const auto& s : scored) {
      (s.spam ? spam : ham) += 1;
      if (s.score.verdict == model::Verdict::unsure) ++unsure;
      if (!s.spam && s.score.verdict == model::Verdict::spam) ++hm;
      if (s.spam && s.score.verdict != model::Verdict::spam) ++sm;
    }
    eval::Metrics m = eval::compute_metrics(judged, 0.0);
    m.hm_pct = 100.0 * double(hm) / double(ham);
    m.sm_pct = 100.0 * double(sm) / double(spam);
    m.lam_pct = eval::lam_pct(hm, ham, sm, spam);
    if (!opts->scores.empty()) {
      std::ofstream out(opts->scores, std::ios::binary);
      char prob[32];
      for (const auto& s : scored) {
        std::snprintf(prob, sizeof prob, "%.6f", s.score.probability);
        out << s.origin << '\t' << (s.spam ? "spam" : "ham") << '\t' << prob << '\t'
            << model::to_string(s.score.verdict) << '\n';
      }
      if (!out.flush()) throw Error(ErrorKind::io, opts->scores, "cannot write");
    }
    if (opts->json) {
      nlohmann::json j = {{"n", scored.size()},
                          {"spam", spam},
                          {"ham", ham},
                          {"one_minus_roca_pct", m.one_minus_roca_pct},
                          {"hm_pct", m.hm_pct},
                          {"sm_pct", m.sm_pct},
                          {"lam_pct", m.lam_pct},
                          {"unsure", unsure},
                          {"sm_at_hm_0_1_pct", m.sm_at_hm_0_1_pct},
                          {"sm_at_hm_1_pct", m.sm_at_hm_1_pct},
                          {"messages_per_s", double(examples.size() + test.size()) / seconds},
                          {"mb_per_s", double(bytes) / 1048576.0 / seconds},
                          {"protocol", opts->protocol},
                          {"algo", opts->algo},
                          {"seed", opts->seed}};
      std::cout << j.dump() << '\n';
    } else {
      std::printf("protocol %s, algo %s, seed %llu: %zu messages (%zu spam, %zu ham) in %.2f s, %.0f msg/s, %.1f MB/s\n",
                  opts->protocol.c_str(), opts->algo.c_str(), static_cast<unsigned long long>(opts->seed),
                  scored.size(), spam, ham, seconds, double(examples.size() + test.size()) / seconds,
                  double(bytes) / 1048576.0 / seconds);
      std::printf("(1-ROCA)%%  %.4f\nhm%%        %.3f\nsm%%        %.3f\nlam%%       %.3f\nunsure     %zu\n"
                  "sm%% at hm%%=0.1  %.2f\nsm%% at hm%%=1    %.2f\n",
                  m.one_minus_roca_pct, m.hm_pct, m.sm_pct, m.lam_pct, unsure, m.sm_at_hm_0_1_pct,
                  m.sm_at_hm_1_pct);
    }
    std::fflush(stdout);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "spamcore/engine/train.hpp"
#include "spamcore/store/model_file.hpp"

namespace spamcore::app {

void add_train(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, algo = "combo";
    engine::TrainOptions train;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("train", "Build (or extend) a model from spam and ham corpora");
  cmd->footer(
      "PATH: message file, mbox (.gz too), Maildir, MH folder or directory (see `spamcore list`).\n"
      "Example:\n  spamcore train -m ~/.spamcore/model.scm --spam ~/Maildir/.Junk --ham ~/Maildir\n"
      "  spamcore train --incremental --spam new-spam.mbox --ham ~/Maildir/cur");
  add_model_option(*cmd, opts->model);
  cmd->add_option("--spam", opts->train.spam_paths, "Spam corpora")->required();
  cmd->add_option("--ham", opts->train.ham_paths, "Ham corpora")->required();
  cmd->add_flag("--incremental", opts->train.incremental, "Add to the existing model; skip messages it knows");
  cmd->add_option("--threads", opts->train.threads,
                  "Parse and tokenize on N threads (with N >= 2, learning runs beside them on one more)")
      ->check(CLI::Range(1u, 1024u))->capture_default_str();
  cmd->add_flag("--maildir-subfolders", opts->train.open.maildir_subfolders, "Also read Maildir++ subfolders");
  add_model_config_options(*cmd, opts->algo, opts->train.config);
  cmd->callback([opts, cmd, &exit_code] {
    opts->train.model_path = resolve_model_path(opts->model);
    opts->train.config.algorithm = model::algorithm_from_string(opts->algo);
    if (opts->train.incremental && std::filesystem::exists(opts->train.model_path))
      require_model_settings(*cmd, store::ModelView::open(opts->train.model_path)->config(), opts->train.model_path);
    const auto parent = std::filesystem::path(opts->train.model_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    const bool tty = ::isatty(2);
    engine::ProgressFn progress;
    if (tty) {
      // ETA from bytes: the corpora's size is cheap to estimate, their message count is not (mboxes).
      progress = [](const engine::TrainProgress& p) {
        const double total = static_cast<double>(p.total_bytes);
        const double rate = p.seconds > 0 ? p.bytes / p.seconds : 0.0;
        const double left = rate > 0 && total > p.bytes ? (total - p.bytes) / rate : 0.0;
        std::fprintf(stderr, "\rtrain: %zu messages, %.1f of %.1f MB (%.0f%%), %.0f msg/s, ETA %.0f s   ",
                     p.messages, p.bytes / 1048576.0, total / 1048576.0,
                     total > 0 ? std::min(100.0, 100.0 * p.bytes / total) : 100.0,
                     p.seconds > 0 ? p.messages / p.seconds : 0.0, left);
      };
    }
    const engine::TrainReport r = engine::train(opts->train, progress);
    if (tty) std::fputc('\n', stderr);
    // ", N empty" only when there were some: cron logs parsed by the fields before it keep their shape.
    const std::string empty = r.empty ? ", " + std::to_string(r.empty) + " empty" : "";
    std::printf("train: %s: learned %zu (%zu spam, %zu ham), skipped %zu known%s, %.1f MB in %.2f s (%.0f msg/s); "
                "model has %llu spam, %llu ham, %zu features\n",
                opts->train.model_path.c_str(), r.learned, r.spam, r.ham, r.skipped, empty.c_str(),
                r.bytes / 1048576.0, r.seconds,
                r.seconds > 0 ? r.read / r.seconds : 0.0, static_cast<unsigned long long>(r.model_spam),
                static_cast<unsigned long long>(r.model_ham), r.nb_features);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

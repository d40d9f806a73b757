#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/engine/classify.hpp"

namespace spamcore::app {

void add_classify(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model;
    std::vector<std::string> paths;
    bool json = false;
    corpus::OpenOptions open;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("classify", "Score every message under the paths");
  cmd->footer(
      "One tab-separated line per message: source path, message (path or mbox:index), probability, verdict.\n"
      "--json: one JSON object per line. Counts go to stderr.\n"
      "Example:\n  spamcore classify -m ~/.spamcore/model.scm ~/Maildir/new > verdicts.tsv");
  add_model_option(*cmd, opts->model);
  cmd->add_option("PATH", opts->paths, "Message files, mboxes, Maildirs, MH folders, directories")->required();
  cmd->add_flag("--json", opts->json, "JSON lines instead of tab-separated");
  cmd->add_flag("--maildir-subfolders", opts->open.maildir_subfolders, "Also read Maildir++ subfolders");
  cmd->callback([opts, &exit_code] {
    const engine::Scorer scorer = engine::Scorer::open(resolve_model_path(opts->model));
    require_readable(opts->paths);
    const auto sum = engine::classify(opts->paths, scorer, opts->open, [&](const engine::Classified& c) {
      const std::string verdict(model::to_string(c.score.verdict));
      if (opts->json) {
        const nlohmann::json j = {{"source", c.source}, {"message", c.origin}, {"probability", c.score.probability},
                                  {"verdict", verdict}};
        std::puts(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      } else {
        std::printf("%s\t%s\t%.6f\t%s\n", c.source.c_str(), c.origin.c_str(), c.score.probability, verdict.c_str());
      }
    });
    std::fflush(stdout);
    std::fprintf(stderr, "classify: %zu messages: %zu spam, %zu ham, %zu unsure (%.0f msg/s)\n", sum.messages,
                 sum.spam, sum.ham, sum.unsure, sum.seconds > 0 ? sum.messages / sum.seconds : 0.0);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

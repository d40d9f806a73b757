#include <cstdio>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/engine/scorer.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace spamcore::app {

void add_tokens(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, file = "-";
    bool ids = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("tokens", "Print the features of a message, one per line, with readable names");
  cmd->footer(
      "Without -m the default tokenizer settings are used; with -m, the model's own.\n"
      "Example:\n  spamcore tokens message.eml | grep '^url'\n  spamcore tokens -m model.scm --ids < msg");
  cmd->add_option("-m,--model", opts->model, "Use this model's tokenizer settings");
  cmd->add_option("FILE", opts->file, "Message file, or - for stdin")->capture_default_str();
  cmd->add_flag("--ids", opts->ids, "Also print each feature's 64-bit id");
  cmd->callback([opts, &exit_code] {
    const std::string bytes = read_message(opts->file);
    const FeatureBag bag = opts->model.empty()
                               ? tokenize::features(bytes, tokenize::TokenizerSettings{}, {.names = true})
                               : engine::Scorer::open(opts->model).features(bytes, true);
    std::vector<std::size_t> order(bag.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bag.names[a] < bag.names[b]; });
    for (std::size_t i : order) {
      if (opts->ids) std::printf("%016llx\t", static_cast<unsigned long long>(bag.ids[i]));
      std::fwrite(bag.names[i].data(), 1, bag.names[i].size(), stdout);
      std::fputc('\n', stdout);
    }
    std::fflush(stdout);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

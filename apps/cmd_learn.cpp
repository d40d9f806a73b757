#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/engine/learn.hpp"

namespace spamcore::app {

void add_learn(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, file = "-", algo = "combo";
    bool spam = false, ham = false, unlearn = false;
    engine::LearnOptions learn;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("learn", "Learn (or --unlearn) one message as spam or ham, in place");
  cmd->footer(
      "The same message twice is learned once (by SHA-256); --spam on a message learned as ham moves it.\n"
      "A missing model is created (with --algo and the defaults).\n"
      "Example:\n  spamcore learn -m ~/.spamcore/model.scm --spam < msg.eml\n"
      "  spamcore learn --ham --unlearn msg.eml");
  add_model_option(*cmd, opts->model);
  auto* spam = cmd->add_flag("--spam", opts->spam, "The message is spam");
  auto* ham = cmd->add_flag("--ham", opts->ham, "The message is ham");
  spam->excludes(ham);
  cmd->add_flag("--unlearn", opts->unlearn, "Forget the message (it must have been learned with that label)");
  cmd->add_option("--algo", opts->algo, "Algorithm of a model created here")
      ->check(CLI::IsMember({"combo", "nb", "logreg"}))->capture_default_str();
  cmd->add_option("FILE", opts->file, "Message file, or - for stdin")->capture_default_str();
  cmd->callback([opts, &exit_code] {
    if (!opts->spam && !opts->ham) throw CLI::ValidationError("learn", "one of --spam or --ham is required");
    engine::LearnOptions& o = opts->learn;
    o.model_path = resolve_model_path(opts->model);
    o.spam = opts->spam;
    o.unlearn = opts->unlearn;
    o.config.algorithm = model::algorithm_from_string(opts->algo);
    const auto parent = std::filesystem::path(o.model_path).parent_path();
    if (!parent.empty() && !o.unlearn) std::filesystem::create_directories(parent);
    o.source = opts->file == "-" || opts->file.empty() ? "<stdin>" : opts->file;
    const std::string bytes = read_message(opts->file);
    const engine::LearnReport r = engine::learn(bytes, o);
    using R = model::Model::LearnResult;
    const char* label = o.spam ? "spam" : "ham";
    std::string what;
    switch (r.result) {
      case R::learned: what = std::string("learned as ") + label; break;
      case R::already_known: what = std::string("already learned as ") + label + " (unchanged)"; break;
      case R::moved: what = std::string("moved to ") + label; break;
      case R::unlearned: what = std::string("unlearned from ") + label; break;
      case R::never_learned: what = "never learned"; break;
    }
    std::printf("learn: %s: %s; model has %llu spam, %llu ham\n", opts->file == "-" ? "<stdin>" : opts->file.c_str(),
                what.c_str(), static_cast<unsigned long long>(r.model_spam),
                static_cast<unsigned long long>(r.model_ham));
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

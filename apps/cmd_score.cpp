#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/engine/scorer.hpp"

namespace spamcore::app {

void add_score(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, file = "-";
    bool json = false;
    std::size_t explain = 0;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("score", "Print the probability that a message is spam, and the verdict");
  cmd->footer(
      "Prints `<probability> <verdict>`. Exit code: 0 spam, 1 ham, 2 unsure, 3 error (as bogofilter).\n"
      "Example:\n  spamcore score -m ~/.spamcore/model.scm message.eml\n  spamcore score --json --explain 10 < msg");
  add_model_option(*cmd, opts->model);
  cmd->add_option("FILE", opts->file, "Message file, or - for stdin")->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print a JSON object");
  cmd->add_option("--explain", opts->explain,
                  "With --json: the N features that pushed hardest each way (the component's own log-odds: "
                  "logistic weights for combo and logreg, f(w) for nb; times the --warmup factor while the model "
                  "is young)");
  cmd->callback([opts, &exit_code] {
    const engine::Scorer scorer = engine::Scorer::open(resolve_model_path(opts->model));
    const std::string bytes = read_message(opts->file);
    const model::Score s = scorer.score(bytes, opts->explain > 0);
    if (opts->json) {
      nlohmann::json j = {{"probability", s.probability}, {"logit", s.logit},
                          {"verdict", std::string(model::to_string(s.verdict))}};
      if (opts->explain > 0) {
        const FeatureBag named = scorer.features(bytes, true);
        auto name_of = [&](FeatureId id) {
          const auto it = std::lower_bound(named.ids.begin(), named.ids.end(), id);
          return it != named.ids.end() && *it == id ? named.names[static_cast<std::size_t>(it - named.ids.begin())]
                                                    : std::string("?");
        };
        nlohmann::json spam = nlohmann::json::array(), ham = nlohmann::json::array();
        for (const model::Evidence& e : s.evidence) {
          auto& side = e.weight > 0 ? spam : ham;
          if (side.size() < opts->explain) side.push_back({{"feature", name_of(e.id)}, {"weight", e.weight}});
        }
        j["spam_features"] = std::move(spam);
        j["ham_features"] = std::move(ham);
      }
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
      std::printf("%.6f %s\n", s.probability, std::string(model::to_string(s.verdict)).c_str());
    }
    std::fflush(stdout);
    exit_code = static_cast<int>(s.verdict == model::Verdict::spam   ? ExitCode::spam
                                 : s.verdict == model::Verdict::ham ? ExitCode::ham
                                                                    : ExitCode::unsure);
  });
}

}  // namespace spamcore::app

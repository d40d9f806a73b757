#include <cstdio>
#include <iostream>
#include <vector>
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
      "Example:\n  spamcore score -m ~/.spamcore/model.scm message.eml\n  spamcore score --explain 10 < msg\n"
      "  spamcore score --json --explain 10 < msg");
  add_model_option(*cmd, opts->model);
  cmd->add_option("FILE", opts->file, "Message file, or - for stdin")->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print a JSON object");
  cmd->add_option("--explain", opts->explain,
                  "The N features that pushed hardest each way, one per line after the verdict (or in the JSON); "
                  "weights are the component's own log-odds: f(w) for naive Bayes, the weights for logistic "
                  "regression; times the --warmup factor while the model is young. For combo: first what each "
                  "component added to the log-odds (JSON: parts; each part bounded, so the logistic weights below "
                  "can add up to more than its part), then naive Bayes' clues (lines starting nb; "
                  "JSON: nb_spam_features, nb_ham_features), then the logistic part's (lr; spam_features, "
                  "ham_features)")
      ->check(CLI::Range(0u, 1000000u));
  cmd->callback([opts, &exit_code] {
    const engine::Scorer scorer = engine::Scorer::open(resolve_model_path(opts->model));
    const std::string bytes = read_message(opts->file);
    const model::Score s = scorer.score(bytes, opts->explain > 0);
    // The strongest features each way, named from the message itself: (name, weight), strongest first. Combo lists
    // two: naive Bayes' clues, then the logistic part's weights (two scales: f(w) log-odds, logistic weights).
    using Side = std::vector<std::pair<std::string, double>>;
    struct Listing {
      Side spam, ham;
    };
    const bool combo = scorer.model().config().algorithm == model::Algorithm::combo;
    Listing primary, nb;
    if (opts->explain > 0) {
      const FeatureBag named = scorer.features(bytes, true);
      auto name_of = [&](FeatureId id) {
        const auto it = std::lower_bound(named.ids.begin(), named.ids.end(), id);
        return it != named.ids.end() && *it == id ? named.names[static_cast<std::size_t>(it - named.ids.begin())]
                                                  : std::string("?");
      };
      auto fill = [&](const std::vector<model::Evidence>& evidence, Listing& out) {
        for (const model::Evidence& e : evidence) {
          Side& side = e.weight > 0 ? out.spam : out.ham;
          if (side.size() < opts->explain) side.emplace_back(name_of(e.id), e.weight);
        }
      };
      fill(s.evidence, primary);
      fill(s.nb_evidence, nb);
    }
    if (opts->json) {
      nlohmann::json j = {{"probability", s.probability}, {"logit", s.logit},
                          {"verdict", std::string(model::to_string(s.verdict))}};
      if (opts->explain > 0) {
        auto listed = [](const Side& side) {
          nlohmann::json out = nlohmann::json::array();
          for (const auto& [name, weight] : side) out.push_back({{"feature", name}, {"weight", weight}});
          return out;
        };
        j["spam_features"] = listed(primary.spam);
        j["ham_features"] = listed(primary.ham);
        if (combo) {
          j["parts"] = {{"nb", s.nb_part}, {"logreg", s.lr_part}};
          j["nb_spam_features"] = listed(nb.spam);
          j["nb_ham_features"] = listed(nb.ham);
        }
      }
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
      std::printf("%.6f %s\n", s.probability, std::string(model::to_string(s.verdict)).c_str());
      // After the verdict line, so a script reading the first line is unaffected. For combo, first what each
      // component added to the log-odds, then each component's features, the part named on each line.
      auto print = [](const Listing& l, const char* part) {
        for (const auto& [label, side] : {std::pair{"spam", &l.spam}, std::pair{"ham", &l.ham}})
          for (const auto& [name, weight] : *side)
            std::printf("%s%-4s %+9.4f  %s\n", part, label, weight, name.c_str());
      };
      if (opts->explain > 0 && combo) {
        std::printf("log-odds %+.4f = naive Bayes %+.4f + logistic %+.4f\n", s.logit, s.nb_part, s.lr_part);
        print(nb, "nb  ");
        print(primary, "lr  ");
      } else {
        print(primary, "");
      }
    }
    std::fflush(stdout);
    exit_code = static_cast<int>(s.verdict == model::Verdict::spam   ? ExitCode::spam
                                 : s.verdict == model::Verdict::ham ? ExitCode::ham
                                                                    : ExitCode::unsure);
  });
}

}  // namespace spamcore::app

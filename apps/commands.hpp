#pragma once
// Each subcommand lives in its own cmd_<name>.cpp and registers itself on the app here. A command's callback
// stores its exit code in `exit_code`; errors are thrown as spamcore::Error and reported once, in main.
#include <CLI/CLI.hpp>

#include "spamcore/base/limits.hpp"
#include "spamcore/model/model.hpp"

namespace spamcore::app {

void add_dump(CLI::App& app, int& exit_code);
void add_list(CLI::App& app, int& exit_code);
void add_stats(CLI::App& app, int& exit_code);
void add_train(CLI::App& app, int& exit_code);
void add_score(CLI::App& app, int& exit_code);
void add_inspect(CLI::App& app, int& exit_code);
void add_classify(CLI::App& app, int& exit_code);
void add_learn(CLI::App& app, int& exit_code);
void add_filter(CLI::App& app, int& exit_code);
void add_export(CLI::App& app, int& exit_code);
void add_import(CLI::App& app, int& exit_code);
void add_tokens(CLI::App& app, int& exit_code);
void add_eval(CLI::App& app, int& exit_code);

/// -m/--model PATH on `cmd`; the default (resolved when the command runs) is $SPAMCORE_MODEL, else
/// ~/.spamcore/model.scm.
void add_model_option(CLI::App& cmd, std::string& path);
/// The path to use: `given` if set, else the default above.
std::string resolve_model_path(const std::string& given);

/// --algo and the tokenizer switches, writing into `config` (train, eval).
void add_model_config_options(CLI::App& cmd, std::string& algo, model::ModelConfig& config);

/// For `train --incremental` on an existing model, whose settings it keeps: throws Error(usage, model_path, ...)
/// naming every model setting given on `cmd` (add_model_config_options) whose value differs from the model's.
void require_model_settings(const CLI::App& cmd, const model::ModelConfig& model_config,
                            const std::string& model_path);

/// --max-bytes, --max-depth, --max-parts, --max-headers, --max-line on `cmd`, writing into `limits`.
void add_limit_options(CLI::App& cmd, Limits& limits);

}  // namespace spamcore::app

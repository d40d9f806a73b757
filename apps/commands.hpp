#pragma once
// Each subcommand lives in its own cmd_<name>.cpp and registers itself on the app here. A command's callback
// stores its exit code in `exit_code`; errors are thrown as spamcore::Error and reported once, in main.
#include <CLI/CLI.hpp>

#include "spamcore/base/limits.hpp"

namespace spamcore::app {

void add_dump(CLI::App& app, int& exit_code);
void add_list(CLI::App& app, int& exit_code);
void add_stats(CLI::App& app, int& exit_code);

/// --max-bytes, --max-depth, --max-parts, --max-headers, --max-line on `cmd`, writing into `limits`.
void add_limit_options(CLI::App& cmd, Limits& limits);

}  // namespace spamcore::app

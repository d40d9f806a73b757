// spamcore: the command-line front end. Each subcommand is one cmd_<name>.cpp; this file only wires them and is
// the one place that catches: spamcore::Error and anything else become one stderr line and exit code 3.
#include <csignal>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "spamcore/base/error.hpp"

int main(int argc, char** argv) {
  using namespace spamcore::app;
  // A file-size limit (ulimit -f) must be a write error we report and clean up after, not a silent kill.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"spamcore: a spam filter and trainer for mail pipelines, admins and researchers"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "spamcore 0.1.0");
  int exit_code = kError;
  add_dump(app, exit_code);
  add_list(app, exit_code);
  add_stats(app, exit_code);
  add_train(app, exit_code);
  add_score(app, exit_code);
  add_inspect(app, exit_code);
  add_classify(app, exit_code);
  add_learn(app, exit_code);
  add_filter(app, exit_code);
  add_export(app, exit_code);
  add_import(app, exit_code);
  add_tokens(app, exit_code);
  add_eval(app, exit_code);
  try {
    app.parse(argc, argv);
    return exit_code;
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 3, never 2: for `score`, 2 already means "unsure".
    app.exit(e);
    return kError;
  } catch (const spamcore::Error& e) {
    std::cerr << "spamcore: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "spamcore: " << e.what() << '\n';
  }
  return kError;
}

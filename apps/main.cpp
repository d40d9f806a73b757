// spamcore: the command-line front end. Each subcommand is one cmd_<name>.cpp; this file only wires them and is
// the one place that catches: spamcore::Error and anything else become one stderr line and exit code 3.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <string_view>

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
  // procmail runs `spamcore filter` once per message: building all thirteen subcommands' options only to use one
  // was a measurable part of the fixed cost. A known command name registers just that command; anything else
  // (top-level --help, a typo) registers them all, so help and errors are unchanged.
  struct Command {
    const char* name;
    void (*add)(CLI::App&, int&);
  };
  static constexpr Command kCommands[] = {
      {"dump", add_dump},         {"list", add_list},   {"stats", add_stats},   {"train", add_train},
      {"score", add_score},       {"inspect", add_inspect}, {"classify", add_classify}, {"learn", add_learn},
      {"filter", add_filter},     {"export", add_export}, {"import", add_import}, {"tokens", add_tokens},
      {"eval", add_eval}};
  const std::string_view first = argc > 1 ? argv[1] : "";
  bool known = false;
  for (const Command& c : kCommands) known = known || first == c.name;
  for (const Command& c : kCommands)
    if (!known || first == c.name) c.add(app, exit_code);
  if (!known && !first.empty() && first[0] != '-') {
    std::cerr << "spamcore: unknown command '" << first << "' (see --help)\n";
    return kError;
  }
  // Usage errors are one line too, like every other error.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    return "spamcore: " + what + " (see --help)\n";
  });
  try {
    app.parse(argc, argv);
    // Output that could not be written is an error, not a success: a full disk must not look like a result.
    std::cout.flush();
    if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout.good()) {
      // stdio keeps no error code of its own: errno is from the failed write only if nothing failed since, so it
      // is named only when it is one a write gives.
      const int err = errno;
      const bool write_error = err == ENOSPC || err == EIO || err == EFBIG || err == EDQUOT || err == EPIPE;
      std::cerr << "spamcore: <stdout>: cannot write" << (write_error ? std::string(": ") + std::strerror(err) : "")
                << '\n';
      return kError;
    }
    return exit_code;
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 3, never 2: for `score`, 2 already means "unsure".
    app.exit(e);
    return kError;
  } catch (const spamcore::Error& e) {
    std::cerr << "spamcore: " << e.what() << '\n';
  } catch (const std::bad_alloc&) {
    std::cerr << "spamcore: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "spamcore: " << e.what() << '\n';
  }
  return kError;
}

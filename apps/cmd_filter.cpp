#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/engine/filter.hpp"

namespace spamcore::app {

void add_filter(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, file = "-";
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("filter", "Copy a message to stdout with X-Spam-Status/-Score/-Flag added");
  cmd->footer(
      "Incoming X-Spam-* fields are removed first; every other byte is copied unchanged (CRLF kept). If the\n"
      "message cannot be classified it is copied unchanged, one line goes to stderr, and the exit code is 3;\n"
      "otherwise 0, whatever the verdict.\n"
      "Example:\n  spamcore filter -m ~/.spamcore/model.scm < in.eml > out.eml\n"
      "  procmail recipe: `:0fw` then `| spamcore filter` (README: Mail pipelines)");
  add_model_option(*cmd, opts->model);
  cmd->add_option("FILE", opts->file, "Message file, or - for stdin")->capture_default_str();
  cmd->callback([opts, &exit_code] {
    // A reader that goes away must give an error and exit 3, not kill us silently mid-message.
    std::signal(SIGPIPE, SIG_IGN);
    engine::FilterOptions o;
    o.model_path = resolve_model_path(opts->model);
    int fd = 0;
    if (opts->file != "-") {
      fd = ::open(opts->file.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw_errno(opts->file, "cannot open");
      o.input_name = opts->file;
    }
    const engine::FilterOutcome r = engine::filter(fd, 1, o);
    if (fd != 0) ::close(fd);
    if (!r.classified) {
      std::fprintf(stderr, "spamcore: %s\n", r.error.c_str());
      exit_code = kError;
      return;
    }
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/mail/parse.hpp"

namespace spamcore::app {

void add_dump(CLI::App& app, int& exit_code) {
  struct Options {
    std::string file = "-";
    Limits limits;
    bool compact = false;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("dump", "Show what the parser saw in a message, as JSON");
  cmd->footer("Example:\n  spamcore dump suspicious.eml | less\n  spamcore dump - < message");
  cmd->add_option("FILE", opts->file, "Message file, or - for stdin")->capture_default_str();
  cmd->add_flag("--compact", opts->compact, "One line of JSON");
  add_limit_options(*cmd, opts->limits);
  cmd->callback([opts, &exit_code] {
    const std::string bytes = read_message(opts->file);
    std::cout << mail::to_json(mail::parse(bytes, opts->limits), opts->compact ? -1 : 2) << '\n';
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

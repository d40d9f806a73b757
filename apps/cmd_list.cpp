#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/base/digest.hpp"
#include "spamcore/corpus/open.hpp"

namespace spamcore::app {

void add_list(CLI::App& app, int& exit_code) {
  struct Options {
    std::vector<std::string> paths;
    corpus::OpenOptions open;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("list", "List the messages the corpus readers find (what train would read)");
  cmd->footer(
      "Prints one tab-separated line per message: origin, size in bytes, SHA-256 of the message bytes.\n"
      "PATH may be a message file, an mbox (.gz too), a Maildir, an MH folder, a directory or a TREC index.\n"
      "Example:\n  spamcore list ~/Maildir/.Junk spam.mbox.gz");
  cmd->add_option("PATH", opts->paths, "Corpus paths")->required();
  cmd->add_flag("--maildir-subfolders", opts->open.maildir_subfolders, "Also read Maildir++ subfolders (.Junk, ...)");
  cmd->callback([opts, &exit_code] {
    require_readable(opts->paths);
    for (const std::string& path : opts->paths) {
      auto source = corpus::open(path, opts->open);
      while (auto m = source->next())
        std::cout << m->origin() << '\t' << m->bytes.size() << '\t' << to_hex(sha256(m->bytes)) << '\n';
    }
    std::cout.flush();
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

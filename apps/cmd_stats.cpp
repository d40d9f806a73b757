#include <algorithm>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/engine/survey.hpp"

namespace spamcore::app {
namespace {

void print_row(int width, const std::string& name, const engine::SurveyCounts& c) {
  std::string issues;
  for (const auto& [k, v] : c.issues) issues += (issues.empty() ? "" : ",") + k + "=" + std::to_string(v);
  std::printf("%-*s %8zu %10.1f %7zu %7zu %6zu %6zu %10.1f %7zu %7zu  %s\n", width, name.c_str(), c.messages,
              c.bytes / 1048576.0, c.parts, c.text_parts, c.html_parts, c.attachments, c.text_bytes / 1048576.0,
              c.urls, c.messages_with_issues, issues.empty() ? "-" : issues.c_str());
}

}  // namespace

void add_stats(CLI::App& app, int& exit_code) {
  struct Options {
    std::vector<std::string> paths;
    corpus::OpenOptions open;
    Limits limits;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("stats", "Read and parse every message under the paths; print what was found");
  cmd->footer(
      "Columns: messages, raw MB, MIME leaves, text parts, HTML parts, attachments, decoded text MB, URLs,\n"
      "messages with parse issues, and how many messages had each issue.\n"
      "Example:\n  spamcore stats data/corpora/spamassassin/*");
  cmd->add_option("PATH", opts->paths, "Corpus paths")->required();
  cmd->add_flag("--maildir-subfolders", opts->open.maildir_subfolders, "Also read Maildir++ subfolders");
  add_limit_options(*cmd, opts->limits);
  cmd->callback([opts, &exit_code] {
    require_readable(opts->paths);
    int width = 5;
    for (const std::string& p : opts->paths) width = std::max(width, static_cast<int>(p.size()));
    std::printf("%-*s %8s %10s %7s %7s %6s %6s %10s %7s %7s  %s\n", width, "path", "messages", "MB", "parts", "text",
                "html", "attach", "text_MB", "urls", "issues", "issue kinds (messages)");
    engine::SurveyCounts total;
    for (const std::string& path : opts->paths) {
      auto source = corpus::open(path, opts->open);
      const engine::SurveyCounts c = engine::survey(*source, opts->limits);
      print_row(width, path, c);
      total += c;
    }
    if (opts->paths.size() > 1) print_row(width, "total", total);
    std::fflush(stdout);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

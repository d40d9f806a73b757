#include "commands.hpp"

namespace spamcore::app {

void add_limit_options(CLI::App& cmd, Limits& limits) {
  cmd.add_option("--max-bytes", limits.max_bytes, "Bytes of a message analysed")->capture_default_str()
      ->group("Limits");
  cmd.add_option("--max-depth", limits.max_depth, "MIME nesting depth walked")->capture_default_str()
      ->group("Limits");
  cmd.add_option("--max-parts", limits.max_parts, "MIME parts walked")->capture_default_str()->group("Limits");
  cmd.add_option("--max-headers", limits.max_headers, "Header fields kept")->capture_default_str()
      ->group("Limits");
  cmd.add_option("--max-line", limits.max_line, "Longer lines are cut before MIME parsing")
      ->capture_default_str()->group("Limits");
}

}  // namespace spamcore::app

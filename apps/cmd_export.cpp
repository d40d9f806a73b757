#include <cerrno>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/store/file_lock.hpp"
#include "spamcore/store/json.hpp"
#include "spamcore/store/model_file.hpp"

namespace spamcore::app {

void add_export(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, format = "json", output = "-";
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("export", "Write the model as JSON (lossless; see README)");
  cmd->footer("Example:\n  spamcore export -m model.scm > model.json");
  add_model_option(*cmd, opts->model);
  cmd->add_option("--format", opts->format, "Output format")->check(CLI::IsMember({"json"}))->capture_default_str();
  cmd->add_option("-o,--output", opts->output, "Output file, or - for stdout")->capture_default_str();
  cmd->callback([opts, &exit_code] {
    std::unordered_map<FeatureId, std::string> names;
    const model::Model m = store::load(resolve_model_path(opts->model), &names);
    if (opts->output == "-") {
      errno = 0;
      store::export_json(m, names, std::cout);
      std::cout.flush();
      if (!std::cout) {
        if (errno) throw_errno("<stdout>", "cannot write");
        throw Error(ErrorKind::io, "<stdout>", "cannot write");
      }
    } else {
      errno = 0;
      std::ofstream out(opts->output, std::ios::binary);
      if (!out) throw_errno(opts->output, "cannot create");
      store::export_json(m, names, out);
      if (!out.flush()) throw_errno(opts->output, "cannot write");
    }
    exit_code = kSuccess;
  });
}

void add_import(CLI::App& app, int& exit_code) {
  struct Options {
    std::string model, file;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("import", "Make a model file from a JSON export (replaces the model)");
  cmd->footer("Example:\n  spamcore import -m model.scm model.json");
  add_model_option(*cmd, opts->model);
  cmd->add_option("FILE", opts->file, "JSON export, or - for stdin")->required();
  cmd->callback([opts, &exit_code] {
    const std::string path = resolve_model_path(opts->model);
    const std::string text = read_all(opts->file);
    std::unordered_map<FeatureId, std::string> names;
    const model::Model m = store::import_json(text, opts->file == "-" ? "<stdin>" : opts->file, &names);
    store::FileLock lock(path);
    store::save_atomic(path, m, names);
    exit_code = kSuccess;
  });
}

}  // namespace spamcore::app

// filter, the never-lose-mail pipe: whatever the bytes, never a crash; a message it cannot classify goes out
// unchanged; one it classifies goes out with our fields, and a second filter of that output puts them in the same
// place and changes nothing else when the input's lines all end alike (LF, CRLF or bare CR).
#include <fcntl.h>
#include <unistd.h>

#include "../spam_fields.hpp"
#include "fuzz_util.hpp"
#include "spamcore/base/digest.hpp"
#include "spamcore/engine/filter.hpp"
#include "spamcore/model/model.hpp"
#include "spamcore/store/model_file.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace {

using namespace spamcore;

// A two-message model, written once per process.
const std::string& model_path() {
  static const std::string path = [] {
    model::ModelConfig config;
    config.lr.bits = 12;
    model::Model m(config);
    for (const auto& [text, spam] : {std::pair{"Subject: cheap pills\n\nbuy viagra now, click here\n", true},
                                     std::pair{"Subject: meeting\n\nsee you at noon in the office\n", false}}) {
      const std::string_view bytes(text);
      m.learn_message(sha256(bytes), tokenize::features(bytes, config.tokenizer), spam);
    }
    const std::string p = fuzz::scratch_file("", ".model.scm");
    store::save_atomic(p, m);
    return p;
  }();
  return path;
}

std::string run(std::string_view in) {
  const std::string in_path = fuzz::scratch_file(in, ".in");
  const std::string out_path = fuzz::scratch_file("", ".out");
  const int in_fd = ::open(in_path.c_str(), O_RDONLY);
  const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_TRUNC);
  engine::FilterOptions o;
  o.model_path = model_path();
  const engine::FilterOutcome r = engine::filter(in_fd, out_fd, o);
  ::close(in_fd);
  ::close(out_fd);
  std::ifstream f(out_path, std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (!r.classified && out != in) __builtin_trap();  // not classified: the bytes exactly as they came
  if (r.classified && out.find("X-Spam-Score: ") == std::string::npos) __builtin_trap();
  // Mail with an LF before any CR-style empty line is LF (or CRLF) mail: our fields start LF lines there, where
  // procmail's ^X-Spam-Flag finds them, whatever stray CRs its lines hold.
  if (r.classified && in.substr(0, in.find("\r\r")).find('\n') != std::string_view::npos &&
      !out.starts_with("X-Spam-Status: ") && out.find("\nX-Spam-Status: ") == std::string::npos)
    __builtin_trap();
  return out;
}

// Every line ends the same way (the property holds only then: with mixed endings a second reading may differ).
bool one_line_ending(std::string_view s) {
  const bool crlf = s.find("\r\n") != std::string_view::npos, lf = s.find('\n') != std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool cr_here = s[i] == '\r', lf_next = i + 1 < s.size() && s[i + 1] == '\n';
    if (crlf && ((cr_here && !lf_next) || (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')))) return false;
    if (!crlf && lf && cr_here) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = fuzz::as_text(data, size);
  const std::string once = run(in);
  if (once != in && one_line_ending(in) && test::spam_fields_unscored(run(once)) != test::spam_fields_unscored(once))
    __builtin_trap();
  return 0;
}

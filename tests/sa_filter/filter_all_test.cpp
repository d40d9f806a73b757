// `spamcore filter`, one process per message, over the whole SpamAssassin corpus (many of these messages carry old
// X-Spam-* fields of their own): with every X-Spam-* field removed, output and input are equal byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "cli_util.hpp"
#include "spam_fields.hpp"

using namespace spamcore::test;
namespace fs = std::filesystem;

TEST_CASE("filter over all 6046 SpamAssassin messages loses and changes nothing but X-Spam-* fields") {
  const fs::path corpus = SPAMCORE_CORPUS;
  if (!fs::exists(corpus)) {
    MESSAGE("corpus absent (scripts/fetch-corpus.sh): skipped");
    return;
  }
  TempDir tmp;
  const std::string model = tmp / "m.scm";
  REQUIRE(run_spamcore("train -m " + shell_quote(model) + " --spam " + shell_quote(corpus / "spam-1") + " --ham " +
                       shell_quote(corpus / "easy-ham-1"))
              .exit_code == 0);
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  CHECK(files.size() == 6046);
  std::size_t with_old_fields = 0, flagged = 0, failed = 0;
  for (const fs::path& f : files) {
    const std::string in = read_file(f);
    const RunResult r = run_spamcore("filter -m " + shell_quote(model), f);
    if (r.exit_code != 0) {
      ++failed;
      MESSAGE(f.string() << ": exit " << r.exit_code << ": " << r.err);
    }
    if (without_spam_fields(in) != in) ++with_old_fields;
    if (r.out.find("\nX-Spam-Flag: YES") != std::string::npos) ++flagged;
    REQUIRE_MESSAGE(without_spam_fields(r.out) == without_spam_fields(in), f.string());
  }
  MESSAGE(files.size() << " messages, " << with_old_fields << " with X-Spam-* fields of their own, " << flagged
                       << " flagged spam");
  CHECK(failed == 0);
  CHECK(with_old_fields > 0);
}

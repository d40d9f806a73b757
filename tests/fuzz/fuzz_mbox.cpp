// The mbox splitter (plain and gzip) and the TREC index reader, through the path-taking readers.
#include "fuzz_util.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/corpus/trec_index.hpp"

namespace {

void drain(const std::string& path) {
  try {
    auto source = spamcore::corpus::open(path);
    std::size_t n = 0;
    while (auto m = source->next())
      if (++n > 100000) break;
  } catch (const spamcore::Error&) {
    // Corrupt gzip, unreadable entries: an Error is the documented outcome.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(spamcore::fuzz::as_text(data, size));
  drain(spamcore::fuzz::scratch_file(in, ".eml"));                                           // as detected
  drain(spamcore::fuzz::scratch_file("From a@b Mon Jan  1 00:00:00 2000\n" + in, ".mbox"));  // surely an mbox
  drain(spamcore::fuzz::scratch_file("\x1f\x8b\x08" + in, ".gz"));                          // a gzip header, then junk
  try {
    (void)spamcore::corpus::read_trec_index(spamcore::fuzz::scratch_file(in, ".index"));
  } catch (const spamcore::Error&) {
  }
  return 0;
}

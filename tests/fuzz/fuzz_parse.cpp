// mail::parse over arbitrary bytes: never throws, never crashes, bounded work.
#include "fuzz_util.hpp"
#include "spamcore/mail/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spamcore::Limits limits;
  limits.max_bytes = 1 << 18;  // keep each run short; the limits themselves are what is under test
  const auto m = spamcore::mail::parse(spamcore::fuzz::as_text(data, size), limits);
  (void)m;
  return 0;
}

// Header block unfolding and RFC 2047 decoding.
#include <vector>

#include "fuzz_util.hpp"
#include "mail/header.hpp"
#include "mail/rfc2047.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = spamcore::fuzz::as_text(data, size);
  std::vector<spamcore::mail::Issue> issues;
  const auto block = spamcore::mail::detail::parse_header_block(in, spamcore::Limits{}, issues);
  (void)block;
  bool bad = false;
  (void)spamcore::mail::detail::decode_header_value(in, &bad);
  (void)spamcore::mail::detail::parse_field_params(in);
  return 0;
}

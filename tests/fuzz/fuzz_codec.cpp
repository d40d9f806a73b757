// The transfer decoders: base64, quoted-printable, uuencode.
#include "fuzz_util.hpp"
#include "mail/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = spamcore::fuzz::as_text(data, size);
  bool bad = false;
  (void)spamcore::mail::detail::decode_base64(in, &bad);
  (void)spamcore::mail::detail::decode_qp(in, &bad);
  std::string out, name;
  (void)spamcore::mail::detail::decode_uuencode(in, &out, &name);
  return 0;
}
